// @vitest-environment node
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type RunningReceiver } from '../../server/receiver';
import { buildAudit, buildBatch, postBatch, toSyncRecord } from './fixtures';

const MAX_BODY = 4096;
let receiver: RunningReceiver;

beforeEach(async () => {
  receiver = await startReceiver({ port: 0, db: ':memory:', maxBodyBytes: MAX_BODY });
});
afterEach(() => receiver.close());

const freshBatch = () => buildBatch([toSyncRecord(buildAudit())]);

async function expectBadRequest(response: Response, issueMatcher: RegExp) {
  expect(response.status).toBe(400);
  const body = (await response.json()) as { error: string; issues: { path: string; message: string }[] };
  expect(body.error).toEqual(expect.any(String));
  expect(JSON.stringify(body.issues)).toMatch(issueMatcher);
  expect(receiver.stats()).toMatchObject({ batches: 0, records: 0 });
}

describe('envelope validation', () => {
  it('answers 400 to a body that is not JSON', async () => {
    await expectBadRequest(await postBatch(receiver.origin, '{"schema": "loupe.batch/1",'), /JSON|Unexpected|end/i);
  });

  it('answers 400 with the issues when the schema string is wrong', async () => {
    const batch = { ...freshBatch(), schema: 'loupe.batch/2' };
    await expectBadRequest(await postBatch(receiver.origin, JSON.stringify(batch)), /"path":"schema"/);
  });

  it('answers 400 to an envelope with an unknown key or an empty record list', async () => {
    await expectBadRequest(await postBatch(receiver.origin, JSON.stringify({ ...freshBatch(), extra: 1 })), /extra/);
    await expectBadRequest(await postBatch(receiver.origin, buildBatch([])), /"path":"records"/);
  });

  it('answers 400 when Idempotency-Key is not the batchId, and accepts a batch without the header', async () => {
    const batch = freshBatch();
    const mismatched = await postBatch(receiver.origin, batch, {
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    });
    await expectBadRequest(mismatched, /Idempotency-Key/);

    const withoutKey = await postBatch(receiver.origin, batch, { headers: { 'Content-Type': 'application/json' } });
    expect(withoutKey.status).toBe(200);
  });

  it('answers 415 to a body that is not sent as JSON', async () => {
    const batch = freshBatch();
    const response = await postBatch(receiver.origin, batch, {
      headers: { 'Content-Type': 'text/plain', 'Idempotency-Key': batch.batchId },
    });
    expect(response.status).toBe(415);
  });
});

describe('body limit', () => {
  const oversized = () => {
    const batch = freshBatch();
    const record = batch.records[0];
    if (record) record.data.note = 'x'.repeat(MAX_BODY);
    return batch;
  };

  it('answers 413 in JSON to a batch over the limit and stores nothing', async () => {
    const response = await postBatch(receiver.origin, oversized());
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: expect.any(String), limit: MAX_BODY });
    expect(receiver.stats().records).toBe(0);
  });

  it('stops reading a chunked body (no Content-Length) once it crosses the limit', async () => {
    // fetch always sends a length for a string body; a raw request streams chunks that never end by themselves.
    const url = new URL('/v1/batches', receiver.origin);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = 'x'.repeat(1024);
      // Keep writing well past the limit without ending: only the receiver's 413 can settle this.
      let sent = 0;
      const pump = () => {
        if (sent > MAX_BODY * 4 || req.destroyed) return;
        sent += chunk.length;
        req.write(chunk, pump);
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it('accepts a batch just under the limit', async () => {
    const receiverWithRoom = await startReceiver({ port: 0, db: ':memory:', maxBodyBytes: 64 * 1024 });
    try {
      expect((await postBatch(receiverWithRoom.origin, oversized())).status).toBe(200);
    } finally {
      await receiverWithRoom.close();
    }
  });
});
