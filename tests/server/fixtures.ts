/**
 * Valid audits, notes, sync records and batches for the receiver tests, a `postBatch` that speaks the contract and
 * a `getChanges` for the pull route.
 */
import { randomUUID } from 'node:crypto';
import type { Audit } from '../../lib/schemas/audit';
import type { Note } from '../../lib/schemas/note';
import { BATCH_PATH, BATCH_SCHEMA, CHANGES_PATH, type Batch, type SyncRecord } from '../../lib/sync/contract';

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

/** A mentor's root note pinned to a quote on the item's page. */
export function buildNote(overrides: Partial<Note> = {}): Note {
  return {
    id: randomUUID(),
    rev: 1,
    createdAt: T0,
    updatedAt: T0,
    deleted: false,
    siteId: 'acme-labeler',
    itemId: 'item-1042',
    itemUrl: 'https://label.example.com/queue/hate/items/1042',
    authorId: 'mentor-1',
    body: 'This phrase is a dog whistle: see policy 4.2.',
    errorTag: 'missed-violation',
    target: {
      kind: 'text',
      quote: { type: 'TextQuoteSelector', exact: 'you know who', prefix: 'they should go back, ', suffix: ' did it' },
      position: { type: 'TextPositionSelector', start: 120, end: 132 },
    },
    ...overrides,
  };
}

/** A reply to `parent`: same item, no target or error tag of its own. */
export function buildReply(parent: Note, overrides: Partial<Note> = {}): Note {
  return {
    id: randomUUID(),
    rev: 1,
    createdAt: T0 + 1_000,
    updatedAt: T0 + 1_000,
    deleted: false,
    siteId: parent.siteId,
    itemId: parent.itemId,
    itemUrl: parent.itemUrl,
    authorId: 'labeler-7',
    parentId: parent.id,
    body: 'I read it as a neutral phrase; why is it a violation?',
    ...overrides,
  };
}

/** The reader's "read and understood" on `parent`: a reply with no text. */
export function buildAcknowledgement(parent: Note, overrides: Partial<Note> = {}): Note {
  const { body: _body, ...reply } = buildReply(parent, { createdAt: T0 + 2_000, updatedAt: T0 + 2_000 });
  return { ...reply, acknowledged: true, ...overrides };
}

/** Splits a note into the envelope fields and `data`, as the client's outbox does. */
export function noteToSyncRecord(note: Note): SyncRecord {
  const { id, rev, deleted, updatedAt, ...data } = note;
  return { type: 'note', id, rev, deleted, updatedAt, data };
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

/** GETs `/v1/changes` with `query` as given (not checked here, so tests can send bad ones; an array repeats a key). */
export function getChanges(
  origin: string,
  query: Record<string, string | readonly string[]>,
  token?: string,
): Promise<Response> {
  const url = new URL(CHANGES_PATH, origin);
  for (const [key, value] of Object.entries(query)) {
    for (const one of typeof value === 'string' ? [value] : value) url.searchParams.append(key, one);
  }
  return fetch(url, token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } });
}
