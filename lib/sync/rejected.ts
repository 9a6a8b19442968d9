/**
 * Records the server refused for good, parked below the queue (lib/sync/outbox.ts) with its reason: the list the
 * popup shows, putting them back in the queue, and the JSON export a person hands to the endpoint's owners.
 */
import type { LoupeDatabase } from '../db';
import type { ProblemParams } from '../problem-schema';
import type { SyncRecord } from './contract';
import { parkedEntries, recordsOf, withoutSeq } from './outbox';

export interface RejectedRecord {
  key: string;
  /** The server's words, or Loupe's English around them; rows parked before keys have only this. */
  reason: string;
  /** When Loupe worded the reason (a record too large): its `problems` key and params, for pages to translate. */
  reasonKey?: string;
  reasonParams?: ProblemParams;
  rejectedAt: number | null;
  record: SyncRecord | null;
}

/** Every parked record with its reason and the data it was refused with, in queue order, for the list and the export. */
export async function listRejected(db: LoupeDatabase): Promise<RejectedRecord[]> {
  const entries = await parkedEntries(db).reverse().toArray();
  const records = await recordsOf(db, entries);
  return entries.map((entry, index) => ({
    key: entry.key,
    reason: entry.reason ?? '',
    ...(entry.reasonKey !== undefined && { reasonKey: entry.reasonKey }),
    ...(entry.reasonParams !== undefined && { reasonParams: entry.reasonParams }),
    rejectedAt: entry.rejectedAt ?? null,
    record: records[index] ?? null,
  }));
}

/** Puts parked records (all, or the given keys) back at the end of the queue. */
export async function retryRejected(db: LoupeDatabase, now: number, keys?: readonly string[]): Promise<number> {
  return db.transaction('rw', db.outbox, async () => {
    const parked = keys
      ? (await db.outbox.where('key').anyOf([...keys]).toArray()).filter((e) => e.seq < 0).sort((a, b) => b.seq - a.seq)
      : await parkedEntries(db).reverse().toArray();
    await db.outbox.bulkDelete(parked.map((e) => e.seq));
    await db.outbox.bulkAdd(
      parked.map((entry) => {
        // The reason is dropped with the parking: parked again, the record gets only the reason of that time.
        const { reason: _reason, reasonKey: _key, reasonParams: _params, rejectedAt: _at, ...queued } = withoutSeq(entry);
        return { ...queued, status: 'pending' as const, enqueuedAt: now };
      }),
    );
    return parked.length;
  });
}

/**
 * A JSON document of the rejected records, for a person to inspect or hand to the endpoint's owners: each reason in
 * English, the words they can read, without the key the popup translates by.
 */
export function exportRejectedJson(rejected: readonly RejectedRecord[], now: number): string {
  const records = rejected.map(({ key, reason, rejectedAt, record }) => ({ key, reason, rejectedAt, record }));
  return `${JSON.stringify({ schema: 'loupe.rejected/1', exportedAt: new Date(now).toISOString(), records }, null, 2)}\n`;
}
