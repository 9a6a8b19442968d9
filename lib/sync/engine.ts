/**
 * One sync run: claim a batch, send it outside any transaction, settle the answer, and go on while batches are
 * due and the endpoint accepts them. Everything it decides is written to the outbox or the sync status before
 * the next step, so a worker stopped anywhere in here loses nothing: the lease runs out and the batch is sent
 * again, which the server's upsert by (id, rev) makes harmless.
 */
import type { LoupeDatabase } from '../db';
import { englishProblem, englishProblemFrom } from '../problems';
import { fullJitterBackoff } from './backoff';
import { halves } from './batch-plan';
import { BATCH_PATH, BATCH_SCHEMA, type Batch } from './contract';
import { classifyResponse, type SyncOutcome } from './outcome';
import {
  applyBatchResults,
  claimFollowingBatch,
  claimOutboxBatch,
  nextDueAt,
  parkClaimed,
  releaseClaimed,
  type ClaimedRecord,
} from './outbox';
import { loadSyncStatus, updateSyncStatus, type SyncProblem } from './status';

export const REQUEST_TIMEOUT_MS = 25_000;
/** A run stops after this many requests and leaves the rest to the next trigger, so one run never hogs the worker. */
export const MAX_REQUESTS_PER_RUN = 400;

export interface SyncDeps {
  db: LoupeDatabase;
  fetch: typeof fetch;
  now?: () => number;
  random?: () => number;
  newId?: () => string;
  isOnline?: () => boolean;
  timeoutMs?: number;
  /** A person asked (or the network came back): skip our own backoff, but never the server's Retry-After. */
  skipBackoff?: boolean;
}

export interface SyncTarget {
  /** Base URL, already validated (https:, or http: for loopback). */
  endpoint: string;
  token: string | null;
  clientId: string;
}

export interface SyncRunReport {
  requests: number;
  synced: number;
  rejected: number;
  /** Why the run stopped early, if it did. */
  stoppedBy: SyncProblem | null;
  /** When the next attempt is due, for scheduling an alarm; null when nothing waits. */
  nextDueAt: number | null;
}

/** `{base}{path}`, whether or not the base ends with a slash (the endpoint may live under a path prefix). */
export function endpointUrl(endpoint: string, path: string): string {
  return `${endpoint.trim().replace(/\/+$/, '')}${path}`;
}

function clockTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export async function runSync(deps: SyncDeps, target: SyncTarget): Promise<SyncRunReport> {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const isOnline = deps.isOnline ?? (() => true);
  const timeoutMs = deps.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const report: SyncRunReport = { requests: 0, synced: 0, rejected: 0, stoppedBy: null, nextDueAt: null };

  const status = await loadSyncStatus(db);
  if (status.pausedForAuth) {
    report.stoppedBy = status.problem;
    return report;
  }
  const gate = status.notBefore !== null && (status.notBeforeFromServer || !deps.skipBackoff) ? status.notBefore : null;
  if (gate !== null && gate > now()) {
    report.stoppedBy = status.problem;
    report.nextDueAt = gate;
    return report;
  }
  let failures = status.failures;

  async function post(claimed: readonly ClaimedRecord[]): Promise<SyncOutcome> {
    const batch: Batch = {
      schema: BATCH_SCHEMA,
      batchId: newId(),
      clientId: target.clientId,
      sentAt: new Date(now()).toISOString(),
      records: claimed.map((c) => c.record),
    };
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Idempotency-Key': batch.batchId };
    if (target.token) headers.Authorization = `Bearer ${target.token}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    report.requests += 1;
    try {
      const response = await deps.fetch(endpointUrl(target.endpoint, BATCH_PATH), {
        method: 'POST',
        headers,
        body: JSON.stringify(batch),
        signal: controller.signal,
        credentials: 'omit',
        cache: 'no-store',
      });
      const body = await response.text();
      return classifyResponse(response.status, response.headers.get('Retry-After'), body, now());
    } catch (error) {
      const timedOut = controller.signal.aborted;
      const seconds = Math.round(timeoutMs / 1000);
      const detail = error instanceof Error ? error.message : String(error);
      return timedOut
        ? { kind: 'retry', reason: `no answer within ${seconds} s`, cause: { key: 'sync.timeout', params: { seconds } }, retryAfterMs: null }
        : {
            kind: 'retry',
            reason: `the server could not be reached (${detail})`,
            cause: { key: 'sync.unreachable', params: { detail } },
            retryAfterMs: null,
          };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The endpoint failed the batch: one delay for the whole queue, the server's Retry-After when it gave one (never
   * less), else our backoff. Returns the problem that stops the run.
   */
  async function fail(at: number, outcome: Extract<SyncOutcome, { kind: 'retry' }>): Promise<SyncProblem> {
    failures += 1;
    const delay = Math.max(outcome.retryAfterMs ?? 0, fullJitterBackoff(failures, random));
    const retryAt = at + delay;
    const offline = !isOnline();
    const throttled = outcome.retryAfterMs !== null;
    // The English words carry the time as this browser writes it; pages write `retryAt` their own way.
    const time = clockTime(retryAt);
    const { cause } = outcome;
    const invalid = cause.key === 'sync.notJson' || cause.key === 'sync.unreadable' || cause.key === 'sync.noneConfirmed';
    const stopped: SyncProblem = offline
      ? { kind: 'offline', ...englishProblem('sync.offline', { time }) }
      : throttled
        ? { kind: 'throttled', ...englishProblem('sync.throttled', { reason: outcome.reason, time }) }
        : { kind: invalid ? 'invalid-response' : 'server', ...englishProblemFrom(cause.key, { ...cause.params, time }) };
    stopped.retryAt = retryAt;
    await updateSyncStatus(db, { lastAttemptAt: at, problem: stopped, notBefore: retryAt, notBeforeFromServer: throttled, failures });
    return stopped;
  }

  /**
   * Settles one batch, sent already (`sent`) or sent here; returns a problem when the run must stop (the endpoint
   * is failing or refusing).
   */
  async function settle(claimed: ClaimedRecord[], sent?: SyncOutcome): Promise<SyncProblem | null> {
    const outcome = sent ?? (await post(claimed));
    const at = now();
    switch (outcome.kind) {
      case 'results': {
        // The results and the status they imply in one transaction: one commit per batch instead of two.
        return db.transaction('rw', [db.outbox, db.syncState], async () => {
          const applied = await applyBatchResults(db, claimed, outcome.response, at);
          report.synced += applied.synced;
          report.rejected += applied.rejected;
          // Undelivered records went back to the end of the queue. When none was delivered at all, the endpoint is
          // not storing anything: back off as for a failure, rather than send the same records again at once.
          if (applied.synced + applied.rejected === 0) {
            return fail(at, {
              kind: 'retry',
              reason: `the server answered 200 but confirmed none of the ${claimed.length} records sent`,
              cause: { key: 'sync.noneConfirmed', params: { count: claimed.length } },
              retryAfterMs: null,
            });
          }
          failures = 0;
          await updateSyncStatus(db, { lastSuccessAt: at, lastAttemptAt: at, problem: null, notBefore: null, notBeforeFromServer: false, failures });
          return null;
        });
      }
      case 'retry': {
        await releaseClaimed(db, claimed);
        return fail(at, outcome);
      }
      case 'auth': {
        // Not the batch's fault: no attempt is counted, and nothing is sent until the token changes.
        await releaseClaimed(db, claimed);
        const refused: SyncProblem = { kind: 'auth', ...englishProblem('sync.auth', { reason: outcome.reason }) };
        await updateSyncStatus(db, { lastAttemptAt: at, problem: refused, pausedForAuth: true });
        return refused;
      }
      case 'too-large':
      case 'refused': {
        if (claimed.length === 1) {
          // The server's own words as it sent them; a refusal for size is Loupe's sentence around them.
          const reason = outcome.kind === 'too-large' ? englishProblem('sync.tooLarge', { reason: outcome.reason }) : { message: outcome.reason };
          await parkClaimed(db, claimed[0]!, reason, at);
          report.rejected += 1;
          return null;
        }
        // Split to find the record at fault; the rest goes through.
        for (const half of halves(claimed)) {
          const problem = await settle(half);
          if (problem) {
            // The endpoint started failing for another reason: give back what this bisection still holds.
            await releaseClaimed(db, claimed);
            return problem;
          }
        }
        return null;
      }
    }
  }

  // A drain is a pipeline: while a batch is on the wire, the next one is claimed (and the lease extended over it);
  // when the batch went through, the next one is sent while the first one's answer is written. Requests still go
  // one at a time, and batches are settled in queue order.
  let claimed = await claimOutboxBatch(db, now());
  let sending = claimed.length > 0 ? post(claimed) : null;
  while (sending) {
    const more = report.requests < MAX_REQUESTS_PER_RUN;
    const [outcome, next] = await Promise.all([sending, more ? claimFollowingBatch(db, claimed, now()) : []]);
    const nextSending = outcome.kind === 'results' && next.length > 0 ? post(next) : null;
    const problem = await settle(claimed, outcome);
    if (problem || (!nextSending && report.requests >= MAX_REQUESTS_PER_RUN)) {
      // The next batch goes back to the head of the queue, its answer, if it was sent, unused: it is sent again.
      if (nextSending) await nextSending;
      await releaseClaimed(db, next);
      report.stoppedBy = problem;
      break;
    }
    // Nothing was queued behind it when it left: what was queued since (sent back, or new) is claimed now.
    claimed = next.length > 0 ? next : await claimOutboxBatch(db, now());
    sending = nextSending ?? (claimed.length > 0 ? post(claimed) : null);
  }
  const due = await nextDueAt(db, now());
  const after = (await loadSyncStatus(db)).notBefore;
  report.nextDueAt = due === null ? null : Math.max(due, after ?? 0);
  return report;
}
