// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { hasBearerToken } from '../../server/http';
import { startReceiver, type RunningReceiver } from '../../server/receiver';
import { buildAudit, buildBatch, postBatch, toSyncRecord } from './fixtures';

const TOKEN = 'team-token-0f9d2c';
let receiver: RunningReceiver | undefined;
afterEach(() => receiver?.close());

const freshBatch = () => buildBatch([toSyncRecord(buildAudit())]);

describe('bearer token', () => {
  it('is not asked for when none is configured', async () => {
    receiver = await startReceiver({ port: 0, db: ':memory:' });
    expect((await postBatch(receiver.origin, freshBatch())).status).toBe(200);
    expect((await postBatch(receiver.origin, freshBatch(), { token: 'anything' })).status).toBe(200);
  });

  it('refuses a batch without the configured token, or with a wrong one, and stores nothing', async () => {
    receiver = await startReceiver({ port: 0, db: ':memory:', token: TOKEN });

    const missing = await postBatch(receiver.origin, freshBatch());
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(await missing.json()).toMatchObject({ error: expect.any(String) });
    expect((await postBatch(receiver.origin, freshBatch(), { token: `${TOKEN}x` })).status).toBe(401);
    expect((await postBatch(receiver.origin, freshBatch(), { token: 'short' })).status).toBe(401);
    expect(receiver.stats()).toMatchObject({ batches: 0, records: 0 });

    expect((await postBatch(receiver.origin, freshBatch(), { token: TOKEN })).status).toBe(200);
    expect(receiver.stats()).toMatchObject({ batches: 1, records: 1 });
  });

  it('guards the health check too, so "Test connection" reports a wrong token', async () => {
    receiver = await startReceiver({ port: 0, db: ':memory:', token: TOKEN });
    const health = (authorization?: string) =>
      fetch(`${receiver?.origin}/v1/health`, authorization ? { headers: { Authorization: authorization } } : {});

    expect((await health()).status).toBe(401);
    expect((await health('Bearer nope')).status).toBe(401);
    expect((await health(`Bearer ${TOKEN}`)).status).toBe(200);
  });
});

describe('hasBearerToken', () => {
  it.each([
    [`Bearer ${TOKEN}`, true],
    [`bearer ${TOKEN}`, true],
    [`Bearer  ${TOKEN} `, true],
    [TOKEN, false],
    [`Basic ${TOKEN}`, false],
    [`Bearer ${TOKEN}1`, false],
    [`Bearer ${TOKEN.slice(0, -1)}`, false],
    ['Bearer ', false],
    [undefined, false],
  ])('%j → %s', (header, expected) => {
    expect(hasBearerToken(header, TOKEN)).toBe(expected);
  });
});
