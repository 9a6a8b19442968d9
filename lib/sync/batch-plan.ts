/**
 * Which claimed records go into one request: in order, at most MAX_BATCH_RECORDS records or MAX_BATCH_BYTES of
 * JSON, whichever comes first (issue 3). A single record larger than the byte limit still goes alone: the server
 * answers 413 and the record is parked, instead of blocking the queue behind it.
 */
import { MAX_BATCH_BYTES, MAX_BATCH_RECORDS, type SyncRecord } from './contract';

const encoder = new TextEncoder();

export function recordBytes(record: SyncRecord): number {
  return encoder.encode(JSON.stringify(record)).length + 1; // + the comma between records
}

/** How many of `records` (from the start) fit in one batch; at least one when there are any. */
export function fitBatch(records: readonly SyncRecord[], maxRecords = MAX_BATCH_RECORDS, maxBytes = MAX_BATCH_BYTES): number {
  let bytes = 200; // the envelope: schema, ids, sentAt
  let count = 0;
  for (const record of records) {
    if (count >= maxRecords) break;
    const size = recordBytes(record);
    if (count > 0 && bytes + size > maxBytes) break;
    bytes += size;
    count += 1;
  }
  return count;
}

/** The two halves a refused batch is split into to find the record at fault. */
export function halves<T>(items: readonly T[]): [T[], T[]] {
  const middle = Math.ceil(items.length / 2);
  return [items.slice(0, middle), items.slice(middle)];
}
