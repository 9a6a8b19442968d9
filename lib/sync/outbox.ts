/**
 * The outbox side of sync, for every record type (audits, notes). The outbox is an append-only queue (schema v8,
 * lib/db.ts), because rewriting each entry's state per batch made a drain slow down as the backlog grew (issue 6):
 * - a write appends an entry holding the record as it travels, and drops the record's earlier entry
 *   (`queueRecordChange`), in the write's own transaction, so a record waits once, at its latest rev;
 * - a sync run claims the head of the queue with one key-range read, and leases it with one row (the run holds
 *   every queued seq up to `upTo`, until `until`); no entry is rewritten. The next batch is claimed, and the lease
 *   extended over it, while the current one is on the wire;
 * - settling a batch moves the queue's head past it: an undelivered record goes back to the end of the queue, a
 *   rejected one is parked below zero, and the delivered ones stay where they are, behind the head, until the run
 *   is over and `sweepSettled` deletes them (deleting each batch's range as it settled made the browser compact its
 *   LevelDB all through the drain: issue 6). Entries written while a batch was in flight have higher seqs and stay;
 * - a lease that runs out (the worker stopped mid-batch) lets the next run claim the same entries again, which the
 *   server's upsert by (id, rev) makes harmless.
 * Each step is its own IndexedDB transaction, and no network call happens inside one (STYLE.md).
 */
import Dexie, { type PromiseExtended } from 'dexie';
import type { LoupeDatabase, OutboxEntry } from '../db';
import type { ProblemText } from '../problems';
import type { Audit, Note } from '../schemas';
import { fitBatch } from './batch-plan';
import { MAX_BATCH_RECORDS, type BatchResponse, type SyncRecord } from './contract';

/**
 * Longer than two requests' 25 s timeouts plus applying their answers (the next batch is claimed while the current
 * one is on the wire, and sent after it); an expired lease is claimed again.
 */
export const LEASE_MS = 60_000;

export interface ClaimedRecord {
  /** The entry's place in the queue. */
  seq: number;
  /** The record's outbox key, `${type}:${id}`. */
  key: string;
  record: SyncRecord;
}

/** The one row that says where the queue stands (in `syncState`, beside the sync status). */
interface QueueState {
  /**
   * Every seq up to this one is settled, so reads start after it: IndexedDB keeps deleted rows as tombstones
   * until it compacts, and a read from the start of the table would walk them all again.
   */
  settledUpTo: number;
  /** Every settled entry up to this seq is deleted (sweepSettled); the ones after it, up to `settledUpTo`, wait for it. */
  sweptUpTo: number;
  /**
   * The run that holds the head of the queue: its claimed entries, up to `upTo`, are its own until `until` (epoch
   * ms). That is the batch on the wire and, once claimed behind it, the next one.
   */
  lease: { upTo: number; until: number } | null;
}

const QUEUE_STATE_KEY = 'outboxQueue';
const INITIAL_QUEUE_STATE: QueueState = { settledUpTo: 0, sweptUpTo: 0, lease: null };

async function loadQueueState(db: LoupeDatabase): Promise<QueueState> {
  const row = await db.syncState.get(QUEUE_STATE_KEY);
  const stored = row?.value as Partial<QueueState> | undefined;
  // A row written before the sweep existed: settles deleted their entries then, so everything settled is swept.
  return { ...INITIAL_QUEUE_STATE, sweptUpTo: stored?.settledUpTo ?? 0, ...stored };
}

async function saveQueueState(db: LoupeDatabase, state: QueueState): Promise<void> {
  await db.syncState.put({ key: QUEUE_STATE_KEY, value: state });
}

/** Queued entries after `seq`, oldest first. Parked entries have negative keys, so they are never among them. */
function queuedAfter(db: LoupeDatabase, seq: number) {
  return db.outbox.where(':id').above(Math.max(seq, 0));
}

/** Parked entries (each at minus the seq it was queued with): lib/sync/rejected.ts lists and retries them. */
export function parkedEntries(db: LoupeDatabase) {
  return db.outbox.where(':id').below(0);
}

export function outboxKey(type: OutboxEntry['type'], recordId: string): string {
  return `${type}:${recordId}`;
}

/**
 * Queues a record's change for sync. Runs inside the writer's transaction, which must include `db.outbox`, so the
 * record and its entry are saved together or not at all. The record's earlier entry goes, queued or parked: the
 * new one holds the latest rev, so one entry is enough. If that entry was in a batch in flight, the batch still
 * settles (a record whose entry is gone counts as synced), and the new entry, with its higher seq, is outside the
 * batch's range and is sent next.
 */
