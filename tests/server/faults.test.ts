// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchResponseSchema } from '../../lib/sync/contract';
import { startReceiver, type RunningReceiver } from '../../server/receiver';
import { buildAudit, buildBatch, postBatch, toSyncRecord } from './fixtures';

let receiver: RunningReceiver;

beforeEach(async () => {
  receiver = await startReceiver({ port: 0, db: ':memory:' });
});
afterEach(() => receiver.close());

const freshBatch = (count = 1) => buildBatch(Array.from({ length: count }, () => toSyncRecord(buildAudit())));

describe('fault injection', () => {
  it('failNext answers the status (with Retry-After) without applying the batch, then recovers', async () => {
    receiver.faults.failNext(2, 503, { retryAfter: '7' });
    const batch = freshBatch();

    const first = await postBatch(receiver.origin, batch);
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(await first.json()).toMatchObject({ error: expect.any(String) });
    expect((await postBatch(receiver.origin, batch)).status).toBe(503);
    expect(receiver.stats()).toMatchObject({ requests: 2, batchRequests: 2, batches: 0, records: 0 });

    expect((await postBatch(receiver.origin, batch)).status).toBe(200);
    expect(receiver.stats().records).toBe(1);
  });

  it('failNext without retryAfter sends no Retry-After', async () => {
    receiver.faults.failNext(1, 500);
    const response = await postBatch(receiver.origin, freshBatch());
    expect(response.status).toBe(500);
    expect(response.headers.has('retry-after')).toBe(false);
  });

  it('faults are not spent on the health check or on a refused token', async () => {
    const guarded = await startReceiver({ port: 0, db: ':memory:', token: 'secret' });
    try {
      guarded.faults.failNext(1, 503);
      expect((await fetch(`${guarded.origin}/v1/health`, { headers: { Authorization: 'Bearer secret' } })).status).toBe(200);
      expect((await postBatch(guarded.origin, freshBatch())).status).toBe(401);
      expect((await postBatch(guarded.origin, freshBatch(), { token: 'secret' })).status).toBe(503);
      expect((await postBatch(guarded.origin, freshBatch(), { token: 'secret' })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('delayNext holds the answer for that long, then handles the batch normally', async () => {
    receiver.faults.delayNext(1, 250);
    const started = performance.now();
    const response = await postBatch(receiver.origin, freshBatch());
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect(receiver.faults.pending().delays).toEqual([]);
  });

  it('a delay combines with the next outcome: one slow 503', async () => {
    receiver.faults.delayNext(1, 150);
    receiver.faults.failNext(1, 503);
    const started = performance.now();
    expect((await postBatch(receiver.origin, freshBatch())).status).toBe(503);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('close() does not wait for a pending delay', async () => {
    receiver.faults.delayNext(1, 60_000);
    const pending = postBatch(receiver.origin, freshBatch()).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await receiver.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await pending).toBe('dropped');
  });

  it('dropNext destroys the connection without an answer and applies nothing', async () => {
    receiver.faults.dropNext(1);
    await expect(postBatch(receiver.origin, freshBatch())).rejects.toThrow(TypeError);
    expect(receiver.stats()).toMatchObject({ requests: 1, batches: 0, records: 0 });
    expect((await postBatch(receiver.origin, freshBatch())).status).toBe(200);
  });

  it('rejectRecord refuses every batch that holds the record, naming it, until clear()', async () => {
    const culprit = buildAudit();
    receiver.faults.rejectRecord(culprit.id);
    const innocent = freshBatch(3);
    const withCulprit = buildBatch([...innocent.records, toSyncRecord(culprit)]);

    const refused = await postBatch(receiver.origin, withCulprit);
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ error: expect.stringContaining(culprit.id), recordId: culprit.id });
    expect((await postBatch(receiver.origin, buildBatch([toSyncRecord(culprit)]))).status).toBe(422);
    // The bisected halves without it go through.
    expect((await postBatch(receiver.origin, innocent)).status).toBe(200);

    receiver.faults.clear();
    expect((await postBatch(receiver.origin, withCulprit)).status).toBe(200);
  });

  it('rejectRecord takes a status and a reason', async () => {
    const culprit = buildAudit();
    receiver.faults.rejectRecord(culprit.id, 409, 'conflicts with a legal hold');
    const response = await postBatch(receiver.origin, buildBatch([toSyncRecord(culprit)]));
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: 'conflicts with a legal hold', recordId: culprit.id });
  });

  it('malformedNext applies the batch but answers 200 with a body that fails validation', async () => {
    receiver.faults.malformedNext(1);
    const batch = freshBatch(2);

    const response = await postBatch(receiver.origin, batch);
    expect(response.status).toBe(200);
    expect(batchResponseSchema.safeParse(await response.json()).success).toBe(false);
    expect(receiver.stats().records).toBe(2);

    // The client treats it as not delivered and resends: the write already happened.
    const resent = batchResponseSchema.parse(await (await postBatch(receiver.origin, batch)).json());
    expect(resent.results.map((result) => result.status)).toEqual(['duplicate', 'duplicate']);
  });

  it('one-shot faults are used in the order they were queued', async () => {
    receiver.faults.failNext(1, 429, { retryAfter: '1' });
    receiver.faults.dropNext(1);
    receiver.faults.failNext(1, 502);

    expect((await postBatch(receiver.origin, freshBatch())).status).toBe(429);
    await expect(postBatch(receiver.origin, freshBatch())).rejects.toThrow(TypeError);
    expect((await postBatch(receiver.origin, freshBatch())).status).toBe(502);
    expect((await postBatch(receiver.origin, freshBatch())).status).toBe(200);
  });

  it('clear() drops everything queued', async () => {
    receiver.faults.failNext(3, 503);
    receiver.faults.delayNext(3, 5_000);
    receiver.faults.dropNext(1);
    receiver.faults.malformedNext(1);
    receiver.faults.clear();

    expect(receiver.faults.pending()).toEqual({ outcomes: [], delays: [], refusals: [] });
    expect((await postBatch(receiver.origin, freshBatch())).status).toBe(200);
  });
});
