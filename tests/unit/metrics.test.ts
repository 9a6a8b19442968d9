/**
 * Metrics against reference values computed outside this code base, with Python 3.11's standard library on
 * the dev machine. Each table says which command produced its numbers; the full commands and their output are
 * in tests/unit/metrics-reference.md. Tolerance 1e-9 unless a value is exact by construction.
 */
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  cohenKappa,
  dailySeries,
  errorTagPareto,
  inverseNormalCdf,
  labelerScorecards,
  rootCausePareto,
  severityWeightedAccuracy,
  targetVerdict,
  wilsonInterval,
  zForConfidence,
  type MetricAudit,
} from '../../lib/metrics';
import type { Taxonomy } from '../../lib/schemas/taxonomy';

const TOLERANCE = 1e-9;
const utc = (iso: string) => Date.parse(iso);

function expectClose(actual: number | null | undefined, expected: number, tolerance = TOLERANCE) {
  expect(actual).toBeTypeOf('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tolerance);
}

let clock = utc('2026-05-01T12:00:00Z');
function audit(overrides: Partial<MetricAudit> & Pick<MetricAudit, 'verdict'>): MetricAudit {
  clock += 1000;
  return { errorTags: [], deleted: false, createdAt: clock, ...overrides };
}
const times = <T>(count: number, make: () => T): T[] => Array.from({ length: count }, make);

const taxonomy: Pick<Taxonomy, 'tags'> = {
  tags: [
    { id: 'missed-violation', label: 'Missed violation', rootCause: 'knowledge-gap' },
    { id: 'wrong-policy', label: 'Wrong policy', rootCause: 'knowledge-gap' },
    { id: 'wrong-severity', label: 'Wrong severity', rootCause: 'attention-slip' },
    { id: 'insufficient-context', label: 'Insufficient context', rootCause: 'attention-slip' },
    { id: 'guideline-unclear', label: 'Guideline unclear', rootCause: 'guideline-ambiguity' },
  ],
};

describe('accuracy', () => {
  it('excludes unsure and is null, not NaN, with no trials', () => {
    expect(accuracy({ correct: 45, incorrect: 5 })).toBe(0.9);
    expect(accuracy({ correct: 0, incorrect: 3 })).toBe(0);
    expect(accuracy({ correct: 0, incorrect: 0 })).toBeNull();
  });
});

describe('inverseNormalCdf', () => {
  // python3 -c "from statistics import NormalDist; print(repr(NormalDist().inv_cdf(p)))", per p. As a check that
  // does not share the algorithm (AS241), Φ(z) = 1 - erfc(z/√2)/2 with math.erfc gives back 0.975 and 0.995.
  it.each([
    [1e-10, -6.361340902404056],
    [0.02, -2.0537489106318225],
    [0.3, -0.5244005127080407],
    [0.5, 0],
    [0.9, 1.2815515655446008],
    [0.975, 1.9599639845400536],
    [1 - 1e-12, 7.0344869100478356],
  ])('Φ⁻¹(%s) = %s', (p, z) => {
    expectClose(inverseNormalCdf(p), z);
  });

  it.each([0, 1, -0.1, Number.NaN])('refuses p = %s', (p) => {
    expect(() => inverseNormalCdf(p)).toThrow(RangeError);
  });

  // python3 -c "from statistics import NormalDist; print(repr(NormalDist().inv_cdf((1 + c) / 2)))"
  it.each([
    [0.9, 1.6448536269514715],
    [0.95, 1.9599639845400536],
    [0.99, 2.5758293035489],
  ])('two-sided z for confidence %s is %s', (confidence, z) => {
    expectClose(zForConfidence(confidence), z, 1e-12);
  });
});

describe('wilsonInterval', () => {
  // python3 -c "from statistics import NormalDist; from math import sqrt; ..." with the closed form
  //   z = inv_cdf((1+c)/2); p = s/n; d = 1 + z²/n; m = (p + z²/2n)/d; h = z/d·sqrt(p(1-p)/n + z²/4n²)
  //   (low, high) = (max(0, m-h), min(1, m+h))   (metrics-reference.md, "Wilson")
  it.each([
    [1, 1, 0.95, 0.20654931437723745, 1],
    [0, 1, 0.95, 0, 0.7934506856227626],
    [0, 1, 0.99, 0, 0.8690224567198142],
    // Mission anchors' worked examples: 90 % (78.6–95.7 %) and 95 % (91.0–97.3 %).
    [45, 50, 0.95, 0.7863976856252035, 0.9565242350681096],
    [45, 50, 0.9, 0.8084624858484292, 0.9504709655225548],
    [45, 50, 0.99, 0.740269210404316, 0.9660091162215816],
    [190, 200, 0.95, 0.9104218518612239, 0.972617354399236],
    [9500, 10_000, 0.95, 0.9455528841569758, 0.9541015173094152],
    [9973, 10_000, 0.95, 0.9960744058463006, 0.9981436693742244],
    [0, 20, 0.95, 0, 0.1611251580528193],
    [20, 20, 0.95, 0.8388748419471808, 1],
    [10, 20, 0.95, 0.29929800819821234, 0.7007019918017876],
  ])('%s/%s at %s → [%s, %s]', (successes, trials, confidence, low, high) => {
    const interval = wilsonInterval(successes, trials, confidence);
    expectClose(interval.low, low);
    expectClose(interval.high, high);
  });

  it('is [0, 1] with no trials, at any confidence', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
    expect(wilsonInterval(0, 0, 0.99)).toEqual({ low: 0, high: 1 });
  });

  it('is exactly 0 or 1 at the edges and never leaves [0, 1]', () => {
    expect(wilsonInterval(0, 7).low).toBe(0);
    expect(wilsonInterval(7, 7).high).toBe(1);
    for (const [s, n] of [[1, 3], [2, 3], [999, 1000], [1, 1000]] as const) {
      const { low, high } = wilsonInterval(s, n);
      expect(low).toBeGreaterThan(0);
      expect(high).toBeLessThan(1);
      expect(low).toBeLessThan(s / n);
      expect(high).toBeGreaterThan(s / n);
    }
  });

  // A property independent of the closed form: Wilson's bounds are the roots b of n(p̂ − b)² = z²·b(1 − b).
  it.each([
    [3, 17, 0.95],
    [45, 50, 0.99],
    [512, 600, 0.9],
  ])('%s/%s at %s solves the score equation', (s, n, confidence) => {
    const z = zForConfidence(confidence);
    for (const bound of Object.values(wilsonInterval(s, n, confidence))) {
      expectClose(n * (s / n - bound) ** 2 - z * z * bound * (1 - bound), 0, 1e-9);
    }
  });

  it.each([
    [3, 2, 0.95],
    [-1, 2, 0.95],
    [1.5, 2, 0.95],
    [1, 2, 1],
    [1, 2, 0],
  ])('refuses %s/%s at confidence %s', (s, n, confidence) => {
    expect(() => wilsonInterval(s, n, confidence)).toThrow(RangeError);
  });
});

