// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchResponseSchema } from '../../lib/sync/contract';
import { startReceiver, type RunningReceiver } from '../../server/receiver';
import { buildAudit, buildBatch, postBatch, T0, toSyncRecord } from './fixtures';

const RECEIVED_AT = T0 + 60_000;
let receiver: RunningReceiver;
let clock: number;

beforeEach(async () => {
  clock = RECEIVED_AT;
  receiver = await startReceiver({ port: 0, db: ':memory:', now: () => clock });
});
afterEach(() => receiver.close());

async function resultsOf(response: Response) {
  expect(response.status).toBe(200);
  return batchResponseSchema.parse(await response.json()).results;
}

describe('POST /v1/batches', () => {
  it('accepts new records and stores each with its envelope, data, batch and time of receipt', async () => {
    const audit = buildAudit({ note: 'the slur is in the second frame' });
    const batch = buildBatch([toSyncRecord(audit)]);

    const results = await resultsOf(await postBatch(receiver.origin, batch));

    expect(results).toEqual([{ id: audit.id, rev: 1, status: 'accepted' }]);
    const { id: _id, rev: _rev, deleted: _deleted, updatedAt: _updatedAt, ...data } = audit;
    expect(receiver.db.getRecord(audit.id)).toEqual({
      type: 'audit',
      id: audit.id,
      rev: 1,
      deleted: false,
      updatedAt: audit.updatedAt,
      data,
      receivedAt: RECEIVED_AT,
      batchId: batch.batchId,
    });
    expect(receiver.db.listChanges()).toEqual([
      { seq: 1, type: 'audit', id: audit.id, rev: 1, batchId: batch.batchId, receivedAt: RECEIVED_AT },
    ]);
  });

  it('is idempotent: the same batch sent twice answers duplicate and changes nothing', async () => {
    const audits = [buildAudit(), buildAudit({ verdict: 'correct', errorTags: [] })];
    const batch = buildBatch(audits.map(toSyncRecord));
    await resultsOf(await postBatch(receiver.origin, batch));
    const rowsBefore = audits.map((audit) => receiver.db.getRecord(audit.id));
    clock += 5_000;

    const again = await resultsOf(await postBatch(receiver.origin, batch));

    expect(again).toEqual(audits.map((audit) => ({ id: audit.id, rev: 1, status: 'duplicate' })));
    expect(audits.map((audit) => receiver.db.getRecord(audit.id))).toEqual(rowsBefore);
    expect(receiver.db.listChanges()).toHaveLength(2);
    expect(receiver.stats()).toEqual({ requests: 2, batchRequests: 2, batches: 2, records: 2 });
    // Reads are requests, but not batch requests: a test timing sync's backoff counts only the latter.
    await fetch(`${receiver.origin}/v1/changes?types=note`);
    expect(receiver.stats()).toEqual({ requests: 3, batchRequests: 2, batches: 2, records: 2 });
  });

  it('replaces a record with a higher rev and answers stale to a lower one', async () => {
    const audit = buildAudit({ rev: 2 });
    await resultsOf(await postBatch(receiver.origin, buildBatch([toSyncRecord(audit)])));

    const reaudit = { ...audit, rev: 3, updatedAt: T0 + 1_000, verdict: 'correct' as const, errorTags: [] };
    const newer = buildBatch([toSyncRecord(reaudit)]);
    expect(await resultsOf(await postBatch(receiver.origin, newer))).toEqual([
      { id: audit.id, rev: 3, status: 'accepted' },
    ]);
    expect(receiver.db.getRecord(audit.id)).toMatchObject({ rev: 3, batchId: newer.batchId, data: { verdict: 'correct' } });

    const older = buildBatch([toSyncRecord({ ...audit, rev: 1 })]);
    expect(await resultsOf(await postBatch(receiver.origin, older))).toEqual([
      { id: audit.id, rev: 1, status: 'stale' },
    ]);
    expect(receiver.db.getRecord(audit.id)).toMatchObject({ rev: 3, data: { verdict: 'correct' } });
    expect(receiver.db.listChanges().map((change) => [change.seq, change.rev])).toEqual([
      [1, 2],
      [2, 3],
    ]);
  });

  it('stores a tombstone like any other rev', async () => {
    const audit = buildAudit();
    await postBatch(receiver.origin, buildBatch([toSyncRecord(audit)]));
    const tombstone = { ...audit, rev: 2, deleted: true, deletedAt: T0 + 2_000, updatedAt: T0 + 2_000 };

    const results = await resultsOf(await postBatch(receiver.origin, buildBatch([toSyncRecord(tombstone)])));

    expect(results[0]?.status).toBe('accepted');
    expect(receiver.db.getRecord(audit.id)).toMatchObject({ rev: 2, deleted: true });
  });

  it('rejects an invalid record with its reason, accepts the others, and answers in request order', async () => {
    const first = buildAudit();
    const broken = buildAudit({ errorTags: [] }); // incorrect without a tag
    const last = buildAudit();
    const batch = buildBatch([first, broken, last].map(toSyncRecord));

    const results = await resultsOf(await postBatch(receiver.origin, batch));

    expect(results).toEqual([
      { id: first.id, rev: 1, status: 'accepted' },
      { id: broken.id, rev: 1, status: 'rejected', reason: 'errorTags: an incorrect verdict needs at least one error tag' },
      { id: last.id, rev: 1, status: 'accepted' },
    ]);
    expect(receiver.db.getRecord(broken.id)).toBeUndefined();
    expect(receiver.stats().records).toBe(2);
  });

  it('rejects data with a key the audit schema does not know', async () => {
    const audit = buildAudit();
    const record = { ...toSyncRecord(audit), data: { ...toSyncRecord(audit).data, secret: 'x' } };

    const results = await resultsOf(await postBatch(receiver.origin, buildBatch([record])));

    expect(results[0]).toMatchObject({ id: audit.id, status: 'rejected' });
    expect(results[0]?.reason).toMatch(/secret|unrecognized/i);
  });

  it('settles an id listed twice in one batch in order', async () => {
    const audit = buildAudit();
    const batch = buildBatch([toSyncRecord(audit), toSyncRecord({ ...audit, rev: 2 }), toSyncRecord(audit)]);

    expect((await resultsOf(await postBatch(receiver.origin, batch))).map((result) => result.status)).toEqual([
      'accepted',
      'accepted',
      'stale',
    ]);
  });
});