export function queueRecordChange(db: LoupeDatabase, type: 'audit', record: Audit, now: number): PromiseExtended<void>;
export function queueRecordChange(db: LoupeDatabase, type: 'note', record: Note, now: number): PromiseExtended<void>;
export function queueRecordChange(db: LoupeDatabase, type: OutboxEntry['type'], record: Audit | Note, now: number): PromiseExtended<void> {
  return earlierEntriesOf(db, type, record).then((earlier) => replaceEntries(db, type, record, now, earlier));
}

/**
 * What queueRecordChange reads: the seqs of the record's earlier entries. A record's first rev has none, so a new
 * verdict or note, the common write, skips the lookup. Like everything on the verdict's path, returns Dexie's own
 * promise and never awaits natively (see recordVerdict in lib/audits.ts).
 */
export function earlierEntriesOf(db: LoupeDatabase, type: OutboxEntry['type'], record: Pick<Audit | Note, 'id' | 'rev'>): PromiseExtended<number[]> {
  if (record.rev <= 1) return Dexie.Promise.resolve([]);
  return db.outbox.where('key').equals(outboxKey(type, record.id)).primaryKeys();
}

/**
 * What queueRecordChange writes once `earlier` is read (earlierEntriesOf): every request is issued before this
 * returns, so a caller may commit right after it.
 */
export function replaceEntries(
  db: LoupeDatabase,
  type: OutboxEntry['type'],
  record: Audit | Note,
  now: number,
  earlier: readonly number[],
): PromiseExtended<void> {
  // Requests of one transaction run in the order they are issued: the add need not wait for the delete.
  return Dexie.Promise.all([
    earlier.length ? db.outbox.bulkDelete([...earlier]) : undefined,
    db.outbox.add(newOutboxEntry(type, record, now)),
  ]).then(() => undefined);
}

/** The entry that queues a record's first rev, or its change once the earlier entries are gone (replaceEntries). */
export function newOutboxEntry(type: OutboxEntry['type'], record: Audit | Note, now: number): Omit<OutboxEntry, 'seq'> {
  return { key: outboxKey(type, record.id), type, recordId: record.id, rev: record.rev, record: wireRecord(type, record), status: 'pending', enqueuedAt: now };
}

/**
 * The waiting entry of each of these records (queued, or parked when it has no queued one), by key. Runs inside
 * the caller's transaction when there is one, which must then include `db.outbox` and `db.syncState`.
 */
export async function outboxEntriesOf(db: LoupeDatabase, keys: readonly string[]): Promise<Map<string, OutboxEntry>> {
  const found = new Map<string, OutboxEntry>();
  if (keys.length === 0) return found;
  const [{ settledUpTo }, entries] = await Promise.all([loadQueueState(db), db.outbox.where('key').anyOf([...keys]).toArray()]);
  for (const entry of entries) {
    // Delivered, and waiting only for the sweep.
    if (entry.seq > 0 && entry.seq <= settledUpTo) continue;
    // Queued seqs are positive and parked ones negative: the highest seq is the record's queued change, if any.
    const seen = found.get(entry.key);
    if (!seen || entry.seq > seen.seq) found.set(entry.key, entry);
  }
  return found;
}

/**
 * Drops every entry of these records (a newer rev came from elsewhere, so ours need not be sent). A batch in flight
 * that holds one still settles: a record whose entry is gone counts as synced.
 */
export async function dropOutboxEntries(db: LoupeDatabase, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.outbox.bulkDelete(await db.outbox.where('key').anyOf([...keys]).primaryKeys());
}

/** A stored record as it travels: identity and version in the envelope, everything else in `data`. */
export function toSyncRecord(type: 'audit', record: Audit): SyncRecord;
export function toSyncRecord(type: 'note', record: Note): SyncRecord;
export function toSyncRecord(type: OutboxEntry['type'], record: Audit | Note): SyncRecord {
  return wireRecord(type, record);
}

/** The body of toSyncRecord, for callers whose own signature already pairs each type with its record. */
function wireRecord(type: OutboxEntry['type'], record: Audit | Note): SyncRecord {
  const { id, rev, deleted, updatedAt, ...data } = record;
  return { type, id, rev, deleted, updatedAt, data };
}

/**
 * The record each entry sends, in the order of `entries`: the one it holds, else (entries queued by schema v6) the
 * record as it is now, read from its own table (one bulkGet per type); undefined where that record is gone. Runs
 * inside the caller's transaction when there is one, which must then include `audits` and `notes`.
 */