describe('targetVerdict', () => {
  it.each([
    // 45/50 straddles a 95 % KPI: 50 items can neither confirm nor refute it (mission anchors).
    [{ low: 0.7863976856252035, high: 0.9565242350681096 }, 0.95, 'not-enough'],
    [{ low: 0.9104218518612239, high: 0.972617354399236 }, 0.9, 'on-target'],
    [{ low: 0.29929800819821234, high: 0.7007019918017876 }, 0.95, 'below-target'],
    [{ low: 0.95, high: 0.99 }, 0.95, 'on-target'],
    [{ low: 0.9, high: 0.95 }, 0.95, 'not-enough'],
    [{ low: 0, high: 1 }, 0.95, 'not-enough'],
  ] as const)('%o against %s is %s', (interval, target, verdict) => {
    expect(targetVerdict(interval, target)).toBe(verdict);
  });
});

describe('Pareto', () => {
  // Counted by hand: missed 3, wrong-policy 2, insufficient-context 2, guideline-unclear 1, retired-tag 1 (9).
  const audits: MetricAudit[] = [
    audit({ verdict: 'incorrect', errorTags: ['missed-violation', 'wrong-policy'] }),
    audit({ verdict: 'incorrect', errorTags: ['missed-violation'] }),
    audit({ verdict: 'incorrect', errorTags: ['missed-violation', 'insufficient-context'] }),
    audit({ verdict: 'incorrect', errorTags: ['wrong-policy'] }),
    audit({ verdict: 'incorrect', errorTags: ['guideline-unclear'] }),
    audit({ verdict: 'incorrect', errorTags: ['insufficient-context'] }),
    // Tagged against an older taxonomy: still counted, under its id, as root cause 'other'.
    audit({ verdict: 'incorrect', errorTags: ['retired-tag'] }),
    audit({ verdict: 'correct', errorTags: ['missed-violation'] }),
    audit({ verdict: 'unsure' }),
    audit({ verdict: 'incorrect', errorTags: ['guideline-unclear'], deleted: true }),
  ];

  it('ranks tags by count, ties by label, with shares of all tag occurrences', () => {
    const rows = errorTagPareto(audits, taxonomy);
    expect(rows.map(({ tagId, label, count }) => [tagId, label, count])).toEqual([
      ['missed-violation', 'Missed violation', 3],
      ['insufficient-context', 'Insufficient context', 2],
      ['wrong-policy', 'Wrong policy', 2],
      ['guideline-unclear', 'Guideline unclear', 1],
      ['retired-tag', 'retired-tag', 1],
    ]);
    [3 / 9, 2 / 9, 2 / 9, 1 / 9, 1 / 9].forEach((share, index) => expectClose(rows[index]?.share, share));
    [3 / 9, 5 / 9, 7 / 9, 8 / 9, 1].forEach((cumulative, index) => expectClose(rows[index]?.cumulativeShare, cumulative));
    expectClose(rows.reduce((sum, row) => sum + row.share, 0), 1, 1e-12);
    expect(rows.at(-1)?.cumulativeShare).toBe(1);
  });

  it('groups the same occurrences by root cause', () => {
    const rows = rootCausePareto(audits, taxonomy);
    expect(rows.map(({ rootCause, count }) => [rootCause, count])).toEqual([
      ['knowledge-gap', 5],
      ['attention-slip', 2],
      ['guideline-ambiguity', 1],
      ['other', 1],
    ]);
    [5 / 9, 2 / 9, 1 / 9, 1 / 9].forEach((share, index) => expectClose(rows[index]?.share, share));
    expectClose(rows.reduce((sum, row) => sum + row.share, 0), 1, 1e-12);
    expect(rows.at(-1)?.cumulativeShare).toBe(1);
  });

  it('is empty when nothing was incorrect', () => {
    expect(errorTagPareto([audit({ verdict: 'correct', errorTags: ['wrong-policy'] })], taxonomy)).toEqual([]);
    expect(rootCausePareto([], taxonomy)).toEqual([]);
  });
});

