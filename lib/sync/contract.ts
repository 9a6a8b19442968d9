/**
 * Sync contract v1 (DESIGN.md): the batch the worker POSTs to `{base}/v1/batches` and the answer it expects.
 * The client and the reference receiver (server/) validate with these same schemas.
 */
import { z } from 'zod';
import { auditSchema, noteSchema } from '../schemas';
import { epochMsSchema, recordIdSchema } from '../schemas/common';

export const BATCH_SCHEMA = 'loupe.batch/1';
export const BATCH_PATH = '/v1/batches';

/** Limits of one batch (issue 3): whichever is reached first. */
export const MAX_BATCH_RECORDS = 500;
export const MAX_BATCH_BYTES = 256 * 1024;

export const RECORD_TYPES = ['audit', 'note'] as const;
export const recordTypeSchema = z.enum(RECORD_TYPES);
export type RecordType = z.infer<typeof recordTypeSchema>;

/** What travels for one record: its identity and version outside, everything else in `data`. */
export const syncRecordSchema = z.strictObject({
  type: recordTypeSchema,
  id: recordIdSchema,
  rev: z.number().int().min(1),
  deleted: z.boolean(),
  updatedAt: epochMsSchema,
  data: z.record(z.string(), z.unknown()),
});
export type SyncRecord = z.infer<typeof syncRecordSchema>;

/** A record's `data` checked for its type, once it is put back together with its envelope. */
export function validateRecordData(record: SyncRecord): { ok: true } | { ok: false; reason: string } {
  const whole = { ...record.data, id: record.id, rev: record.rev, deleted: record.deleted, updatedAt: record.updatedAt };
  const parsed = (record.type === 'note' ? noteSchema : auditSchema).safeParse(whole);
  if (parsed.success) return { ok: true };
  const issue = parsed.error.issues[0];
  return { ok: false, reason: `${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}` };
}

export const batchSchema = z.strictObject({
  schema: z.literal(BATCH_SCHEMA),
  batchId: z.uuid(),
  clientId: z.uuid(),
  sentAt: z.iso.datetime(),
  records: z.array(syncRecordSchema).min(1).max(MAX_BATCH_RECORDS),
});
export type Batch = z.infer<typeof batchSchema>;

export const RESULT_STATUSES = ['accepted', 'duplicate', 'stale', 'rejected'] as const;
export const recordResultSchema = z.object({
  id: recordIdSchema,
  rev: z.number().int().min(1),
  status: z.enum(RESULT_STATUSES),
  reason: z.string().max(2000).optional(),
});
export type RecordResult = z.infer<typeof recordResultSchema>;

/** A 200's body. Unknown extra keys are tolerated (a newer server may add some); wrong shapes are not. */
export const batchResponseSchema = z.object({
  results: z.array(recordResultSchema).max(MAX_BATCH_RECORDS),
});
export type BatchResponse = z.infer<typeof batchResponseSchema>;

/**
 * Pull (issue 5): `GET {base}/v1/changes?since=<cursor>&types=note[&siteId=&itemId=][&limit=]` answers the current
 * state of every record of those types changed after `cursor`, oldest change first, at most `limit` (default and
 * maximum 500) a page. `cursor` is opaque to the client: it sends back what the last page gave. No `since` (or
 * an empty one) starts from the beginning. `hasMore` says another page is waiting now.
 */
export const CHANGES_SCHEMA = 'loupe.changes/1';
export const CHANGES_PATH = '/v1/changes';
export const MAX_CHANGES_PAGE = 500;

export const changesCursorSchema = z.string().max(200);

export const changesResponseSchema = z.object({
  schema: z.literal(CHANGES_SCHEMA),
  records: z.array(syncRecordSchema).max(MAX_CHANGES_PAGE),
  cursor: changesCursorSchema,
  hasMore: z.boolean(),
});
export type ChangesResponse = z.infer<typeof changesResponseSchema>;