export async function recordsOf(
  db: LoupeDatabase,
  entries: ReadonlyArray<Pick<OutboxEntry, 'type' | 'recordId' | 'record'>>,
): Promise<Array<SyncRecord | undefined>> {
  const ofType = (type: OutboxEntry['type']) => entries.filter((e) => !e.record && e.type === type).map((e) => e.recordId);
  const [auditIds, noteIds] = [ofType('audit'), ofType('note')];
  const found = new Map<string, SyncRecord>();
  if (auditIds.length || noteIds.length) {
    const [audits, notes] = await Promise.all([db.audits.bulkGet(auditIds), db.notes.bulkGet(noteIds)]);
    for (const audit of audits) if (audit) found.set(outboxKey('audit', audit.id), toSyncRecord('audit', audit));
    for (const note of notes) if (note) found.set(outboxKey('note', note.id), toSyncRecord('note', note));
  }
  return entries.map((entry) => entry.record ?? found.get(outboxKey(entry.type, entry.recordId)));
}

/**
 * Claims the next batch: the oldest queued entries, as many as fit one request.
 * Returns nothing while another run's lease is alive; an expired lease is taken over, and its entries, still at
 * the head of the queue, are claimed again. The claimed seqs are leased until `now + leaseMs`.
 */
export async function claimOutboxBatch(db: LoupeDatabase, now: number, leaseMs = LEASE_MS): Promise<ClaimedRecord[]> {
  return db.transaction('rw', [db.outbox, db.syncState, db.audits, db.notes], async () => {
    const state = await loadQueueState(db);
    if (state.lease && state.lease.until > now) return [];
    const taken = await takeBatch(db, state.settledUpTo);
    if (taken.length) await saveQueueState(db, { ...state, lease: { upTo: taken[taken.length - 1]!.seq, until: now + leaseMs } });
    else if (state.lease) await saveQueueState(db, { ...state, lease: null });
    return taken;
  });
}

/**
 * Claims the batch after `held`, a batch this run claimed and has not settled yet, and extends the lease over it:
 * the engine reads the next batch while the current one is on the wire. Returns nothing when the lease is no
 * longer the one that holds `held` (it ran out and another run took it over).
 */
export async function claimFollowingBatch(
  db: LoupeDatabase,
  held: readonly ClaimedRecord[],
  now: number,
  leaseMs = LEASE_MS,
): Promise<ClaimedRecord[]> {
  if (held.length === 0) return [];
  const last = Math.max(...held.map((c) => c.seq));
  return db.transaction('rw', [db.outbox, db.syncState, db.audits, db.notes], async () => {
    const state = await loadQueueState(db);
    if (state.lease?.upTo !== last) return [];
    const taken = await takeBatch(db, last);
    if (taken.length) await saveQueueState(db, { ...state, lease: { upTo: taken[taken.length - 1]!.seq, until: now + leaseMs } });
    return taken;
  });
}

/** The oldest queued entries after `after` that fit one request, in the caller's transaction. */
async function takeBatch(db: LoupeDatabase, after: number): Promise<ClaimedRecord[]> {
  for (;;) {
    const entries = await queuedAfter(db, after).limit(MAX_BATCH_RECORDS).toArray();
    if (entries.length === 0) return [];
    const records = await recordsOf(db, entries);
    const claimable: ClaimedRecord[] = [];
    const orphans: number[] = [];
    const inBatch = new Set<string>();
    entries.forEach((entry, index) => {
      const record = records[index];
      // A v6 entry whose record is gone (never happens through lib/audits or lib/notes): nothing to send.
      if (!record) orphans.push(entry.seq);
      // A second entry of one record (only a raw write could make one) is sent by the first, and swept with it.
      else if (!inBatch.has(entry.key)) {
        inBatch.add(entry.key);
        claimable.push({ seq: entry.seq, key: entry.key, record });
      }
    });
    if (orphans.length) await db.outbox.bulkDelete(orphans);
    if (claimable.length) return claimable.slice(0, fitBatch(claimable.map((c) => c.record)));
    after = entries[entries.length - 1]!.seq;
  }
}

export interface ApplyReport {
  synced: number;
  rejected: number;
  /** Missing from the results, or answered for another rev: not delivered, queued again at the end. */
  undelivered: number;
}

export function withoutSeq({ seq: _seq, ...entry }: OutboxEntry): Omit<OutboxEntry, 'seq'> {
  return entry;
}

type Settlement =
  | { claim: ClaimedRecord; kind: 'synced' }
  | { claim: ClaimedRecord; kind: 'undelivered' }
  | { claim: ClaimedRecord; kind: 'rejected'; reason: ProblemText };