describe('labelerScorecards', () => {
  const audits: MetricAudit[] = [
    ...times(45, () => audit({ verdict: 'correct', labelerId: 'ana' })),
    audit({ verdict: 'incorrect', labelerId: 'ana', errorTags: ['missed-violation'], severity: 'critical' }),
    audit({ verdict: 'incorrect', labelerId: 'ana', errorTags: ['missed-violation'], severity: 'critical' }),
    audit({ verdict: 'incorrect', labelerId: 'ana', errorTags: ['missed-violation', 'wrong-severity'] }),
    audit({ verdict: 'incorrect', labelerId: 'ana', errorTags: ['wrong-policy'], severity: 'minor' }),
    audit({ verdict: 'incorrect', labelerId: 'ana', errorTags: ['guideline-unclear'] }),
    audit({ verdict: 'unsure', labelerId: 'ana' }),
    audit({ verdict: 'unsure', labelerId: 'ana' }),
    // Neither counts as critical: a correct verdict has no error to rate, a tombstone is gone.
    audit({ verdict: 'correct', labelerId: 'ana', severity: 'critical' }),
    audit({ verdict: 'incorrect', labelerId: 'ana', errorTags: ['wrong-policy'], severity: 'critical', deleted: true }),
    ...times(10, () => audit({ verdict: 'correct', labelerId: 'bo' })),
    ...times(10, () => audit({ verdict: 'incorrect', labelerId: 'bo', errorTags: ['insufficient-context'] })),
    audit({ verdict: 'unsure', labelerId: 'cy' }),
    audit({ verdict: 'incorrect', errorTags: ['wrong-policy'] }),
  ];
  const [ana, bo, cy, ...rest] = labelerScorecards(audits, taxonomy, 0.95);

  it('has one card per labeler, by id, leaving out audits with no labeler', () => {
    expect([ana?.labelerId, bo?.labelerId, cy?.labelerId]).toEqual(['ana', 'bo', 'cy']);
    expect(rest).toEqual([]);
  });

  it('counts verdicts and gives accuracy with the Wilson interval', () => {
    // ana: 46 correct (45 + the correct one marked critical), 5 incorrect.
    expect(ana).toMatchObject({ n: 51, correct: 46, incorrect: 5, unsure: 2, critical: 2, belowTarget: false });
    expectClose(ana?.accuracy, 46 / 51);
    // python3 closed form as in the Wilson table, s = 46, n = 51 (metrics-reference.md).
    expectClose(ana?.interval.low, 0.7902176531891913);
    expectClose(ana?.interval.high, 0.9573919268923814);
  });

  it('flags a labeler whose whole interval is below target', () => {
    expect(bo).toMatchObject({ n: 20, correct: 10, incorrect: 10, unsure: 0, critical: 0, belowTarget: true, accuracy: 0.5 });
    expectClose(bo?.interval.low, 0.29929800819821234);
    expectClose(bo?.interval.high, 0.7007019918017876);
  });

  it('gives a labeler with only unsure audits no accuracy and an open interval', () => {
    expect(cy).toMatchObject({ n: 0, unsure: 1, accuracy: null, interval: { low: 0, high: 1 }, belowTarget: false });
    expect(cy?.topTags).toEqual([]);
  });

  it("lists the labeler's top three tags, shares within the labeler's errors", () => {
    // ana's 6 tag occurrences: missed 3, then three singletons ordered by label.
    expect(ana?.topTags.map((row) => [row.tagId, row.count])).toEqual([
      ['missed-violation', 3],
      ['guideline-unclear', 1],
      ['wrong-policy', 1],
    ]);
    expectClose(ana?.topTags[0]?.share, 0.5);
    expectClose(ana?.topTags[2]?.cumulativeShare, 5 / 6);
    expect(bo?.topTags).toMatchObject([{ tagId: 'insufficient-context', count: 10, share: 1 }]);
  });
});

