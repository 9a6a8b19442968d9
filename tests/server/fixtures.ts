/** Valid audits, sync records and batches for the receiver tests, and a `postBatch` that speaks the contract. */
import { randomUUID } from 'node:crypto';
import type { Audit } from '../../lib/schemas/audit';
import { BATCH_PATH, BATCH_SCHEMA, type Batch, type SyncRecord } from '../../lib/sync/contract';

export const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);

export function buildAudit(overrides: Partial<Audit> = {}): Audit {
  return {
    id: randomUUID(),
    rev: 1,
    createdAt: T0,
    updatedAt: T0,
    deleted: false,
    siteId: 'acme-labeler',
    itemId: 'item-1042',
    itemUrl: 'https://label.example.com/queue/hate/items/1042',
    labelerId: 'labeler-7',
    labelerDecision: 'allow',
    auditorId: 'auditor-3',
    verdict: 'incorrect',
    errorTags: ['missed-violation'],
    severity: 'major',
    taxonomyVersion: 1,
    ...overrides,
  };
}

/** Splits an audit into the envelope fields and `data`, as the client's outbox does. */
export function toSyncRecord(audit: Audit): SyncRecord {
  const { id, rev, deleted, updatedAt, ...data } = audit;
  return { type: 'audit', id, rev, deleted, updatedAt, data };
}

export function buildBatch(records: SyncRecord[], overrides: Partial<Batch> = {}): Batch {
  return {
    schema: BATCH_SCHEMA,
    batchId: randomUUID(),
    clientId: '5b0f3f4e-8f5a-4c43-9d1e-2f6f1f0c9a11',
    sentAt: new Date(T0).toISOString(),
    records,
    ...overrides,
  };
}

export interface PostOptions {
  token?: string;
  /** Replaces the default headers entirely when a test needs to leave one out. */
  headers?: Record<string, string>;
}

/** POSTs a batch (or any body) the way the client does: JSON, `Idempotency-Key`, bearer token when given. */
export function postBatch(origin: string, batch: Batch | string, options: PostOptions = {}): Promise<Response> {
  const body = typeof batch === 'string' ? batch : JSON.stringify(batch);
  const headers = options.headers ?? {
    'Content-Type': 'application/json',
    ...(typeof batch === 'string' ? {} : { 'Idempotency-Key': batch.batchId }),
    ...(options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` }),
  };
  return fetch(new URL(BATCH_PATH, origin), { method: 'POST', headers, body });
}