/**
 * Settles claimed records, all of a batch or, while a refused batch is bisected, a contiguous part of it (batches
 * and parts are settled in queue order). The queue's head moves past the part, and its delivered entries stay for
 * sweepSettled; a rejected record is parked and an undelivered one queued again, each only if its entry is still
 * there: an entry that is gone was replaced by a newer change (queued after the batch) or dropped by a pull, and
 * the record counts as synced. The part that reaches the lease's last seq ends the lease.
 */
async function settleClaimed(db: LoupeDatabase, settlements: readonly Settlement[], now: number): Promise<ApplyReport> {
  const report: ApplyReport = { synced: 0, rejected: 0, undelivered: 0 };
  if (settlements.length === 0) return report;
  const seqs = settlements.map((s) => s.claim.seq);
  const last = Math.max(...seqs);
  return db.transaction('rw', [db.outbox, db.syncState], async () => {
    const exceptions = settlements.filter((s) => s.kind !== 'synced').map((s) => s.claim.seq);
    const stillQueued = new Map<number, OutboxEntry>();
    if (exceptions.length) for (const entry of await db.outbox.bulkGet(exceptions)) if (entry) stillQueued.set(entry.seq, entry);
    const parked: OutboxEntry[] = [];
    const requeued: Array<Omit<OutboxEntry, 'seq'>> = [];
    for (const settlement of settlements) {
      const entry = stillQueued.get(settlement.claim.seq);
      if (settlement.kind === 'synced') {
        report.synced += 1;
      } else if (settlement.kind === 'undelivered') {
        report.undelivered += 1;
        if (entry) requeued.push({ ...withoutSeq(entry), status: 'pending' });
      } else if (!entry) {
        report.synced += 1;
      } else {
        // Minus its seq: a seq the key generator gave once, so no other parked entry has this key.
        const { message, key, params } = settlement.reason;
        parked.push({
          ...entry,
          seq: -entry.seq,
          status: 'rejected',
          reason: message,
          ...(key !== undefined && { reasonKey: key }),
          ...(params !== undefined && { reasonParams: params }),
          rejectedAt: now,
        });
        report.rejected += 1;
      }
    }
    // Parked entries move below zero and undelivered ones to the end: their places in the part go now.
    await db.outbox.bulkDelete([...stillQueued.keys()]);
    await db.outbox.bulkPut(parked);
    await db.outbox.bulkAdd(requeued);
    // Parts are settled in queue order, each right after the one before, so everything up to `last` is settled.
    const state = await loadQueueState(db);
    const lease = state.lease && last < state.lease.upTo ? state.lease : null;
    await saveQueueState(db, { ...state, settledUpTo: Math.max(state.settledUpTo, last), lease });
    return report;
  });
}

/**
 * Applies a 200's per-record results. accepted, duplicate and stale mark a record synced (its entry goes);
 * rejected parks it with the server's reason. A record changed while the batch was in flight keeps its newer
 * entry, which is sent with its new rev.
 */
export async function applyBatchResults(
  db: LoupeDatabase,
  claimed: readonly ClaimedRecord[],
  response: BatchResponse,
  now: number,
): Promise<ApplyReport> {
  const results = new Map(response.results.map((r) => [r.id, r]));
  const settlements = claimed.map((claim): Settlement => {
    const result = results.get(claim.record.id);
    if (!result || result.rev !== claim.record.rev) return { claim, kind: 'undelivered' };
    // No reason from the server is stored as none: each page says "no reason given" in its own language.
    if (result.status === 'rejected') return { claim, kind: 'rejected', reason: { message: result.reason ?? '' } };
    return { claim, kind: 'synced' };
  });
  return settleClaimed(db, settlements, now);
}

/** Parks one record the server refuses, with its reason (the server's words, or Loupe's problem), so the rest of the queue goes on. */
export async function parkClaimed(db: LoupeDatabase, claim: ClaimedRecord, reason: ProblemText, now: number): Promise<void> {
  await settleClaimed(db, [{ claim, kind: 'rejected', reason }], now);
}

/**
 * Gives a claimed batch back (the endpoint failed, or refused the token): its lease ends and its entries, which
 * were never touched, stay at the head of the queue. When the next attempt may come is the sync status's
 * business (lib/sync/status.ts): a failure is the endpoint's, so the whole queue waits, not one batch.
 */
export async function releaseClaimed(db: LoupeDatabase, claimed: readonly ClaimedRecord[]): Promise<void> {
  if (claimed.length === 0) return;
  const last = Math.max(...claimed.map((c) => c.seq));
  await db.transaction('rw', db.syncState, async () => {
    const state = await loadQueueState(db);
    // A later lease is another run's (this one's ran out and was taken over): not ours to end.
    if (state.lease && state.lease.upTo <= last) await saveQueueState(db, { ...state, lease: null });
  });
}

