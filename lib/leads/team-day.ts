/**
 * The popup's "Team" figures from the sync endpoint's summary route (issue 4), in the same shape as the local
 * day summary so the popup renders both alike. Null when no endpoint is set or it has no summary route: the popup
 * then shows the local numbers and says so.
 */
import type { LoupeDatabase } from '../db';
import { targetVerdict, type TagParetoRow } from '../metrics';
import { ProblemError } from '../problems';
import { loadSettings } from '../settings-store';
import { loadSyncToken } from '../sync/status';
import { fetchTeamSummary, type TeamSummary } from '../sync/team-summary';
import { dayRange, resolveTimeZone } from '../time';
import type { DaySummary } from './day-summary';

function tagRows(rows: ReadonlyArray<{ tagId: string; count: number; share?: number }>, labelOf: (id: string) => string): TagParetoRow[] {
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  let cumulative = 0;
  return rows.map((row) => {
    const share = row.share ?? (total ? row.count / total : 0);
    cumulative += share;
    return { tagId: row.tagId, label: labelOf(row.tagId), count: row.count, share, cumulativeShare: Math.min(1, cumulative) };
  });
}

export function teamSummaryToDay(summary: TeamSummary, range: { start: number; end: number }, target: number, labelOf: (id: string) => string): DaySummary {
  const { correct, incorrect, unsure, critical } = summary.counts;
  const labelers = summary.labelers.map((l) => ({
    labelerId: l.labelerId,
    n: l.n,
    correct: l.correct,
    incorrect: l.incorrect,
    unsure: l.unsure,
    accuracy: l.accuracy,
    interval: l.interval,
    belowTarget: l.interval.high < target,
    topTags: tagRows(l.topTags, labelOf),
    critical: l.critical,
  }));
  const onCards = summary.labelers.reduce((sum, l) => sum + l.correct + l.incorrect + l.unsure, 0);
  return {
    start: range.start,
    end: range.end,
    auditorId: null,
    audited: correct + incorrect + unsure,
    correct,
    incorrect,
    unsure,
    critical,
    n: correct + incorrect,
    accuracy: summary.accuracy,
    interval: summary.interval,
    target,
    targetVerdict: targetVerdict(summary.interval, target),
    labelers,
    withoutLabeler: Math.max(0, correct + incorrect + unsure - onCards),
    topTags: tagRows(summary.topTags, labelOf),
  };
}

/** Today's team figures from the endpoint, or null (no endpoint, sync off, or no summary route there). */
export async function loadTeamDay(db: LoupeDatabase, now: number, fetchFn: typeof fetch = fetch): Promise<DaySummary | null> {
  const settings = await loadSettings(db);
  const { enabled, endpoint } = settings.sync;
  if (!enabled || !endpoint) return null;
  const timeZone = resolveTimeZone(settings.timeZone);
  const range = dayRange(now, timeZone);
  const result = await fetchTeamSummary(endpoint, await loadSyncToken(db), range.day, timeZone, fetchFn);
  if (result.kind === 'unsupported') return null;
  if (result.kind === 'error') throw new ProblemError(result);
  const labels = new Map(settings.taxonomy.tags.map((t) => [t.id, t.label]));
  return teamSummaryToDay(result.summary, range, settings.kpiTarget, (id) => labels.get(id) ?? id);
}