describe('a database file', () => {
  it('keeps records across a restart, so a batch resent later is still a duplicate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loupe-receiver-'));
    try {
      const path = join(dir, 'receiver.sqlite');
      const batch = buildBatch([toSyncRecord(buildAudit())]);
      const first = await startReceiver({ port: 0, db: path });
      await resultsOf(await postBatch(first.origin, batch));
      await first.close();

      const second = await startReceiver({ port: 0, db: path });
      try {
        expect((await resultsOf(await postBatch(second.origin, batch)))[0]?.status).toBe('duplicate');
        expect(second.db.listChanges()).toHaveLength(1);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('other routes', () => {
  it('answers GET /v1/health', async () => {
    const response = await fetch(`${receiver.origin}/v1/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, schema: 'loupe.batch/1' });
  });

  it('answers unknown routes 404 and wrong methods 405, in JSON', async () => {
    const unknown = await fetch(`${receiver.origin}/v2/batches`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: expect.any(String) });

    const wrongMethod = await fetch(`${receiver.origin}/v1/batches`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST, OPTIONS');
  });

  it('answers a preflight 204, letting extension origins through and not web pages', async () => {
    const preflight = (origin: string) =>
      fetch(`${receiver.origin}/v1/batches`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
      });

    const fromExtension = await preflight('chrome-extension://abcdefghijklmnopabcdefghijklmnop');
    expect(fromExtension.status).toBe(204);
    expect(fromExtension.headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnopabcdefghijklmnop');
    expect(fromExtension.headers.get('access-control-allow-headers')).toMatch(/Idempotency-Key/);

    const fromPage = await preflight('https://evil.example');
    expect(fromPage.status).toBe(204);
    expect(fromPage.headers.get('access-control-allow-origin')).toBeNull();
  });
});
