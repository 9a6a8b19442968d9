// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Audit } from '../../lib/schemas/audit';
import { teamSummarySchema } from '../../lib/sync/team-summary';
import { startReceiver, type RunningReceiver } from '../../server/receiver';
import { buildAudit, buildBatch, postBatch, toSyncRecord } from './fixtures';

const TOKEN = 'team-token-0f9d2c';
const DAY = '2026-11-22';
const ZONE = 'Asia/Phnom_Penh'; // UTC+7 all year
/** Wall-clock time in Phnom Penh as epoch ms. */
const phnomPenh = (day: number, hour: number, minute = 0) => Date.UTC(2026, 10, day, hour - 7, minute);

let receiver: RunningReceiver | undefined;
let tempDir: string | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  tempDir = undefined;
});

async function store(origin: string, audits: Audit[], token?: string): Promise<void> {
  const response = await postBatch(origin, buildBatch(audits.map(toSyncRecord)), token === undefined ? {} : { token });
  expect(response.status).toBe(200);
}

function getSummary(origin: string, query: Record<string, string>, token?: string): Promise<Response> {
  const url = new URL('/v1/summary', origin);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return fetch(url, token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } });
}

async function summaryOf(origin: string, day: string, tz: string) {
  const response = await getSummary(origin, { day, tz });
  expect(response.status).toBe(200);
  return teamSummarySchema.parse(await response.json());
}

const at = (createdAt: number, overrides: Partial<Audit>) => buildAudit({ createdAt, updatedAt: createdAt, ...overrides });
const correct = (createdAt: number, labelerId?: string) =>
  at(createdAt, { verdict: 'correct', errorTags: [], severity: undefined, labelerId });