describe('severityWeightedAccuracy', () => {
  const weights = { minor: 1, major: 3, critical: 10 };
  const audits: MetricAudit[] = [
    ...times(6, () => audit({ verdict: 'correct' })),
    audit({ verdict: 'incorrect', errorTags: ['wrong-severity'], severity: 'minor' }),
    audit({ verdict: 'incorrect', errorTags: ['missed-violation'], severity: 'critical' }),
    audit({ verdict: 'incorrect', errorTags: ['wrong-policy'] }),
    audit({ verdict: 'unsure' }),
    audit({ verdict: 'incorrect', errorTags: ['missed-violation'], severity: 'critical', deleted: true }),
  ];

  it('weighs an unrated error as major', () => {
    // python3 -c "from fractions import Fraction as F; print(1 - F(1 + 10 + 3, 9 * 10))" → 38/45
    expectClose(severityWeightedAccuracy(audits, weights), 38 / 45);
    expectClose(severityWeightedAccuracy(audits, weights), 0.8444444444444444);
  });

  it('equals plain accuracy when every weight is the same', () => {
    expectClose(severityWeightedAccuracy(audits, { minor: 2, major: 2, critical: 2 }), 6 / 9);
  });

  it('is null with no trials and refuses weights that are all 0 or negative', () => {
    expect(severityWeightedAccuracy([audit({ verdict: 'unsure' })], weights)).toBeNull();
    expect(() => severityWeightedAccuracy(audits, { minor: 0, major: 0, critical: 0 })).toThrow(RangeError);
    expect(() => severityWeightedAccuracy(audits, { minor: -1, major: 1, critical: 2 })).toThrow(RangeError);
  });
});

