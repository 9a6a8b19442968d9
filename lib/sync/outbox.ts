/**
 * The outbox side of sync, for every record type (audits, notes): claiming a batch under a lease, applying the
 * server's per-record results, releasing a batch for a later attempt, parking what the server rejected. Each step
 * is its own IndexedDB transaction, and no network call happens inside one (STYLE.md).
 */
import Dexie from 'dexie';
import type { LoupeDatabase, OutboxEntry } from '../db';
import type { Audit, Note } from '../schemas';
import { fitBatch } from './batch-plan';
import { MAX_BATCH_RECORDS, type BatchResponse, type SyncRecord } from './contract';

/** Longer than a request's 25 s timeout plus applying its results; an expired lease is claimed again. */
export const LEASE_MS = 60_000;

export interface ClaimedRecord {
  key: string;
  record: SyncRecord;
}

/** A stored record as it travels: identity and version in the envelope, everything else in `data`. */
export function toSyncRecord(type: 'audit', record: Audit): SyncRecord;
export function toSyncRecord(type: 'note', record: Note): SyncRecord;
export function toSyncRecord(type: OutboxEntry['type'], record: Audit | Note): SyncRecord {
  const { id, rev, deleted, updatedAt, ...data } = record;
  return { type, id, rev, deleted, updatedAt, data };
}

/**
 * The current state of each entry's record, read from the entry's own table (one bulkGet per type), in the order
 * of `entries`; undefined where the record is gone. Runs inside the caller's transaction when there is one, which
 * must then include `audits` and `notes`.
 */
async function recordsOf(db: LoupeDatabase, entries: readonly OutboxEntry[]): Promise<Array<SyncRecord | undefined>> {
  const ofType = (type: OutboxEntry['type']) => entries.filter((e) => e.type === type).map((e) => e.recordId);
  const [audits, notes] = await Promise.all([db.audits.bulkGet(ofType('audit')), db.notes.bulkGet(ofType('note'))]);
  const found = new Map<string, SyncRecord>();
  for (const audit of audits) if (audit) found.set(`audit:${audit.id}`, toSyncRecord('audit', audit));
  for (const note of notes) if (note) found.set(`note:${note.id}`, toSyncRecord('note', note));
  return entries.map((entry) => found.get(`${entry.type}:${entry.recordId}`));
}

/**
 * Claims the next batch: due pending entries and entries whose lease expired (a run that was stopped mid-batch),
 * oldest first, as many as fit one request. Claimed entries are leased until `now + leaseMs`.
 */
export async function claimOutboxBatch(db: LoupeDatabase, now: number, leaseMs = LEASE_MS): Promise<ClaimedRecord[]> {
  return db.transaction('rw', [db.outbox, db.audits, db.notes], async () => {
    const [pending, expired] = await Promise.all([
      db.outbox.where('[status+nextAttemptAt]').between(['pending', Dexie.minKey], ['pending', now], true, true).limit(MAX_BATCH_RECORDS).toArray(),
      db.outbox.where('[status+nextAttemptAt]').between(['inflight', Dexie.minKey], ['inflight', now], true, true).limit(MAX_BATCH_RECORDS).toArray(),
    ]);
    const due = [...expired, ...pending].sort((a, b) => a.enqueuedAt - b.enqueuedAt).slice(0, MAX_BATCH_RECORDS);
    if (due.length === 0) return [];
    const records = await recordsOf(db, due);
    const claimable: Array<{ entry: OutboxEntry; record: SyncRecord }> = [];
    const orphans: string[] = [];
    due.forEach((entry, index) => {
      const record = records[index];
      if (record) claimable.push({ entry, record });
      else orphans.push(entry.key); // The record is gone (never happens through lib/audits or lib/notes); nothing to send.
    });
    if (orphans.length) await db.outbox.bulkDelete(orphans);
    const taken = claimable.slice(0, fitBatch(claimable.map((c) => c.record)));
    await db.outbox.bulkPut(
      taken.map(({ entry, record }) => ({ ...entry, rev: record.rev, status: 'inflight' as const, nextAttemptAt: now + leaseMs })),
    );
    return taken.map(({ entry, record }) => ({ key: entry.key, record }));
  });
}