describe('GET /v1/summary', () => {
  it('computes the day’s team and per-labeler numbers from the live audits created on it', async () => {
    receiver = await startReceiver({ port: 0, db: ':memory:' });
    const deletedLater = at(phnomPenh(22, 11), { verdict: 'incorrect', errorTags: ['missed-violation'], labelerId: 'labeler-2' });
    await store(receiver.origin, [
      correct(phnomPenh(22, 0, 0), 'labeler-1'),
      correct(phnomPenh(22, 9), 'labeler-1'),
      // 23:30 in Phnom Penh is 16:30 UTC: still the 22nd there.
      correct(phnomPenh(22, 23, 30), 'labeler-1'),
      at(phnomPenh(22, 10), { labelerId: 'labeler-1', errorTags: ['missed-violation'], severity: 'critical' }),
      at(phnomPenh(22, 12), { labelerId: 'labeler-2', errorTags: ['missed-violation', 'wrong-policy'], severity: 'major' }),
      at(phnomPenh(22, 13), { labelerId: 'labeler-2', errorTags: ['over-enforcement'], severity: 'minor' }),
      at(phnomPenh(22, 14), { labelerId: 'labeler-2', verdict: 'unsure', errorTags: [], severity: undefined }),
      // No labeler read off the page: counts for the team, on nobody's card.
      correct(phnomPenh(22, 15), undefined),
      // Other local days: 23:59 on the 21st and 00:30 on the 23rd.
      correct(phnomPenh(21, 23, 59), 'labeler-1'),
      at(phnomPenh(23, 0, 30), { labelerId: 'labeler-2', errorTags: ['missed-violation'], severity: 'critical' }),
      // Deleted: a tombstone as it arrives, and an audit deleted by a later rev.
      at(phnomPenh(22, 16), { labelerId: 'labeler-1', deleted: true, deletedAt: phnomPenh(22, 17), severity: 'critical' }),
      deletedLater,
    ]);
    await store(receiver.origin, [{ ...deletedLater, rev: 2, deleted: true, deletedAt: phnomPenh(22, 18), updatedAt: phnomPenh(22, 18) }]);

    const summary = await summaryOf(receiver.origin, DAY, ZONE);

    // The store leaves deleted rows out itself, not only the metrics.
    const stored = receiver.db.listLiveCreatedBetween('audit', phnomPenh(22, 0), phnomPenh(23, 0));
    expect(stored).toHaveLength(8);
    expect(stored.map((record) => record.id)).not.toContain(deletedLater.id);
    expect(summary).toMatchObject({
      schema: 'loupe.summary/1',
      day: DAY,
      tz: ZONE,
      counts: { correct: 4, incorrect: 3, unsure: 1, critical: 1 },
      topTags: [
        { tagId: 'missed-violation', count: 2, share: 0.5 },
        { tagId: 'over-enforcement', count: 1, share: 0.25 },
        { tagId: 'wrong-policy', count: 1, share: 0.25 },
      ],
    });
    // Reference values: Wilson score at z = 1.959963984540054, computed independently in Python.
    expect(summary.accuracy).toBeCloseTo(4 / 7, 12);
    expect(summary.interval.low).toBeCloseTo(0.2504583645276572, 12);
    expect(summary.interval.high).toBeCloseTo(0.8417801447485302, 12);

    expect(summary.labelers.map((row) => row.labelerId)).toEqual(['labeler-1', 'labeler-2']);
    const [first, second] = summary.labelers;
    expect(first).toMatchObject({
      n: 4,
      correct: 3,
      incorrect: 1,
      unsure: 0,
      accuracy: 0.75,
      critical: 1,
      topTags: [{ tagId: 'missed-violation', count: 1 }],
    });
    expect(first?.interval.low).toBeCloseTo(0.30064184258240184, 12);
    expect(first?.interval.high).toBeCloseTo(0.9544127391902995, 12);
    expect(second).toEqual({
      labelerId: 'labeler-2',
      n: 2,
      correct: 0,
      incorrect: 2,
      unsure: 1,
      accuracy: 0,
      interval: { low: 0, high: expect.closeTo(0.6576197724933469, 12) as number },
      critical: 0,
      topTags: [
        { tagId: 'missed-violation', count: 1 },
        { tagId: 'over-enforcement', count: 1 },
        { tagId: 'wrong-policy', count: 1 },
      ],
    });
  });

  it('answers an empty day with no accuracy and the [0, 1] interval', async () => {
    receiver = await startReceiver({ port: 0, db: ':memory:' });
    await store(receiver.origin, [correct(phnomPenh(23, 9), 'labeler-1')]);

    expect(await summaryOf(receiver.origin, DAY, ZONE)).toEqual({
      schema: 'loupe.summary/1',
      day: DAY,
      tz: ZONE,
      counts: { correct: 0, incorrect: 0, unsure: 0, critical: 0 },
      accuracy: null,
      interval: { low: 0, high: 1 },
      labelers: [],
      topTags: [],
    });
  });

  // Each case: an audit just inside the local day at each end, and one just outside each end.
  it.each<[string, string, string, { first: string; last: string; before: string; after: string }]>([
    ['a 25-hour day (clocks fall back)', 'America/New_York', '2026-11-01', {
      first: '2026-11-01T04:00:00Z', last: '2026-11-02T04:59:59Z', before: '2026-11-01T03:59:59Z', after: '2026-11-02T05:00:00Z',
    }],
    ['a 23-hour day (clocks spring forward)', 'America/New_York', '2026-03-08', {
      first: '2026-03-08T05:00:00Z', last: '2026-03-09T03:59:59Z', before: '2026-03-08T04:59:59Z', after: '2026-03-09T04:00:00Z',
    }],
    ['a zone at UTC+14', 'Pacific/Kiritimati', DAY, {
      first: '2026-11-21T10:00:00Z', last: '2026-11-22T09:59:59Z', before: '2026-11-21T09:59:59Z', after: '2026-11-22T10:00:00Z',
    }],
    ['a zone at UTC−11', 'Pacific/Pago_Pago', DAY, {
      first: '2026-11-22T11:00:00Z', last: '2026-11-23T10:59:59Z', before: '2026-11-22T10:59:59Z', after: '2026-11-23T11:00:00Z',
    }],
  ])('finds the local day in %s', async (_case, tz, day, instants) => {
    receiver = await startReceiver({ port: 0, db: ':memory:' });
    const labeled = (iso: string, labelerId: string) => correct(Date.parse(iso), labelerId);
    await store(receiver.origin, [
      labeled(instants.first, 'in-first'),
      labeled(instants.last, 'in-last'),
      labeled(instants.before, 'out-before'),
      labeled(instants.after, 'out-after'),
    ]);

    const summary = await summaryOf(receiver.origin, day, tz);

    expect(summary.labelers.map((row) => row.labelerId)).toEqual(['in-first', 'in-last']);
  });

  it.each<[string, Record<string, string>]>([
    ['no day', { tz: ZONE }],
    ['a day that does not exist', { day: '2026-02-29', tz: ZONE }],
    ['a timestamp for a day', { day: '2026-11-22T00:00:00Z', tz: ZONE }],
    ['a day in another format', { day: '22/11/2026', tz: ZONE }],
    ['no zone', { day: DAY }],
    ['an empty zone', { day: DAY, tz: '' }],
    ['an unknown zone', { day: DAY, tz: 'Mars/Olympus_Mons' }],
    ['a day the zone skipped', { day: '2011-12-30', tz: 'Pacific/Apia' }],
  ])('answers 400 with an error for %s', async (_case, query) => {
    receiver = await startReceiver({ port: 0, db: ':memory:' });
    const response = await getSummary(receiver.origin, query);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.any(String) });
  });

  it('asks for the batches’ token, before looking at the query', async () => {
    receiver = await startReceiver({ port: 0, db: ':memory:', token: TOKEN });
    await store(receiver.origin, [correct(phnomPenh(22, 9), 'labeler-1')], TOKEN);

    const missing = await getSummary(receiver.origin, { day: DAY, tz: ZONE });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect((await getSummary(receiver.origin, { day: DAY, tz: ZONE }, `${TOKEN}x`)).status).toBe(401);
    expect((await getSummary(receiver.origin, { day: 'bad', tz: ZONE })).status).toBe(401);

    const allowed = await getSummary(receiver.origin, { day: DAY, tz: ZONE }, TOKEN);
    expect(allowed.status).toBe(200);
    expect(teamSummarySchema.parse(await allowed.json()).counts.correct).toBe(1);
  });

  it('answers only GET', async () => {
    receiver = await startReceiver({ port: 0, db: ':memory:' });
    const response = await fetch(new URL(`/v1/summary?day=${DAY}&tz=UTC`, receiver.origin), { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, OPTIONS');
  });

  it('adds and fills created_at in a database made before the column existed', async () => {
    tempDir = mkdtempSync(join(tmpdir(), 'loupe-summary-'));
    const path = join(tempDir, 'receiver.sqlite');
    const audit = correct(phnomPenh(22, 9), 'labeler-1');
    const { id, rev, deleted, updatedAt, ...data } = audit;
    const old = new Database(path);
    // The records table as the receiver created it before issue 4.
    old.exec(`CREATE TABLE records (
      id TEXT PRIMARY KEY, type TEXT NOT NULL, rev INTEGER NOT NULL, deleted INTEGER NOT NULL,
      updated_at INTEGER NOT NULL, data TEXT NOT NULL, received_at INTEGER NOT NULL, batch_id TEXT NOT NULL
    ) STRICT`);
    old
      .prepare('INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, 'audit', rev, deleted ? 1 : 0, updatedAt, JSON.stringify(data), updatedAt, 'b0000000-0000-4000-8000-000000000000');
    old.close();

    receiver = await startReceiver({ port: 0, db: path });
    await store(receiver.origin, [correct(phnomPenh(22, 10), 'labeler-2')]);

    const summary = await summaryOf(receiver.origin, DAY, ZONE);
    expect(summary.labelers.map((row) => row.labelerId)).toEqual(['labeler-1', 'labeler-2']);
    const plan = receiver.db.sqlite
      .prepare<[], { detail: string }>(
        "EXPLAIN QUERY PLAN SELECT * FROM records WHERE type = 'audit' AND deleted = 0 AND created_at >= 0 AND created_at < 1",
      )
      .all();
    expect(plan.map((row) => row.detail).join('\n')).toContain('records_live_created_at');
  });
});
