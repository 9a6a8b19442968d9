/**
 * lib/leads/day-stats.ts against fake-indexeddb: the day tallies the popup reads must give, figure for figure,
 * what counting the audits gives (lib/leads/day-summary.ts, itself checked against hand-computed values), after
 * any mix of verdicts, re-audits and undos written through lib/audits.ts, and must step aside when their zone is
 * not the one that decides "today".
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordVerdict, undoVerdict } from '../../lib/audits';
import { LoupeDatabase } from '../../lib/db';
import { ensureDayStats, loadDayStatsMeta, readDayStats, rebuildDayStats } from '../../lib/leads/day-stats';
import {
  lastDays,
  loadDaySummary,
  loadWeekTrend,
  summarizeDayStats,
  trendPointFromStats,
} from '../../lib/leads/day-summary';
import { DEFAULT_SETTINGS, DEFAULT_TAXONOMY, type DetectedItem, type VerdictInput } from '../../lib/schemas';
import { saveSettings } from '../../lib/settings-store';
import { dayRange } from '../../lib/time';

const ZONE = 'Asia/Phnom_Penh';
const NOW = Date.UTC(2026, 10, 22, 9); // 16:00 in Phnom Penh
const HOUR = 3_600_000;
const TAGS = ['missed-violation', 'over-enforcement', 'wrong-policy'];

let db: LoupeDatabase;
beforeEach(async () => {
  db = new LoupeDatabase(`test-${crypto.randomUUID()}`);
  await saveSettings(db, { ...DEFAULT_SETTINGS, auditorId: 'ana', timeZone: ZONE });
});
afterEach(async () => {
  await db.delete();
});

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function item(index: number, labelerId: string | undefined): DetectedItem {
  return {
    siteId: 'labeldesk',
    itemId: `LD-${index}`,
    itemUrl: `https://labeldesk.example.com/task/LD-${index}`,
    ...(labelerId === undefined ? {} : { labelerId }),
  };
}

function verdictFrom(next: () => number): VerdictInput {
  const roll = next();
  if (roll < 0.6) return { verdict: 'correct', errorTags: [] };
  if (roll < 0.75) return { verdict: 'unsure', errorTags: [] };
  const first = TAGS[Math.floor(next() * TAGS.length)]!;
  const tags = next() < 0.3 ? [...new Set([first, TAGS[Math.floor(next() * TAGS.length)]!])] : [first];
  return { verdict: 'incorrect', errorTags: tags, severity: next() < 0.3 ? 'critical' : 'major' };
}

/**
 * Writes `count` changes over the last four days through lib/audits.ts: new verdicts, re-audits of earlier items and
 * undos, by three auditors, with labelers that include one named like an Object.prototype key.
 */
async function writeHistory(seed: number, count: number): Promise<void> {
  const next = random(seed);
  const labelers = ['L1', 'L2', '__proto__', undefined];
  const auditors = ['ana', 'bo', 'chan'];
  const saved: Array<{ id: string; rev: number; at: number }> = [];
  for (let i = 0; i < count; i += 1) {
    // Time only moves forward, as it does for the worker: an undo never comes before the verdict it takes back.
    const at = NOW - 4 * 24 * HOUR + Math.floor(((i + next()) / count) * 4 * 24 * HOUR);
    const roll = next();
    const last = saved.at(-1);
    if (roll < 0.1 && last) {
      try {
        const undone = await undoVerdict(db, last.id, last.rev, 10 * 24 * HOUR, at);
        saved.push({ id: undone.id, rev: undone.rev, at });
      } catch {
        // Refused (the audit changed since): nothing written, nothing to count.
      }
      continue;
    }
    const index = roll < 0.3 ? Math.floor(next() * Math.max(1, i)) : i; // a re-audit of an earlier item, or a new one
    const audit = await recordVerdict(
      db,
      {
        item: item(index, labelers[index % labelers.length]),
        input: verdictFrom(next),
        auditorId: auditors[Math.floor(next() * auditors.length)]!,
        taxonomyVersion: 1,
      },
      at,
    );
    saved.push({ id: audit.id, rev: audit.rev, at });
  }
}

async function expectTalliesMatchAudits(auditorId: string | null): Promise<void> {
  const week = lastDays(NOW, ZONE);
  const tallies = await readDayStats(db, week.map((d) => d.day), ZONE, auditorId);
  expect(tallies).not.toBeNull();
  const today = dayRange(NOW, ZONE);
  const fromAudits = await loadDaySummary(db, today, { auditorId, target: 0.95, taxonomy: DEFAULT_TAXONOMY });
  expect(summarizeDayStats(tallies!.at(-1)!, today, auditorId, 0.95, DEFAULT_TAXONOMY)).toEqual(fromAudits);
  const trend = await loadWeekTrend(db, NOW, ZONE, auditorId);
  expect(week.map((day, i) => trendPointFromStats(tallies![i]!, day))).toEqual(trend);
}

