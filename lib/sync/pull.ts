/**
 * Pull (issue 5): bring the team's notes from the endpoint into this browser, page by page, with
 * `GET {base}/v1/changes?since=<cursor>&types=note` (contract.ts). Like the push engine, no network call happens
 * inside a transaction: a page is fetched and checked first, then merged in one transaction of its own, and the
 * cursor only moves in that same transaction, so a worker stopped anywhere fetches at most one page again.
 *
 * Merging keeps the highest rev of each record. A note has one author and only its author changes it
 * (lib/schemas/note.ts), so two revs of one note only compete when one person edits it in two browsers:
 * - a pulled rev no higher than what this browser holds is ignored, and so is one no higher than a local change
 *   still waiting in the outbox (pending or in flight): our edit is the newer one and is on its way;
 * - a pulled rev higher than a local change waiting in the outbox (or parked as rejected) wins: the other
 *   browser's edit is newer, the server would answer ours "stale" anyway, and its outbox entry is dropped so that
 *   it is not sent for nothing. A batch holding it that is in flight settles as usual (a missing entry is synced).
 */
import type { LoupeDatabase, OutboxEntry } from '../db';
import { noteOutboxKey } from '../notes/store';
import { englishProblem, type ProblemText } from '../problems';
import { noteSchema, type Note } from '../schemas';
import { CHANGES_PATH, CHANGES_SCHEMA, changesResponseSchema, validateRecordData, type ChangesResponse, type SyncRecord } from './contract';
import { endpointUrl, REQUEST_TIMEOUT_MS } from './engine';
import { classifyResponse } from './outcome';
import { dropOutboxEntries, outboxEntriesOf } from './outbox';
import { loadSyncStatus, updateSyncStatus } from './status';

/** The record types this client pulls. Audits are pushed only: nobody needs another auditor's verdicts locally. */
export const PULL_TYPES = ['note'] as const;
export type PullType = (typeof PULL_TYPES)[number];

/** At most this many pages per run (500 records each): a run stays short, and the next trigger goes on. */
export const MAX_PULL_PAGES = 20;

export interface PullItem {
  siteId: string;
  itemId: string;
}

export interface PullOptions {
  /** Base URL, already validated (https:, or http: for loopback). */
  endpoint: string;
  token: string | null;
  fetch: typeof fetch;
  now?: () => number;
  /** Stops the run between pages, or the request in flight. */
  signal?: AbortSignal;
  /**
   * Only this item's notes (the item was just opened). Such a pull starts from the beginning every time, since an
   * item has few notes and the contract does not promise that the global cursor means anything for a filtered
   * query; and it never moves the global cursor.
   */
  item?: PullItem;
  types?: readonly PullType[];
  timeoutMs?: number;
  maxPages?: number;
  isOnline?: () => boolean;
}

export type PullProblemKind = 'auth' | 'offline' | 'server' | 'throttled' | 'invalid-response' | 'refused' | 'aborted';

export interface PullProblem extends ProblemText {
  kind: PullProblemKind;
  /**
   * In English words a user understands. Only a refused token is shown (it pauses sync, lib/sync/status.ts), so
   * only it has a `key` for other languages.
   */
  message: string;
  /** Worth trying again later with nothing changed (a server error, the network); false for a refused token. */
  retryable: boolean;
  /** Not before this time (epoch ms): the server's Retry-After, when it gave one. */
  retryAt?: number;
}

export interface PullSummary {
  /** Records received on pages that were merged. */
  pulled: number;
  /** Records stored: new here, or a higher rev than the one held. The rest of `pulled` was already known. */
  merged: number;
  /** Records refused and not stored: invalid, of a type not asked for, or claiming another author for a note. */
  skipped: number;
  /** Pages fetched, checked and merged. */
  pages: number;
  /** The run stopped at its page limit while the endpoint had more: pull again soon. */
  hasMore: boolean;
  /** Why the run stopped early, if it did. Pages merged before it stay merged. */
  problem?: PullProblem;
}

/** The `syncState` key of the cursor for one set of types: `pull:note`. */
export function pullCursorKey(types: readonly PullType[] = PULL_TYPES): string {
  return `pull:${[...new Set(types)].sort().join('+')}`;
}

/** Where the next global pull starts; null before the first page was merged. */
export async function loadPullCursor(db: LoupeDatabase, types: readonly PullType[] = PULL_TYPES): Promise<string | null> {
  const row = await db.syncState.get(pullCursorKey(types));
  return typeof row?.value === 'string' ? row.value : null;
}

/** `{base}/v1/changes?since=…&types=…[&siteId=…&itemId=…]`. */
export function changesUrl(endpoint: string, since: string, types: readonly PullType[], item?: PullItem): string {
  const query = new URLSearchParams({ since, types: types.join(',') });
  if (item) {
    query.set('siteId', item.siteId);
    query.set('itemId', item.itemId);
  }
  return `${endpointUrl(endpoint, CHANGES_PATH)}?${query.toString()}`;
}