export interface ApplyReport {
  synced: number;
  rejected: number;
  /** Missing from the results, or answered for another rev: not delivered, retried later. */
  undelivered: ClaimedRecord[];
}

/**
 * Applies a 200's per-record results. accepted, duplicate and stale mark a record synced (its entry goes);
 * rejected parks it with the server's reason. A record changed while the batch was in flight keeps its newer
 * entry, which is pending again and will be sent with its new rev.
 */
export async function applyBatchResults(
  db: LoupeDatabase,
  claimed: readonly ClaimedRecord[],
  response: BatchResponse,
  now: number,
): Promise<ApplyReport> {
  const results = new Map(response.results.map((r) => [r.id, r]));
  return db.transaction('rw', db.outbox, async () => {
    const report: ApplyReport = { synced: 0, rejected: 0, undelivered: [] };
    const entries = await db.outbox.bulkGet(claimed.map((c) => c.key));
    const done: string[] = [];
    const parked: OutboxEntry[] = [];
    claimed.forEach((claim, index) => {
      const entry = entries[index];
      const result = results.get(claim.record.id);
      if (!result || result.rev !== claim.record.rev) {
        report.undelivered.push(claim);
        return;
      }
      // Changed since it was sent: the newer rev is already queued by the write that changed it.
      if (!entry || entry.rev !== claim.record.rev) {
        report.synced += 1;
        return;
      }
      if (result.status === 'rejected') {
        parked.push({ ...entry, status: 'rejected', reason: result.reason ?? 'rejected by the server (no reason given)', rejectedAt: now });
        report.rejected += 1;
      } else {
        done.push(entry.key);
        report.synced += 1;
      }
    });
    await db.outbox.bulkDelete(done);
    await db.outbox.bulkPut(parked);
    return report;
  });
}

/**
 * Gives claimed entries back for a later attempt, at `delayFor(attempts)` from now. `countAttempt` is false when
 * the failure was not the batch's (a refused token), so no backoff is built up meanwhile.
 */
export async function releaseClaimed(
  db: LoupeDatabase,
  claimed: readonly ClaimedRecord[],
  now: number,
  delayFor: (attempts: number) => number,
  countAttempt = true,
): Promise<number> {
  return db.transaction('rw', db.outbox, async () => {
    const entries = await db.outbox.bulkGet(claimed.map((c) => c.key));
    const released: OutboxEntry[] = [];
    entries.forEach((entry, index) => {
      if (!entry || entry.status !== 'inflight' || entry.rev !== claimed[index]?.record.rev) return;
      const attempts = entry.attempts + (countAttempt ? 1 : 0);
      released.push({ ...entry, status: 'pending', attempts, nextAttemptAt: now + delayFor(attempts) });
    });
    await db.outbox.bulkPut(released);
    return released.reduce((earliest, e) => Math.min(earliest, e.nextAttemptAt), Number.POSITIVE_INFINITY);
  });
}

/** Parks one record the server refuses, with its reason, so the rest of the queue goes on. */
export async function parkClaimed(db: LoupeDatabase, claim: ClaimedRecord, reason: string, now: number): Promise<void> {
  await db.transaction('rw', db.outbox, async () => {
    const entry = await db.outbox.get(claim.key);
    if (!entry || entry.rev !== claim.record.rev) return;
    await db.outbox.put({ ...entry, status: 'rejected', reason, rejectedAt: now });
  });
}

/**
 * Gives back every leased entry at once. Called when a worker starts: an extension has one service worker at a
 * time, so any lease found then belongs to a run that died with its worker, and waiting for it to expire would
 * only delay the resend.
 */