describe('cohenKappa', () => {
  /** Expands a confusion table (rows: rater A, columns: rater B) into one pair per item. */
  function pairsFrom(categories: string[], table: number[][]): [string, string][] {
    return table.flatMap((row, i) =>
      row.flatMap((count, j) => times(count, () => [categories[i], categories[j]] as [string, string])),
    );
  }

  // python3 -c "from fractions import Fraction as F; ..." by hand: pₒ = Σ diagonal / N,
  // pₑ = Σ row_k·col_k / N², κ = (pₒ − pₑ)/(1 − pₑ)   (metrics-reference.md, "Kappa")
  it.each([
    ['perfect, 3 categories', ['a', 'b', 'c'], [[1, 0, 0], [0, 1, 0], [0, 0, 1]], 1, 1, 1 / 3],
    ['chance level, even marginals', ['yes', 'no'], [[1, 1], [1, 1]], 0, 0.5, 0.5],
    ['chance level, uneven marginals', ['yes', 'no'], [[30, 30], [20, 20]], 0, 0.5, 0.5],
    ['textbook 2×2 (20/5/10/15)', ['yes', 'no'], [[20, 5], [10, 15]], 0.4, 0.7, 0.5],
    ['3 categories', ['allow', 'remove', 'escalate'], [[25, 2, 3], [4, 20, 6], [1, 5, 34]], 0.680365296803653, 0.79, 0.343],
    ['complete disagreement', ['x', 'y'], [[0, 1], [1, 0]], -1, 0, 0.5],
  ])('%s', (_name, categories, table, kappa, observed, expected) => {
    const result = cohenKappa(pairsFrom(categories, table));
    expectClose(result?.kappa, kappa);
    expectClose(result?.observed, observed);
    expectClose(result?.expected, expected);
  });

  it('is 1, not NaN, when both raters used one category throughout', () => {
    expect(cohenKappa([['remove', 'remove'], ['remove', 'remove']])).toEqual({ kappa: 1, observed: 1, expected: 1 });
  });

  it('is null with no items', () => {
    expect(cohenKappa([])).toBeNull();
  });
});

