/**
 * Records the server refused for good, parked below the queue (lib/sync/outbox.ts) with its reason: the list the
 * popup shows, putting them back in the queue, and the JSON export a person hands to the endpoint's owners.
 */
import type { LoupeDatabase } from '../db';
import type { SyncRecord } from './contract';
import { parkedEntries, recordsOf, withoutSeq } from './outbox';

export interface RejectedRecord {
  key: string;
  reason: string;
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
        const { reason: _reason, rejectedAt: _at, ...queued } = withoutSeq(entry);
        return { ...queued, status: 'pending' as const, enqueuedAt: now };
      }),
    );
    return parked.length;
  });
}

/** A JSON document of the rejected records, for a person to inspect or hand to the endpoint's owners. */
export function exportRejectedJson(rejected: readonly RejectedRecord[], now: number): string {
  return `${JSON.stringify({ schema: 'loupe.rejected/1', exportedAt: new Date(now).toISOString(), records: rejected }, null, 2)}\n`;
}
