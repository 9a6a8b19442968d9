/**
 * What an answer from the sync endpoint means for the batch that was sent (DESIGN.md, "Sync contract v1").
 */
import type { ProblemKey, ProblemParams } from '../problems';
import { batchResponseSchema, type BatchResponse } from './contract';
import { parseRetryAfter } from './backoff';

/** Why a batch was not delivered, as a message of the `problems` catalog (its `{time}` is added by the engine). */
export interface RetryCause {
  key: Extract<ProblemKey, `sync.${string}`>;
  params?: ProblemParams;
}

export type SyncOutcome =
  /** 200 with a valid body: apply each record's result. */
  | { kind: 'results'; response: BatchResponse }
  /** Network error, timeout, 408, 5xx, or a 200 whose body fails validation: not delivered, retry later. */
  | { kind: 'retry'; reason: string; cause: RetryCause; retryAfterMs: number | null }
  /** 401 / 403: the token is refused; pause without burning retries. */
  | { kind: 'auth'; status: number; reason: string }
  /** 413: the batch is too big for the server; split it. */
  | { kind: 'too-large'; reason: string }
  /** Any other 4xx: something in the batch is refused; bisect to find the record at fault. */
  | { kind: 'refused'; status: number; reason: string };

/** The server's own words for an error, when it gave any (`{ "error": "…" }` or text), shortened. */
export function reasonFrom(status: number, body: string): string {
  let detail = body.trim();
  try {
    const json: unknown = JSON.parse(body);
    if (typeof json === 'object' && json !== null && 'error' in json && typeof json.error === 'string') detail = json.error;
  } catch {
    // Not JSON: keep the text as it is.
  }
  detail = detail.replace(/\s+/g, ' ').slice(0, 300);
  return detail ? `HTTP ${status}: ${detail}` : `HTTP ${status}`;
}

export function classifyResponse(status: number, retryAfter: string | null, body: string, now: number): SyncOutcome {
  if (status === 200) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { kind: 'retry', reason: 'the server answered 200 with a body that is not JSON', cause: { key: 'sync.notJson' }, retryAfterMs: null };
    }
    const parsed = batchResponseSchema.safeParse(json);
    if (!parsed.success) {
      return { kind: 'retry', reason: 'the server answered 200 with results Loupe cannot read', cause: { key: 'sync.unreadable' }, retryAfterMs: null };
    }
    return { kind: 'results', response: parsed.data };
  }
  const reason = reasonFrom(status, body);
  // The server's own words stay as it wrote them, in every language.
  const cause: RetryCause = { key: 'sync.http', params: { reason } };
  if (status === 401 || status === 403) return { kind: 'auth', status, reason };
  if (status === 413) return { kind: 'too-large', reason };
  if (status === 429 || status === 503) return { kind: 'retry', reason, cause, retryAfterMs: parseRetryAfter(retryAfter, now) };
  if (status === 408 || status >= 500) return { kind: 'retry', reason, cause, retryAfterMs: null };
  if (status >= 400) return { kind: 'refused', status, reason };
  // 1xx/2xx other than 200, 3xx (fetch follows redirects, so a 3xx here is one it could not follow).
  return { kind: 'retry', reason: `unexpected HTTP ${status}`, cause: { key: 'sync.unexpected', params: { status: String(status) } }, retryAfterMs: null };
}
