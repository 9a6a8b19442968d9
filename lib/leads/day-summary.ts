/**
 * What the popup's "Today at a glance" shows (issue 4): one day's audits, for one auditor or for everyone in this
 * browser, reduced with lib/metrics, and the week's daily accuracy behind it. Reads go through the day indexes of
 * lib/db.ts only (`createdAt`, `[auditorId+createdAt]`), so the cost follows the day's audits, not the table's.
 * Tombstones are skipped after the index has narrowed the rows (they stay in the table so deletes sync).
 *
 * The popup's first paint imports this module's pure half (summaries from tallies) before Dexie and zod have
 * loaded (issue 4: open in under 150 ms), so its static imports stay free of both: the database is only ever a
 * parameter here, and the stored settings are imported when a caller did not pass them.
 */
import type { LoupeDatabase } from '../db';
import {
  accuracy,
  countVerdicts,
  errorTagPareto,
  labelerScorecards,
  scorecardFromCounts,
  tagParetoFromCounts,
  targetVerdict,
  TOP_TAGS_PER_LABELER,
  wilsonInterval,
  type Interval,
  type LabelerScorecard,
  type TagParetoRow,
  type TargetVerdict,
} from '../metrics';
import type { Audit } from '../schemas';
import type { Taxonomy } from '../schemas/taxonomy';
import { dayRange, type DayRange } from '../time';
import type { DayStats, Tally } from './day-stats';

/** How many error tags the summary lists for the whole day. */
export const TOP_TAGS = 5;

/**
 * One day's numbers. Plain data (no Dates, no classes), so a server can send the same shape for a team summary
 * (the popup's `teamSource`).
 */
export interface DaySummary {
  start: number;
  end: number;
  /** The auditor the numbers are for; null for every auditor. */
  auditorId: string | null;
  /** Live audits of the day, whatever the verdict. */
  audited: number;
  correct: number;
  incorrect: number;
  /** Not a trial: left out of accuracy and its interval. */
  unsure: number;
  /** Incorrect audits marked critical. */
  critical: number;
  /** Trials: correct + incorrect. */
  n: number;
  /** `null` with no trials. */
  accuracy: number | null;
  /** 95 % Wilson interval; [0, 1] with no trials. */
  interval: Interval;
  /** The KPI target the verdicts were judged against. */
  target: number;
  targetVerdict: TargetVerdict;
  labelers: LabelerScorecard[];
  /** Audits with no labeler read off the page: counted above, on nobody's scorecard. */
  withoutLabeler: number;
  topTags: TagParetoRow[];
}

export interface DaySummaryOptions {
  /** Only this auditor's audits; null or absent for every auditor in this browser. */
  auditorId?: string | null;
  /** The KPI target; the stored setting when absent. */
  target?: number;
  /** Labels for error tags; the stored taxonomy when absent. */
  taxonomy?: Pick<Taxonomy, 'tags'>;
}

/** Live audits created in `[range.start, range.end)`, by `auditorId` when given, read through a day index. */
export async function readDayAudits(
  db: LoupeDatabase,
  range: Pick<DayRange, 'start' | 'end'>,
  auditorId?: string | null,
): Promise<Audit[]> {
  const collection = auditorId
    ? db.audits.where('[auditorId+createdAt]').between([auditorId, range.start], [auditorId, range.end], true, false)
    : db.audits.where('createdAt').between(range.start, range.end, true, false);
  // toArray() on a bare index range is one getAll(); a Dexie .filter() would walk a cursor row by row, which was
  // ten times slower on a day of 3,000 audits. Tombstones are few: drop them afterwards.
  return (await collection.toArray()).filter((audit) => !audit.deleted);
}

/**
 * Correct and incorrect counts for a day (of one auditor, or of every auditor) from the verdict indexes alone, no
 * rows read, less the day's tombstones found through the sparse `deletedAt` index.
 */