describe('day tallies', () => {
  it.each([1, 2, 3])('match counting the audits after verdicts, re-audits and undos (seed %i)', async (seed) => {
    await ensureDayStats(db, NOW);
    await writeHistory(seed, 300);
    // Something must have been counted today, or the comparison proves little.
    const today = await loadDaySummary(db, dayRange(NOW, ZONE), { target: 0.95, taxonomy: DEFAULT_TAXONOMY });
    expect(today.audited).toBeGreaterThan(10);
    expect(today.incorrect).toBeGreaterThan(0);
    for (const who of [null, 'ana', 'bo', 'nobody']) await expectTalliesMatchAudits(who);
  });

  it('are not kept before their first build, and the build counts what was written before it', async () => {
    await writeHistory(7, 120);
    expect(await db.dayStats.count()).toBe(0);
    expect(await readDayStats(db, [dayRange(NOW, ZONE).day], ZONE, null)).toBeNull();
    const meta = await ensureDayStats(db, NOW);
    expect(meta.timeZone).toBe(ZONE);
    expect(meta.audits).toBe(await db.audits.filter((a) => !a.deleted).count());
    await expectTalliesMatchAudits(null);
    await expectTalliesMatchAudits('chan');
  });

  it('step aside when the zone that decides "today" changes, until rebuilt in the new zone', async () => {
    await ensureDayStats(db, NOW);
    // 23:30 in Phnom Penh on the 21st is 11:30 the same day in New York: one audit, two different days.
    await recordVerdict(db, { item: item(1, 'L1'), input: { verdict: 'correct', errorTags: [] }, auditorId: 'ana', taxonomyVersion: 1 }, Date.UTC(2026, 10, 21, 16, 30));
    expect((await readDayStats(db, ['2026-11-21'], ZONE, 'ana'))![0]!.total.correct).toBe(1);

    await saveSettings(db, { ...DEFAULT_SETTINGS, auditorId: 'ana', timeZone: 'America/New_York' });
    expect(await readDayStats(db, ['2026-11-21'], 'America/New_York', 'ana')).toBeNull();
    await ensureDayStats(db, NOW);
    expect((await loadDayStatsMeta(db))?.timeZone).toBe('America/New_York');
    const [ny] = (await readDayStats(db, ['2026-11-21'], 'America/New_York', 'ana'))!;
    expect(ny!.total.correct).toBe(1);
    // The old zone's tallies are gone, not mixed in.
    expect(await readDayStats(db, ['2026-11-21'], ZONE, 'ana')).toBeNull();
  });

  it('count a verdict given after the zone changed on the day of the new zone', async () => {
    // 20:00 UTC on the 21st is 03:00 on the 22nd in Phnom Penh and 15:00 on the 21st in New York.
    const at = Date.UTC(2026, 10, 21, 20);
    const correct: VerdictInput = { verdict: 'correct', errorTags: [] };
    await ensureDayStats(db, NOW);
    await recordVerdict(db, { item: item(1, 'L1'), input: correct, auditorId: 'ana', taxonomyVersion: 1 }, at);
    expect((await readDayStats(db, ['2026-11-22'], ZONE, 'ana'))![0]!.total.correct).toBe(1);

    await saveSettings(db, { ...DEFAULT_SETTINGS, auditorId: 'ana', timeZone: 'America/New_York' });
    await ensureDayStats(db, NOW);
    // The verdict path reads ahead the row its last verdict's zone points at; it must land in the new zone's day.
    await recordVerdict(db, { item: item(2, 'L1'), input: correct, auditorId: 'ana', taxonomyVersion: 1 }, at);
    await recordVerdict(db, { item: item(3, 'L1'), input: correct, auditorId: 'ana', taxonomyVersion: 1 }, at);
    const [day] = (await readDayStats(db, ['2026-11-21'], 'America/New_York', 'ana'))!;
    expect(day!.total.correct).toBe(3);
    expect(await db.dayStats.where('day').equals('2026-11-22').count()).toBe(0);
  });

  it('do not rebuild when already in the zone (ensure is a no-op)', async () => {
    const first = await rebuildDayStats(db, ZONE, NOW);
    const again = await ensureDayStats(db, NOW + 1000);
    expect(again.builtAt).toBe(first.builtAt);
  });

  it('keep page-text labeler ids apart from object keys', async () => {
    await ensureDayStats(db, NOW);
    await recordVerdict(db, { item: item(2, '__proto__'), input: { verdict: 'correct', errorTags: [] }, auditorId: 'ana', taxonomyVersion: 1 }, NOW);
    await recordVerdict(db, { item: item(3, 'constructor'), input: { verdict: 'incorrect', errorTags: ['wrong-policy'] }, auditorId: 'ana', taxonomyVersion: 1 }, NOW);
    const [today] = (await readDayStats(db, [dayRange(NOW, ZONE).day], ZONE, 'ana'))!;
    const summary = summarizeDayStats(today!, dayRange(NOW, ZONE), 'ana', 0.95, DEFAULT_TAXONOMY);
    expect(summary.labelers.map((l) => [l.labelerId, l.correct, l.incorrect])).toEqual([
      ['__proto__', 1, 0],
      ['constructor', 0, 1],
    ]);
  });
});

