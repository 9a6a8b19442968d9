import { describe, expect, it } from 'vitest';
import { teamSummaryToDay } from '@/lib/leads/team-day';
import type { TeamSummary } from '@/lib/sync/team-summary';

const summary: TeamSummary = {
  schema: 'loupe.summary/1',
  day: '2026-11-22',
  tz: 'Asia/Phnom_Penh',
  counts: { correct: 45, incorrect: 5, unsure: 2, critical: 1 },
  accuracy: 0.9,
  interval: { low: 0.786, high: 0.957 },
  labelers: [
    { labelerId: 'lab-ana', n: 20, correct: 18, incorrect: 2, unsure: 1, accuracy: 0.9, interval: { low: 0.699, high: 0.972 }, critical: 0, topTags: [{ tagId: 'wrong-policy', count: 2 }] },
    { labelerId: 'lab-ben', n: 20, correct: 13, incorrect: 7, unsure: 0, accuracy: 0.65, interval: { low: 0.433, high: 0.819 }, critical: 1, topTags: [] },
  ],
  topTags: [{ tagId: 'wrong-policy', count: 3, share: 0.6 }, { tagId: 'retired-tag', count: 2, share: 0.4 }],
};

describe('teamSummaryToDay', () => {
  const day = teamSummaryToDay(summary, { start: 1, end: 2 }, 0.95, (id) => (id === 'wrong-policy' ? 'Wrong policy' : id));

  it('keeps the server\u2019s figures and judges them against this team\u2019s target', () => {
    expect(day).toMatchObject({ audited: 52, n: 50, accuracy: 0.9, critical: 1, targetVerdict: 'not-enough', auditorId: null });
    expect(day.labelers.map((l) => [l.labelerId, l.belowTarget])).toEqual([
      ['lab-ana', false],
      ['lab-ben', true],
    ]);
    expect(day.withoutLabeler).toBe(11);
  });

  it('labels tags from the local taxonomy and falls back to the id', () => {
    expect(day.topTags.map((t) => [t.label, t.count, t.cumulativeShare])).toEqual([
      ['Wrong policy', 3, 0.6],
      ['retired-tag', 2, 1],
    ]);
    expect(day.labelers[0]!.topTags[0]).toMatchObject({ label: 'Wrong policy', share: 1 });
  });
});