export async function releaseOrphanedLeases(db: LoupeDatabase, now: number): Promise<number> {
  return db.outbox
    .where('[status+nextAttemptAt]')
    .between(['inflight', Dexie.minKey], ['inflight', Dexie.maxKey])
    .modify({ status: 'pending', nextAttemptAt: now });
}

/** Makes every pending entry due now: a person asked to sync, or the network came back. */
export async function makePendingDue(db: LoupeDatabase, now: number): Promise<number> {
  return db.outbox
    .where('[status+nextAttemptAt]')
    .between(['pending', now], ['pending', Dexie.maxKey], false, true)
    .modify({ nextAttemptAt: now });
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

export async function countOutbox(db: LoupeDatabase): Promise<OutboxCounts> {
  const range = (status: OutboxEntry['status']) =>
    db.outbox.where('[status+nextAttemptAt]').between([status, Dexie.minKey], [status, Dexie.maxKey]);
  // Keys only, and no more than one past the cap: one getAllKeys with a count, whatever the backlog.
  const upToCap = async (status: OutboxEntry['status']) => (await range(status).limit(PENDING_COUNT_CAP + 1).primaryKeys()).length;
  const [pending, inflight, rejected] = await Promise.all([upToCap('pending'), upToCap('inflight'), range('rejected').count()]);
  const waiting = pending + inflight;
  return { pending: Math.min(waiting, PENDING_COUNT_CAP), pendingCapped: waiting > PENDING_COUNT_CAP, rejected };
}

/** The earliest time a pending entry is due, or null when nothing waits. */
export async function nextDueAt(db: LoupeDatabase): Promise<number | null> {
  const [pending, inflight] = await Promise.all([
    db.outbox.where('[status+nextAttemptAt]').between(['pending', Dexie.minKey], ['pending', Dexie.maxKey]).first(),
    db.outbox.where('[status+nextAttemptAt]').between(['inflight', Dexie.minKey], ['inflight', Dexie.maxKey]).first(),
  ]);
  const times = [pending?.nextAttemptAt, inflight?.nextAttemptAt].filter((t): t is number => t !== undefined);
  return times.length ? Math.min(...times) : null;
}

export interface RejectedRecord {
  key: string;
  reason: string;
  rejectedAt: number | null;
  record: SyncRecord | null;
}

/** Every parked record with its reason and its current data, for the list and the JSON export. */
export async function listRejected(db: LoupeDatabase): Promise<RejectedRecord[]> {
  const entries = await db.outbox.where('[status+nextAttemptAt]').between(['rejected', Dexie.minKey], ['rejected', Dexie.maxKey]).toArray();
  const records = await recordsOf(db, entries);
  return entries.map((entry, index) => ({
    key: entry.key,
    reason: entry.reason ?? '',
    rejectedAt: entry.rejectedAt ?? null,
    record: records[index] ?? null,
  }));
}

/** Puts parked records (all, or the given keys) back in the queue, due now. */
export async function retryRejected(db: LoupeDatabase, now: number, keys?: readonly string[]): Promise<number> {
  return db.transaction('rw', db.outbox, async () => {
    const entries = keys
      ? (await db.outbox.bulkGet([...keys])).filter((e): e is OutboxEntry => e?.status === 'rejected')
      : await db.outbox.where('[status+nextAttemptAt]').between(['rejected', Dexie.minKey], ['rejected', Dexie.maxKey]).toArray();
    await db.outbox.bulkPut(
      entries.map(({ reason: _reason, rejectedAt: _at, ...entry }) => ({ ...entry, status: 'pending' as const, attempts: 0, nextAttemptAt: now })),
    );
    return entries.length;
  });
}

/** A JSON document of the rejected records, for a person to inspect or hand to the endpoint's owners. */
export function exportRejectedJson(rejected: readonly RejectedRecord[], now: number): string {
  return `${JSON.stringify({ schema: 'loupe.rejected/1', exportedAt: new Date(now).toISOString(), records: rejected }, null, 2)}\n`;
}
