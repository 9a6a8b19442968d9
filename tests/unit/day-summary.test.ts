/**
 * lib/leads/day-summary.ts against fake-indexeddb. Expected intervals are Wilson 95 % values computed by hand
 * with Python's statistics.NormalDist (as in tests/unit/metrics-reference.md):
 *   5/7 → [0.3589344518326194, 0.9177810759959433]   5/8 → [0.3057423946026274, 0.8631557141764026]
 *   3/4 → [0.300641842582402, 0.9544127391902995]    2/2 → [0.34238022750665315, 1]
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LoupeDatabase } from '../../lib/db';
import { lastDays, loadDaySummary, loadWeekTrend } from '../../lib/leads/day-summary';
import { DEFAULT_SETTINGS, type Audit } from '../../lib/schemas';
import { saveSettings } from '../../lib/settings-store';
import { dayRange } from '../../lib/time';

const ZONE = 'America/New_York';
// 2026-11-22 in New York (EST, UTC−5) is [05:00 UTC on the 22nd, 05:00 UTC on the 23rd).
const NOW = Date.UTC(2026, 10, 22, 15);
const START = Date.UTC(2026, 10, 22, 5);
const END = Date.UTC(2026, 10, 23, 5);

function audit(overrides: Partial<Audit>): Audit {
  const createdAt = overrides.createdAt ?? START + 3_600_000;
  return {
    id: crypto.randomUUID(),
    rev: 1,
    createdAt,
    updatedAt: createdAt,
    deleted: false,
    siteId: 'labeldesk',
    itemId: crypto.randomUUID(),
    itemUrl: 'https://labeldesk.example.com/task/1',
    auditorId: 'ana',
    verdict: 'correct',
    errorTags: [],
    taxonomyVersion: 1,
    ...overrides,
  };
}

const wrong = (tags: string[], overrides: Partial<Audit> = {}) => audit({ verdict: 'incorrect', errorTags: tags, ...overrides });

let db: LoupeDatabase;
beforeEach(() => {
  db = new LoupeDatabase(`test-${crypto.randomUUID()}`);
});
afterEach(async () => {
  await db.delete();
});

async function seedDay() {
  await saveSettings(db, { ...DEFAULT_SETTINGS, auditorId: 'ana', timeZone: ZONE });
  await db.audits.bulkAdd([
    // ana, labeler L1: 3 correct, 1 incorrect (critical).
    audit({ labelerId: 'L1', createdAt: START }), // the day's first instant counts
    audit({ labelerId: 'L1' }),
    audit({ labelerId: 'L1', createdAt: END - 1 }), // and its last
    wrong(['missed-violation'], { labelerId: 'L1', severity: 'critical' }),
    // ana, labeler L2: 1 correct, 1 incorrect (minor, two tags), 1 unsure.
    audit({ labelerId: 'L2' }),
    wrong(['over-enforcement', 'missed-violation'], { labelerId: 'L2', severity: 'minor' }),
    audit({ labelerId: 'L2', verdict: 'unsure' }),
    // ana, no labeler read off the page.
    audit({}),
    // bo, labeler L1: 1 incorrect.
    wrong(['missed-violation'], { labelerId: 'L1', auditorId: 'bo' }),
    // Not today, or not live: none of these may count.
    wrong(['missed-violation'], { labelerId: 'L1', severity: 'critical', deleted: true, deletedAt: START + 10 }),
    audit({ labelerId: 'L1', createdAt: START - 1 }), // 23:59:59.999 on the 21st in New York, the 22nd in UTC
    wrong(['missed-violation'], { labelerId: 'L1', createdAt: END }), // the 23rd in New York
  ]);
}

describe('loadDaySummary', () => {
  it('narrows by the day index in the zone and computes this auditor’s numbers', async () => {
    await seedDay();
    expect(dayRange(NOW, ZONE)).toEqual({ day: '2026-11-22', start: START, end: END });
    const summary = await loadDaySummary(db, { start: START, end: END }, { auditorId: 'ana' });
    expect(summary).toMatchObject({
      auditorId: 'ana',
      audited: 8,
      correct: 5,
      incorrect: 2,
      unsure: 1,
      critical: 1,
      n: 7,
      target: 0.95,
      targetVerdict: 'below-target',
      withoutLabeler: 1,
    });
    expect(summary.accuracy).toBeCloseTo(5 / 7, 15);
    expect(summary.interval.low).toBeCloseTo(0.3589344518326194, 12);
    expect(summary.interval.high).toBeCloseTo(0.9177810759959433, 12);
    expect(summary.topTags.map(({ label, count }) => [label, count])).toEqual([
      ['Missed violation', 2],
      ['Over-enforcement', 1],
    ]);
    const [l1, l2] = summary.labelers;
    expect(summary.labelers.map((card) => card.labelerId)).toEqual(['L1', 'L2']);
    expect(l1).toMatchObject({ n: 4, correct: 3, incorrect: 1, unsure: 0, critical: 1, belowTarget: false });
    expect(l1?.interval.high).toBeCloseTo(0.9544127391902995, 12);
    expect(l2).toMatchObject({ n: 2, correct: 1, incorrect: 1, unsure: 1, critical: 0 });
  });

  it('counts every auditor in this browser when no auditor is given', async () => {
    await seedDay();
    const summary = await loadDaySummary(db, { start: START, end: END }, { auditorId: null });
    expect(summary).toMatchObject({ auditorId: null, audited: 9, correct: 5, incorrect: 3, unsure: 1, critical: 1, n: 8 });
    expect(summary.interval.low).toBeCloseTo(0.3057423946026274, 12);
    expect(summary.interval.high).toBeCloseTo(0.8631557141764026, 12);
    expect(summary.labelers.find((card) => card.labelerId === 'L1')).toMatchObject({ n: 5, incorrect: 2 });
    expect(summary.topTags[0]).toMatchObject({ tagId: 'missed-violation', count: 3 });
  });

  it('never reads the whole table', async () => {
    await seedDay();
    const where = vi.spyOn(db.audits, 'where');
    const tableArray = vi.spyOn(db.audits, 'toArray');
    const tableFilter = vi.spyOn(db.audits, 'filter');
    await loadDaySummary(db, { start: START, end: END }, { auditorId: 'ana' });
    await loadDaySummary(db, { start: START, end: END });
    await loadWeekTrend(db, NOW, ZONE, 'ana');
    expect(where.mock.calls.map(([index]) => index)).toEqual([
      '[auditorId+createdAt]',
      'createdAt',
      // The week is counted from the verdict index, less tombstones found through the sparse deletedAt index.
      ...Array.from({ length: 7 }, () => ['[auditorId+verdict+createdAt]', '[auditorId+verdict+createdAt]', 'deletedAt']).flat(),
    ]);
    expect(tableArray).not.toHaveBeenCalled();
    expect(tableFilter).not.toHaveBeenCalled();
  });

  it('takes the target and taxonomy it is given over the stored ones', async () => {
    await db.audits.bulkAdd([audit({ labelerId: 'L1' }), audit({ labelerId: 'L1' }), wrong(['custom-tag'], { labelerId: 'L1' })]);
    const summary = await loadDaySummary(
      db,
      { start: START, end: END },
      { target: 0.3, taxonomy: { tags: [{ id: 'custom-tag', label: 'Custom', rootCause: 'other' }] } },
    );
    // 2/3 has the interval [0.2077, 0.9385], which straddles 0.3: the sample cannot tell.
    expect(summary).toMatchObject({ target: 0.3, targetVerdict: 'not-enough', topTags: [{ label: 'Custom', count: 1 }] });
  });

  it('is empty, not NaN, on a day without audits', async () => {
    const summary = await loadDaySummary(db, { start: START, end: END }, { auditorId: 'ana' });
    expect(summary).toMatchObject({ audited: 0, n: 0, accuracy: null, interval: { low: 0, high: 1 }, targetVerdict: 'not-enough' });
    expect(summary.labelers).toEqual([]);
    expect(summary.topTags).toEqual([]);
  });
});

describe('loadWeekTrend', () => {
  it('gives seven calendar days ending today, a 25-hour day included', async () => {
    // New York leaves DST on 2026-11-01: that day runs from 04:00 UTC to 05:00 UTC the next day.
    const now = Date.UTC(2026, 10, 3, 17); // 12:00 on the 3rd in New York
    await db.audits.bulkAdd([
      audit({ createdAt: Date.UTC(2026, 10, 1, 4, 30) }), // 00:30 EDT on the 1st
      audit({ createdAt: Date.UTC(2026, 10, 2, 4, 30) }), // 23:30 EST, still the 1st
      audit({ createdAt: Date.UTC(2026, 10, 2, 5) }), // 00:00 EST on the 2nd
      wrong(['missed-violation'], { createdAt: Date.UTC(2026, 10, 2, 6) }),
      audit({ createdAt: Date.UTC(2026, 10, 2, 7), verdict: 'unsure' }),
      audit({ createdAt: Date.UTC(2026, 10, 3, 6), deleted: true, deletedAt: now }),
      audit({ createdAt: Date.UTC(2026, 10, 3, 6), auditorId: 'bo' }),
      audit({ createdAt: Date.UTC(2026, 9, 28, 3, 59) }), // the 27th in New York: outside the week
    ]);
    const trend = await loadWeekTrend(db, now, ZONE, 'ana');
    expect(trend.map((point) => point.day)).toEqual([
      '2026-10-28',
      '2026-10-29',
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
      '2026-11-02',
      '2026-11-03',
    ]);
    const nov1 = trend[4];
    expect(nov1).toMatchObject({ start: Date.UTC(2026, 10, 1, 4), end: Date.UTC(2026, 10, 2, 5), n: 2, correct: 2, accuracy: 1 });
    expect(nov1?.interval.low).toBeCloseTo(0.34238022750665315, 12);
    expect(trend[5]).toMatchObject({ n: 2, correct: 1, accuracy: 0.5 });
    expect(trend[6]).toMatchObject({ n: 0, accuracy: null }); // ana's only audit that day is a tombstone
    expect(trend[0]).toMatchObject({ n: 0, accuracy: null });

    const team = await loadWeekTrend(db, now, ZONE);
    expect(team[6]).toMatchObject({ n: 1, correct: 1 });
  });

  it('steps back by calendar days, not by 24 hours', () => {
    const days = lastDays(Date.UTC(2026, 10, 3, 17), ZONE);
    for (let index = 1; index < days.length; index += 1) expect(days[index]?.start).toBe(days[index - 1]?.end);
    expect(days[4]!.end - days[4]!.start).toBe(25 * 3_600_000);
  });
});