export async function countDayVerdicts(
  db: LoupeDatabase,
  range: Pick<DayRange, 'start' | 'end'>,
  auditorId?: string | null,
): Promise<{ correct: number; incorrect: number }> {
  const count = (verdict: 'correct' | 'incorrect') =>
    auditorId
      ? db.audits
          .where('[auditorId+verdict+createdAt]')
          .between([auditorId, verdict, range.start], [auditorId, verdict, range.end], true, false)
          .count()
      : db.audits.where('[verdict+createdAt]').between([verdict, range.start], [verdict, range.end], true, false).count();
  const [correct, incorrect, tombstones] = await Promise.all([
    count('correct'),
    count('incorrect'),
    db.audits.where('deletedAt').aboveOrEqual(range.start).toArray(),
  ]);
  const gone = tombstones.filter(
    (a) => a.createdAt >= range.start && a.createdAt < range.end && (!auditorId || a.auditorId === auditorId),
  );
  return {
    correct: correct - gone.filter((a) => a.verdict === 'correct').length,
    incorrect: incorrect - gone.filter((a) => a.verdict === 'incorrect').length,
  };
}

/** Reduces audits already narrowed to one day (and maybe one auditor) to the summary's numbers. */
export function summarizeDay(
  audits: readonly Audit[],
  range: Pick<DayRange, 'start' | 'end'>,
  auditorId: string | null,
  target: number,
  taxonomy: Pick<Taxonomy, 'tags'>,
): DaySummary {
  const counts = countVerdicts(audits);
  const interval = wilsonInterval(counts.correct, counts.n);
  const live = audits.filter((audit) => !audit.deleted);
  return {
    start: range.start,
    end: range.end,
    auditorId,
    audited: counts.n + counts.unsure,
    ...counts,
    critical: live.filter((audit) => audit.verdict === 'incorrect' && audit.severity === 'critical').length,
    accuracy: accuracy(counts),
    interval,
    target,
    targetVerdict: targetVerdict(interval, target),
    labelers: labelerScorecards(live, taxonomy, target),
    withoutLabeler: live.filter((audit) => audit.labelerId === undefined).length,
    topTags: errorTagPareto(live, taxonomy).slice(0, TOP_TAGS),
  };
}

export function emptyTally(): Tally {
  return { correct: 0, incorrect: 0, unsure: 0, critical: 0, tags: new Map() };
}

/** The tallies of a day with no audits (a day an auditor did not work has no row). */
export function emptyDayStats(day: string, auditorId: string): DayStats {
  return { day, auditorId, total: emptyTally(), labelers: new Map(), withoutLabeler: 0 };
}

/** Sums tallies (the team's day from each auditor's row). */
export function mergeDayStats(rows: readonly DayStats[], day: string, auditorId: string): DayStats {
  const merged = emptyDayStats(day, auditorId);
  const addTally = (into: Tally, from: Tally) => {
    into.correct += from.correct;
    into.incorrect += from.incorrect;
    into.unsure += from.unsure;
    into.critical += from.critical;
    for (const [tag, count] of from.tags) into.tags.set(tag, (into.tags.get(tag) ?? 0) + count);
  };
  for (const row of rows) {
    addTally(merged.total, row.total);
    merged.withoutLabeler += row.withoutLabeler;
    for (const [labelerId, tally] of row.labelers) {
      const own = merged.labelers.get(labelerId) ?? emptyTally();
      addTally(own, tally);
      merged.labelers.set(labelerId, own);
    }
  }
  return merged;
}

/**
 * The same summary from a day's tallies (lib/leads/day-stats.ts) instead of its audits: equal, figure for figure,
 * to `summarizeDay` over the audits the tallies counted (tests/unit/day-stats.test.ts checks it).
 */