/** A pulled record as a note, or null when it cannot be one (it is then skipped and counted). */
function noteFrom(record: SyncRecord, types: readonly PullType[]): Note | null {
  if (!types.includes(record.type as PullType)) return null;
  // The contract's check, the one the receiver ran when the record was pushed; then the note itself, typed and
  // trimmed as lib/notes/store.ts would have stored it.
  if (!validateRecordData(record).ok) return null;
  const parsed = noteSchema.safeParse({ ...record.data, id: record.id, rev: record.rev, deleted: record.deleted, updatedAt: record.updatedAt });
  return parsed.success ? parsed.data : null;
}

interface PageMerge {
  merged: number;
  skipped: number;
  /** Another run moved the global cursor while this one fetched: this run leaves it alone and stops. */
  cursorTaken: boolean;
}

/**
 * Merges one checked page in one transaction. With `cursor`, the page's cursor is stored in the same transaction,
 * but only if the stored one is still the one this page was asked from (two runs at once must not move it back).
 */
async function mergePage(
  db: LoupeDatabase,
  page: ChangesResponse,
  types: readonly PullType[],
  cursor: { key: string; since: string } | null,
): Promise<PageMerge> {
  // Parsing is pure work: done before the transaction, which then only reads and writes.
  const candidates = new Map<string, Note>();
  let skipped = 0;
  for (const record of page.records) {
    const note = noteFrom(record, types);
    if (!note) {
      skipped += 1;
      continue;
    }
    const seen = candidates.get(note.id);
    if (!seen || note.rev > seen.rev) candidates.set(note.id, note);
  }
  const ids = [...candidates.keys()];
  return db.transaction('rw', [db.notes, db.outbox, db.syncState], async () => {
    const [held, waiting] = await Promise.all([db.notes.bulkGet(ids), outboxEntriesOf(db, ids.map(noteOutboxKey))]);
    const stored: Note[] = [];
    const superseded: string[] = [];
    ids.forEach((id, index) => {
      const pulled = candidates.get(id)!;
      const local = held[index];
      const entry: OutboxEntry | undefined = waiting.get(noteOutboxKey(id));
      // A note's author never changes: a copy that says otherwise is not this note.
      if (local && local.authorId !== pulled.authorId) {
        skipped += 1;
        return;
      }
      if (local && local.rev >= pulled.rev) return;
      // A change of ours waiting in the outbox at this rev or later is on its way and wins. Its rev is the local
      // row's (both are written in one transaction), so this only matters if that ever stops being true.
      if (entry && entry.status !== 'rejected' && entry.rev >= pulled.rev) return;
      if (entry) superseded.push(entry.key);
      stored.push(pulled);
    });
    await db.notes.bulkPut(stored);
    // An entry in a batch in flight may go too: that batch still settles, and the pulled rev is what stands.
    await dropOutboxEntries(db, superseded);
    let cursorTaken = false;
    if (cursor) {
      const row = await db.syncState.get(cursor.key);
      const current = typeof row?.value === 'string' ? row.value : '';
      if (current === cursor.since) await db.syncState.put({ key: cursor.key, value: page.cursor });
      else cursorTaken = true;
    }
    return { merged: stored.length, skipped, cursorTaken };
  });
}

/** `status` is the HTTP status of a refusal, when there was an answer at all. */
type PageAnswer = { ok: true; page: ChangesResponse } | { ok: false; problem: PullProblem; status?: number };

function readPage(body: string): PageAnswer {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, problem: { kind: 'invalid-response', message: 'The endpoint answered 200 with changes that are not JSON.', retryable: true } };
  }
  const parsed = changesResponseSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.map(String).join('.') || 'body';
    return {
      ok: false,
      problem: {
        kind: 'invalid-response',
        message: `The endpoint's changes are not a ${CHANGES_SCHEMA} answer (${where}: ${issue?.message ?? 'invalid'}); nothing from that page was stored.`,
        retryable: true,
      },
    };
  }
  return { ok: true, page: parsed.data };
}

/**
 * Pulls every change since the stored cursor (or, with `item`, every note of that item), merging page by page.
 * Never throws for what the endpoint or the network does: that is the summary's `problem`. A refused token pauses
 * sync for push and pull alike, as the push engine does; while sync is paused, or held by the server's own
 * Retry-After, no request is made.
 */
