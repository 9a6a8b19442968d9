/**
 * What Options › Sync says about an endpoint address: whether sync may use it, and how to name the origin the
 * browser asks access for. Shared by the endpoint form and the connection test, which check the same address.
 */
import { isAllowedEndpoint } from '../../lib/schemas';
import { endpointOrigin } from '../../lib/sync/endpoint-permission';
import type { OptionsT } from './i18n';
import { originLabel } from './site-access';

/** What is wrong with the address, in words that say what to type instead; null when sync may use it. */
export function endpointProblem(endpoint: string, enabled: boolean, t: OptionsT['t']): string | null {
  if (!endpoint) return enabled ? t('options.endpoint.missing') : null;
  if (isAllowedEndpoint(endpoint)) return null;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return t('options.endpoint.notUrl');
  }
  if (url.username || url.password) return t('options.endpoint.credentials');
  if (url.search || url.hash) return t('options.endpoint.query');
  if (url.protocol === 'http:') return t('options.endpoint.http');
  return t('options.endpoint.https');
}

/** `http://127.0.0.1:8787/x` → `http://127.0.0.1`, the origin the browser asks about. */
export function accessLabel(endpoint: string): string {
  const origin = endpointOrigin(endpoint);
  return origin ? originLabel(origin) : endpoint;
}