describe('dailySeries', () => {
  const counts = (rows: ReturnType<typeof dailySeries>) =>
    rows.map(({ day, correct, incorrect, unsure, n }) => [day, correct, incorrect, unsure, n]);

  // Local days and day bounds: python3 with zoneinfo (not Intl), e.g.
  //   datetime.fromisoformat('2026-03-09T03:30:00+00:00').astimezone(ZoneInfo('America/New_York')).date()
  //   datetime(2026, 3, 8, tzinfo=ZoneInfo('America/New_York')).astimezone(timezone.utc)   (reference, "Days")
  it('follows New York across spring forward (2026-03-08 is 23 hours)', () => {
    const rows = dailySeries(
      [
        audit({ verdict: 'correct', createdAt: utc('2026-03-08T04:59:59Z') }), // 03-07 23:59:59 EST
        audit({ verdict: 'incorrect', errorTags: ['wrong-policy'], createdAt: utc('2026-03-08T05:00:00Z') }), // 03-08 00:00 EST
        audit({ verdict: 'correct', createdAt: utc('2026-03-09T03:30:00Z') }), // 03-08 23:30 EDT
        audit({ verdict: 'incorrect', errorTags: ['wrong-policy'], createdAt: utc('2026-03-08T12:00:00Z'), deleted: true }),
        audit({ verdict: 'correct', createdAt: utc('2026-03-09T04:00:00Z') }), // 03-09 00:00 EDT
      ],
      { from: '2026-03-07', to: '2026-03-09' },
      'America/New_York',
    );
    expect(counts(rows)).toEqual([
      ['2026-03-07', 1, 0, 0, 1],
      ['2026-03-08', 1, 1, 0, 2],
      ['2026-03-09', 1, 0, 0, 1],
    ]);
    expect(rows.map(({ start, end }) => [start, end])).toEqual([
      [utc('2026-03-07T05:00:00Z'), utc('2026-03-08T05:00:00Z')],
      [utc('2026-03-08T05:00:00Z'), utc('2026-03-09T04:00:00Z')],
      [utc('2026-03-09T04:00:00Z'), utc('2026-03-10T04:00:00Z')],
    ]);
    expect(rows[1]?.accuracy).toBe(0.5);
    // Wilson 1/2 and 1/1 at 0.95, python3 closed form as above.
    expectClose(rows[1]?.interval.low, 0.09453120573423074);
    expectClose(rows[1]?.interval.high, 0.9054687942657693);
    expectClose(rows[0]?.interval.low, 0.20654931437723745);
  });

  it('follows New York across fall back (2026-11-01 is 25 hours, 01:30 happens twice)', () => {
    const rows = dailySeries(
      [
        audit({ verdict: 'correct', createdAt: utc('2026-11-01T03:59:00Z') }), // 10-31 23:59 EDT
        audit({ verdict: 'correct', createdAt: utc('2026-11-01T05:30:00Z') }), // 01:30 EDT
        audit({ verdict: 'incorrect', errorTags: ['wrong-policy'], createdAt: utc('2026-11-01T06:30:00Z') }), // 01:30 EST
        audit({ verdict: 'unsure', createdAt: utc('2026-11-02T04:30:00Z') }), // 11-01 23:30 EST
        audit({ verdict: 'correct', createdAt: utc('2026-11-02T05:00:00Z') }), // 11-02 00:00 EST
        audit({ verdict: 'correct', createdAt: utc('2026-11-03T06:00:00Z') }), // after the range
      ],
      { from: '2026-10-31', to: '2026-11-02' },
      'America/New_York',
    );
    expect(counts(rows)).toEqual([
      ['2026-10-31', 1, 0, 0, 1],
      ['2026-11-01', 1, 1, 1, 2],
      ['2026-11-02', 1, 0, 0, 1],
    ]);
    expect(rows[1]).toMatchObject({ start: utc('2026-11-01T04:00:00Z'), end: utc('2026-11-02T05:00:00Z') });
  });

  it('puts 23:30 local on that local day in Phnom Penh (UTC+7)', () => {
    const rows = dailySeries(
      [
        audit({ verdict: 'incorrect', errorTags: ['wrong-policy'], createdAt: utc('2026-11-21T16:30:00Z') }), // 11-21 23:30
        audit({ verdict: 'correct', createdAt: utc('2026-11-21T17:00:00Z') }), // 11-22 00:00
      ],
      { from: '2026-11-21', to: '2026-11-22' },
      'Asia/Phnom_Penh',
    );
    expect(counts(rows)).toEqual([
      ['2026-11-21', 0, 1, 0, 1],
      ['2026-11-22', 1, 0, 0, 1],
    ]);
    expect(rows[0]?.start).toBe(utc('2026-11-20T17:00:00Z'));
  });

  it('puts 23:30 local on that local day in Honolulu (UTC−10), and keeps empty days', () => {
    const rows = dailySeries(
      [audit({ verdict: 'correct', createdAt: utc('2026-11-22T09:30:00Z') })], // 11-21 23:30 HST, 11-22 in UTC
      { from: '2026-11-21', to: '2026-11-23' },
      'Pacific/Honolulu',
    );
    expect(counts(rows)).toEqual([
      ['2026-11-21', 1, 0, 0, 1],
      ['2026-11-22', 0, 0, 0, 0],
      ['2026-11-23', 0, 0, 0, 0],
    ]);
    expect(rows[1]).toMatchObject({ accuracy: null, interval: { low: 0, high: 1 } });
    expect(rows[0]?.start).toBe(utc('2026-11-21T10:00:00Z'));
  });

  it('has no row for a day the zone skipped (Samoa, 2011-12-30)', () => {
    // python3: 2011-12-30T09:59:59Z is 2011-12-29 and 2011-12-30T10:00:00Z is 2011-12-31 in Pacific/Apia.
    const rows = dailySeries([], { from: '2011-12-29', to: '2011-12-31' }, 'Pacific/Apia');
    expect(rows.map((row) => row.day)).toEqual(['2011-12-29', '2011-12-31']);
  });

  it('refuses malformed or reversed ranges', () => {
    expect(() => dailySeries([], { from: '2026-3-8', to: '2026-03-09' }, 'UTC')).toThrow(RangeError);
    expect(() => dailySeries([], { from: '2026-02-30', to: '2026-03-09' }, 'UTC')).toThrow(RangeError);
    expect(() => dailySeries([], { from: '2026-03-09', to: '2026-03-08' }, 'UTC')).toThrow(RangeError);
  });
});