describe('a first verdict written on the tally row the last one left (one round, issue 6)', () => {
  const verdict = (index: number, input: VerdictInput, at = NOW) =>
    recordVerdict(db, { item: item(index, 'L1'), input, auditorId: 'ana', taxonomyVersion: 1 }, at);
  const todayRow = async () => (await readDayStats(db, [dayRange(NOW, ZONE).day], ZONE, 'ana'))![0]!;

  it('writes in one transaction when nothing changed since, with the tallies the long way gives', async () => {
    await ensureDayStats(db, NOW);
    await verdict(1, { verdict: 'correct', errorTags: [] });
    // The one round is written below Dexie (lib/direct-write.ts): a Dexie transaction here is the long way.
    const transactions = vi.spyOn(db, 'transaction');
    await verdict(2, { verdict: 'incorrect', errorTags: ['missed-violation'], severity: 'critical' }, NOW + 1000);
    await verdict(3, { verdict: 'unsure', errorTags: [] }, NOW + 2000);
    expect(transactions).not.toHaveBeenCalled();
    transactions.mockRestore();
    expect(await todayRow()).toMatchObject({ total: { correct: 1, incorrect: 1, unsure: 1, critical: 1 } });
    await expectTalliesMatchAudits('ana');
    expect(await db.outbox.count()).toBe(3);
    expect(await db.auditRevisions.count()).toBe(3);
  });

  it('aborts and reads first when the day’s row changed under it, adding to what is stored', async () => {
    await ensureDayStats(db, NOW);
    await verdict(1, { verdict: 'correct', errorTags: [] });
    // Another writer (a rebuild, another context) moved the row on.
    const row = await todayRow();
    row.total.correct = 5;
    await db.dayStats.put(row);
    const transactions = vi.spyOn(db, 'transaction');
    await verdict(2, { verdict: 'correct', errorTags: [] }, NOW + 1000);
    // The one round aborted, and the long way wrote it.
    expect(transactions).toHaveBeenCalledTimes(1);
    transactions.mockRestore();
    expect((await todayRow()).total.correct).toBe(6);
    expect(await db.audits.count()).toBe(2);
    expect(await db.outbox.count()).toBe(2);
  });

  it('refuses a verdict the schema refuses, as a rejection, and writes nothing', async () => {
    await ensureDayStats(db, NOW);
    await verdict(1, { verdict: 'correct', errorTags: [] });
    const refused = verdict(2, { verdict: 'incorrect', errorTags: [] }, NOW + 1000);
    await expect(refused).rejects.toMatchObject({ name: 'ZodError' });
    expect(await db.audits.count()).toBe(1);
    expect(await db.outbox.count()).toBe(1);
    expect((await todayRow()).total.incorrect).toBe(0);
  });

  it('aborts and reads first when the item already has an audit by this auditor: a re-audit, not a second record', async () => {
    await ensureDayStats(db, NOW);
    const first = await verdict(1, { verdict: 'correct', errorTags: [] });
    const again = await verdict(1, { verdict: 'incorrect', errorTags: ['missed-violation'] }, NOW + 1000);
    expect(again).toMatchObject({ id: first.id, rev: 2 });
    expect(await db.audits.count()).toBe(1);
    expect((await db.outbox.toArray()).map((entry) => entry.rev)).toEqual([2]);
    expect(await todayRow()).toMatchObject({ total: { correct: 0, incorrect: 1 } });
    await expectTalliesMatchAudits('ana');
  });
});
