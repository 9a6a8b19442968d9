/**
 * Sync contract v1 (DESIGN.md): the batch the worker POSTs to `{base}/v1/batches` and the answer it expects.
 * The client and the reference receiver (server/) validate with these same schemas.
 */
import { z } from 'zod';
import { auditSchema } from '../schemas';
import { epochMsSchema, recordIdSchema } from '../schemas/common';

export const BATCH_SCHEMA = 'loupe.batch/1';
export const BATCH_PATH = '/v1/batches';

/** Limits of one batch (issue 3): whichever is reached first. */
export const MAX_BATCH_RECORDS = 500;
export const MAX_BATCH_BYTES = 256 * 1024;

export const RECORD_TYPES = ['audit'] as const;
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
  const parsed = auditSchema.safeParse(whole);
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
