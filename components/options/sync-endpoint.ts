/**
 * What Options › Sync says about an endpoint address: whether sync may use it, and how to name the origin the
 * browser asks access for. Shared by the endpoint form and the connection test, which check the same address.
 */
import { isAllowedEndpoint } from '../../lib/schemas';
import { endpointOrigin } from '../../lib/sync/endpoint-permission';
import { originLabel } from './site-access';

/** What is wrong with the address, in words that say what to type instead; null when sync may use it. */
export function endpointProblem(endpoint: string, enabled: boolean): string | null {
  if (!endpoint) return enabled ? 'Enter the endpoint address to turn sync on.' : null;
  if (isAllowedEndpoint(endpoint)) return null;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'Enter a full address, like https://qa.example.com/loupe.';
  }
  if (url.username || url.password) return 'Leave the user name and password out of the address: the token goes below.';
  if (url.search || url.hash) return 'Leave out the ?query and #fragment: enter the base address only.';
  if (url.protocol === 'http:') {
    return 'Use https://. Plain http:// is allowed only for localhost and 127.0.0.1: elsewhere the token and verdicts would travel unencrypted.';
  }
  return 'Use an https:// address (http:// only for localhost or 127.0.0.1).';
}

/** `http://127.0.0.1:8787/x` → `http://127.0.0.1`, the origin the browser asks about. */
export function accessLabel(endpoint: string): string {
  const origin = endpointOrigin(endpoint);
  return origin ? originLabel(origin) : endpoint;
}
