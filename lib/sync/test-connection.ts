/**
 * The options page's "Test connection": `GET {base}/v1/health` with the token, and what the answer means in words
 * a person can act on. Never throws; every outcome is a sentence, in English and as a `problems` message the page
 * shows in its language (lib/problems.ts). `fetch` and the timeout are parameters so the cases are a plain table
 * in tests/unit/test-connection.test.ts.
 */
import { englishProblem, type ProblemText } from '../problems';
import { isAllowedEndpoint } from '../schemas';
import { BATCH_SCHEMA } from './contract';

export const HEALTH_PATH = '/v1/health';

export interface ConnectionTestResult extends ProblemText {
  ok: boolean;
}

/** `{base}/v1/health`, whether or not the base ends with a slash. */
export function healthUrl(endpoint: string): string {
  return `${endpoint.trim().replace(/\/+$/, '')}${HEALTH_PATH}`;
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

function describeStatus(code: number, token: string | null): ProblemText {
  const status = String(code);
  if (code === 401 || code === 403) return token ? englishProblem('endpoint.tokenRefused', { status }) : englishProblem('test.tokenWanted', { status });
  if (code === 404 || code === 405 || code === 410) return englishProblem('test.notLoupe', { status });
  if (code === 429) return englishProblem('endpoint.busy');
  if (code === 408 || code >= 500) return englishProblem('endpoint.serverError', { status });
  return englishProblem('test.unexpected', { status });
}

/** Whether a 200's body is a Loupe health answer (`{ "ok": true }`, and our batch schema when it names one). */
function describeHealthBody(body: unknown): ConnectionTestResult {
  if (typeof body !== 'object' || body === null || (body as { ok?: unknown }).ok !== true) {
    return { ok: false, ...englishProblem('test.notOk') };
  }
  const schema = (body as { schema?: unknown }).schema;
  if (schema !== undefined && schema !== BATCH_SCHEMA) {
    return { ok: false, ...englishProblem('test.otherSchema', { schema: String(schema).slice(0, 200), expected: BATCH_SCHEMA }) };
  }
  return { ok: true, ...englishProblem('test.connected') };
}

export async function testConnection(
  endpoint: string,
  token: string | null,
  fetchFn: typeof fetch = fetch,
  timeoutMs = 10_000,
): Promise<ConnectionTestResult> {
  if (!isAllowedEndpoint(endpoint.trim())) {
    return { ok: false, ...englishProblem('test.badEndpoint') };
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
    if (response.status !== 200) return { ok: false, ...describeStatus(response.status, token) };
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      if (controller.signal.aborted) throw error;
      return { ok: false, ...englishProblem('test.notJson') };
    }
    return describeHealthBody(body);
  } catch {
    // fetch rejects with a TypeError for every network failure (refused, DNS, TLS, CORS) and says no more; an
    // abort is ours, so it is the timeout.
    if (controller.signal.aborted) return { ok: false, ...englishProblem('endpoint.timeout', { duration: duration(timeoutMs) }) };
    return { ok: false, ...englishProblem('test.noAnswer', { host }) };
  } finally {
    clearTimeout(timer);
  }
}