export async function pullChanges(db: LoupeDatabase, options: PullOptions): Promise<PullSummary> {
  const now = options.now ?? Date.now;
  const types = options.types ?? PULL_TYPES;
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const maxPages = options.maxPages ?? MAX_PULL_PAGES;
  const isOnline = options.isOnline ?? (() => true);
  const summary: PullSummary = { pulled: 0, merged: 0, skipped: 0, pages: 0, hasMore: false };
  const stop = (problem: PullProblem): PullSummary => ({ ...summary, problem });
  if (types.length === 0) return summary;

  const status = await loadSyncStatus(db);
  if (status.pausedForAuth) {
    return stop({
      kind: 'auth',
      message: status.problem?.message ?? 'The endpoint refused the token. Sync is paused until the token is changed in Options.',
      ...(status.problem?.key ? { key: status.problem.key } : {}),
      ...(status.problem?.params ? { params: status.problem.params } : {}),
      retryable: false,
    });
  }
  if (status.notBeforeFromServer && status.notBefore !== null && status.notBefore > now()) {
    return stop({ kind: 'throttled', message: 'The server asked Loupe to wait.', retryable: true, retryAt: status.notBefore });
  }

  async function fetchPage(url: string): Promise<PageAnswer> {
    const controller = new AbortController();
    const cancel = () => controller.abort();
    options.signal?.addEventListener('abort', cancel, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    try {
      const response = await options.fetch(url, { method: 'GET', headers, signal: controller.signal, credentials: 'omit', cache: 'no-store' });
      const body = await response.text();
      if (response.status === 200) return readPage(body);
      const outcome = classifyResponse(response.status, response.headers.get('Retry-After'), body, now());
      switch (outcome.kind) {
        case 'auth':
          return {
            ok: false,
            problem: { kind: 'auth', ...englishProblem('sync.auth', { reason: outcome.reason }), retryable: false },
          };
        case 'retry':
          return {
            ok: false,
            problem:
              outcome.retryAfterMs !== null
                ? { kind: 'throttled', message: `The server asked Loupe to wait: ${outcome.reason}.`, retryable: true, retryAt: now() + outcome.retryAfterMs }
                : { kind: 'server', message: `Server problem while fetching notes: ${outcome.reason}.`, retryable: true },
          };
        case 'too-large':
        case 'refused':
          return {
            ok: false,
            status: response.status,
            problem: {
              kind: 'refused',
              message:
                response.status === 404
                  ? 'The endpoint does not share notes (HTTP 404 for changes).'
                  : `The endpoint refused the request for changes (${outcome.reason}).`,
              retryable: false,
            },
          };
        default:
          return { ok: false, problem: { kind: 'server', message: 'Unexpected answer while fetching notes.', retryable: true } };
      }
    } catch (error) {
      if (options.signal?.aborted) return { ok: false, problem: { kind: 'aborted', message: 'Fetching notes was stopped.', retryable: true } };
      if (timedOut) {
        return { ok: false, problem: { kind: 'server', message: `No answer within ${Math.round(timeoutMs / 1000)} s while fetching notes.`, retryable: true } };
      }
      if (!isOnline()) return { ok: false, problem: { kind: 'offline', message: 'Offline: notes are fetched when the connection is back.', retryable: true } };
      const detail = error instanceof Error ? error.message : String(error);
      return { ok: false, problem: { kind: 'server', message: `The server could not be reached (${detail}).`, retryable: true } };
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', cancel);
    }
  }

  const cursorKey = pullCursorKey(types);
  let since = options.item ? '' : ((await loadPullCursor(db, types)) ?? '');
  let startedOver = false;
  for (let page = 0; page < maxPages; page += 1) {
    if (options.signal?.aborted) return stop({ kind: 'aborted', message: 'Fetching notes was stopped.', retryable: true });
    const answer = await fetchPage(changesUrl(options.endpoint, since, types, options.item));
    if (!answer.ok && answer.status === 400 && since !== '' && !options.item && !startedOver) {
      // The endpoint does not know our cursor (its database was replaced, or it is another server at the same
      // address): start over from the beginning, once. Merging keeps the highest rev, so notes pulled again
      // change nothing; only a cursor stuck on every run would.
      startedOver = true;
      const from = since;
      await db.transaction('rw', db.syncState, async () => {
        if ((await loadPullCursor(db, types)) === from) await db.syncState.delete(cursorKey);
      });
      since = '';
      continue;
    }
    if (!answer.ok) {
      if (answer.problem.kind === 'auth') {
        const { message, key, params } = answer.problem;
        const problem = { kind: 'auth' as const, message, ...(key ? { key } : {}), ...(params ? { params } : {}) };
        await updateSyncStatus(db, { lastAttemptAt: now(), problem, pausedForAuth: true });
      }
      return stop(answer.problem);
    }
    const merge = await mergePage(db, answer.page, types, options.item ? null : { key: cursorKey, since });
    summary.pulled += answer.page.records.length;
    summary.merged += merge.merged;
    summary.skipped += merge.skipped;
    summary.pages += 1;
    if (!answer.page.hasMore || merge.cursorTaken) return summary;
    if (answer.page.cursor === since) {
      // Asking again with the same cursor would get the same page forever.
      return stop({ kind: 'invalid-response', message: 'The endpoint said more changes wait but gave back the same cursor.', retryable: true });
    }
    since = answer.page.cursor;
  }
  summary.hasMore = true;
  return summary;
}