export function summarizeDayStats(
  stats: DayStats,
  range: Pick<DayRange, 'start' | 'end'>,
  auditorId: string | null,
  target: number,
  taxonomy: Pick<Taxonomy, 'tags'>,
): DaySummary {
  const { correct, incorrect, unsure, critical } = stats.total;
  const n = correct + incorrect;
  const interval = wilsonInterval(correct, n);
  const labelerIds = [...stats.labelers.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    start: range.start,
    end: range.end,
    auditorId,
    audited: n + unsure,
    correct,
    incorrect,
    unsure,
    n,
    critical,
    accuracy: accuracy({ correct, incorrect }),
    interval,
    target,
    targetVerdict: targetVerdict(interval, target),
    labelers: labelerIds.map((labelerId) => {
      const tally = stats.labelers.get(labelerId)!;
      return scorecardFromCounts(
        labelerId,
        { ...tally, topTags: tagParetoFromCounts(tally.tags, taxonomy).slice(0, TOP_TAGS_PER_LABELER) },
        target,
      );
    }),
    withoutLabeler: stats.withoutLabeler,
    topTags: tagParetoFromCounts(stats.total.tags, taxonomy).slice(0, TOP_TAGS),
  };
}

/** One day of the trend from its tallies. */
export function trendPointFromStats(stats: Pick<DayStats, 'total'>, range: DayRange): TrendPoint {
  const { correct, incorrect } = stats.total;
  return { ...range, correct, n: correct + incorrect, accuracy: accuracy({ correct, incorrect }), interval: wilsonInterval(correct, correct + incorrect) };
}

/** The summary of `[range.start, range.end)`: one index range read, then lib/metrics. */
export async function loadDaySummary(
  db: LoupeDatabase,
  range: Pick<DayRange, 'start' | 'end'>,
  options: DaySummaryOptions = {},
): Promise<DaySummary> {
  const auditorId = options.auditorId ?? null;
  // Imported here, not at the top: it brings zod, which the popup's first paint must not wait for (see above).
  const settings =
    options.target === undefined || options.taxonomy === undefined
      ? await import('../settings-store').then(({ loadSettings }) => loadSettings(db))
      : undefined;
  const target = options.target ?? settings?.kpiTarget ?? 0.95;
  const taxonomy = options.taxonomy ?? settings?.taxonomy ?? { tags: [] };
  const audits = await readDayAudits(db, range, auditorId);
  return summarizeDay(audits, range, auditorId, target, taxonomy);
}

/** One day of the trend. */
export interface TrendPoint {
  /** `YYYY-MM-DD` in the zone. */
  day: string;
  start: number;
  end: number;
  correct: number;
  /** Trials: correct + incorrect. */
  n: number;
  accuracy: number | null;
  interval: Interval;
}

export const TREND_DAYS = 7;

/** The last `days` calendar days in `timeZone`, oldest first, ending with the one that holds `now`. */
export function lastDays(now: number, timeZone: string, days = TREND_DAYS): DayRange[] {
  const ranges = [dayRange(now, timeZone)];
  // Stepping back from each day's first instant, not by 24 h: days are 23 or 25 h across DST changes.
  while (ranges.length < days) ranges.unshift(dayRange((ranges[0]?.start ?? now) - 1, timeZone));
  return ranges;
}

/**
 * Daily accuracy for the 7 days ending today, by `auditorId` when given. One index range read per day, run
 * together, so a quiet week costs as little as a busy one and no day needs the table scanned.
 */
export async function loadWeekTrend(
  db: LoupeDatabase,
  now: number,
  timeZone: string,
  auditorId?: string | null,
): Promise<TrendPoint[]> {
  const ranges = lastDays(now, timeZone);
  // Counts straight from the verdict indexes: a week of 100,000 audits costs 14 index counts, not a week of rows.
  const perDay = await Promise.all(
    ranges.map(async (range) => {
      const { correct, incorrect } = await countDayVerdicts(db, range, auditorId);
      return { correct, incorrect, n: correct + incorrect };
    }),
  );
  return ranges.map((range, index) => {
    const counts = perDay[index] ?? { correct: 0, incorrect: 0, n: 0 };
    return {
      ...range,
      correct: counts.correct,
      n: counts.n,
      accuracy: accuracy(counts),
      interval: wilsonInterval(counts.correct, counts.n),
    };
  });
}