/**
 * Ends the lease, whatever its time left, and says how many entries it held. Called when a worker starts: an
 * extension has one service worker at a time, so a lease found then belongs to a run that died with its worker,
 * and waiting for it to expire would only delay the resend.
 */
export async function releaseOrphanedLeases(db: LoupeDatabase): Promise<number> {
  return db.transaction('rw', [db.outbox, db.syncState], async () => {
    const state = await loadQueueState(db);
    if (!state.lease) return 0;
    await saveQueueState(db, { ...state, lease: null });
    return db.outbox.where(':id').between(state.settledUpTo, state.lease.upTo, false, true).count();
  });
}

/**
 * How many seqs one sweepSettled transaction covers: a write that comes during the sweep waits for one chunk at
 * most, as it waited for one batch's settle when the drain deleted as it went.
 */
export const SWEEP_CHUNK = MAX_BATCH_RECORDS;

/**
 * Deletes the delivered entries that settled batches left behind the queue's head, a chunk of seqs per
 * transaction, and says how many went. Called once a sync run is over (lib/background/sync-scheduler.ts): deleting
 * each batch's range as it settled made the browser's LevelDB compact all through the drain (issue 6: at 100,000
 * records, 9.6 s of the browser's CPU during an 11 s drain against 3.8 s without the deletes), and that CPU was
 * taken from sending. Entries left by a worker that stopped first go with the next sweep.
 */
export async function sweepSettled(db: LoupeDatabase, chunk = SWEEP_CHUNK): Promise<number> {
  let swept = 0;
  for (;;) {
    const step = await db.transaction('rw', [db.outbox, db.syncState], async () => {
      const state = await loadQueueState(db);
      if (state.sweptUpTo >= state.settledUpTo) return null;
      // Seqs are unique, so a span of `chunk` seqs holds at most `chunk` entries; the ones deleted before it
      // (tombstones until LevelDB compacts) are never walked again.
      const upTo = Math.min(state.sweptUpTo + chunk, state.settledUpTo);
      const deleted = await db.outbox.where(':id').between(state.sweptUpTo, upTo, false, true).delete();
      await saveQueueState(db, { ...state, sweptUpTo: upTo });
      return deleted;
    });
    if (step === null) return swept;
    swept += step;
  }
}

/**
 * Counting is linear in IndexedDB: 100,000 waiting entries took 1.2–1.7 s to count here, which would hold the
 * popup. Beyond this many, the popup says "1,000+" instead.
 */
export const PENDING_COUNT_CAP = 1_000;

export interface OutboxCounts {
  /** Waiting to be sent or in flight, exact up to PENDING_COUNT_CAP. */
  pending: number;
  /** More than `pending` are waiting. */
  pendingCapped: boolean;
  rejected: number;
}

/**
 * `live`: the count is read inside a liveQuery (the popup's). No more than one past the cap is read either way: one
 * getAll with a count, whatever the backlog. A live count reads rows, because a liveQuery over the primary keys
 * alone misses rows added with generated keys (Dexie 4.4 tracks those keys for row reads only); any other reads
 * keys, since every row carries its record and the worker counts on every item shown and every verdict (issue 6:
 * a day's offline backlog made each context push read a thousand records).
 */
export async function countOutbox(db: LoupeDatabase, { live = false }: { live?: boolean } = {}): Promise<OutboxCounts> {
  const { settledUpTo } = await loadQueueState(db);
  const waitingUpToCap = queuedAfter(db, settledUpTo).limit(PENDING_COUNT_CAP + 1);
  const [waiting, rejected] = await Promise.all([
    live ? waitingUpToCap.toArray() : waitingUpToCap.primaryKeys(),
    parkedEntries(db).count(),
  ]);
  return { pending: Math.min(waiting.length, PENDING_COUNT_CAP), pendingCapped: waiting.length > PENDING_COUNT_CAP, rejected };
}

/**
 * When a batch may next be claimed: now when entries wait, the end of a live lease when one holds the queue
 * (a run stopped mid-batch), null when nothing waits. The sync status's `notBefore` may put it later (engine.ts).
 */
export async function nextDueAt(db: LoupeDatabase, now: number): Promise<number | null> {
  const state = await loadQueueState(db);
  if (!(await queuedAfter(db, state.settledUpTo).first())) return null;
  return state.lease && state.lease.until > now ? state.lease.until : now;
}
