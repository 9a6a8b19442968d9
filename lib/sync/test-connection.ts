/**
 * The options page's "Test connection": `GET {base}/v1/health` with the token, and what the answer means in words
 * a person can act on. Never throws; every outcome is a sentence. `fetch` and the timeout are parameters so the
 * cases are a plain table in tests/unit/test-connection.test.ts.
 */
import { isAllowedEndpoint } from '../schemas';
import { BATCH_SCHEMA } from './contract';

export const HEALTH_PATH = '/v1/health';

export interface ConnectionTestResult {
  ok: boolean;
  message: string;
}

/** `{base}/v1/health`, whether or not the base ends with a slash. */
export function healthUrl(endpoint: string): string {
  return `${endpoint.trim().replace(/\/+$/, '')}${HEALTH_PATH}`;
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

function describeStatus(status: number, token: string | null): string {
  if (status === 401 || status === 403) {
    return token
      ? `The endpoint refused the token (HTTP ${status})`
      : `The endpoint wants a token (HTTP ${status}): add one and test again`;
  }
  if (status === 404 || status === 405 || status === 410) {
    return `That address answered, but not as a Loupe endpoint (HTTP ${status})`;
  }
  if (status === 429) return `The endpoint is busy (HTTP 429): try again in a minute`;
  if (status === 408 || status >= 500) return `The endpoint has a server error (HTTP ${status}): try again later`;
  return `The endpoint answered HTTP ${status}, which is not what a Loupe endpoint answers to a health check`;
}

/** Whether a 200's body is a Loupe health answer (`{ "ok": true }`, and our batch schema when it names one). */
function describeHealthBody(body: unknown): ConnectionTestResult {
  if (typeof body !== 'object' || body === null || (body as { ok?: unknown }).ok !== true) {
    return { ok: false, message: 'That address answered, but not as a Loupe endpoint (HTTP 200 without "ok": true)' };
  }
  const schema = (body as { schema?: unknown }).schema;
  if (schema !== undefined && schema !== BATCH_SCHEMA) {
    return { ok: false, message: `The endpoint speaks ${String(schema)}, not ${BATCH_SCHEMA}: it cannot take this Loupe's batches` };
  }
  return { ok: true, message: 'Connected: the endpoint accepts Loupe batches' };
}

export async function testConnection(
  endpoint: string,
  token: string | null,
  fetchFn: typeof fetch = fetch,
  timeoutMs = 10_000,
): Promise<ConnectionTestResult> {
  if (!isAllowedEndpoint(endpoint.trim())) {
    return { ok: false, message: 'Enter an https:// address first (http:// only for localhost or 127.0.0.1)' };
  }
  const url = healthUrl(endpoint);
  const host = new URL(url).host;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetchFn(url, {
      method: 'GET',
      headers: token ? { Authorization: `Bearer ${token}`, Accept: 'application/json' } : { Accept: 'application/json' },
      signal: controller.signal,
      credentials: 'omit',
      cache: 'no-store',
    });
    if (response.status !== 200) return { ok: false, message: describeStatus(response.status, token) };
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      if (controller.signal.aborted) throw error;
      return { ok: false, message: 'That address answered, but not as a Loupe endpoint (HTTP 200 that is not JSON)' };
    }
    return describeHealthBody(body);
  } catch {
    // fetch rejects with a TypeError for every network failure (refused, DNS, TLS, CORS) and says no more; an
    // abort is ours, so it is the timeout.
    if (controller.signal.aborted) return { ok: false, message: `Timed out after ${duration(timeoutMs)}` };
    return { ok: false, message: `No answer from ${host} — is the server running?` };
  } finally {
    clearTimeout(timer);
  }
}
