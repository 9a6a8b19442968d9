/**
 * Pareto tables for root-cause analysis (mission anchors, "(c) 3"): which error tags, and which root causes,
 * make up most of the errors. Counted over tag occurrences on live `incorrect` audits, so an audit tagged
 * twice counts once under each tag and the shares of one table sum to exactly 1.
 */
import type { ErrorTag, RootCause, Taxonomy } from '../schemas/taxonomy';
import { liveAudits, type MetricAudit } from './audit-sample';

export interface ParetoShare {
  count: number;
  /** count / all tag occurrences in the table. */
  share: number;
  /** Share of this row and every row above it; the last row's is exactly 1. */
  cumulativeShare: number;
}

export interface TagParetoRow extends ParetoShare {
  tagId: string;
  label: string;
}

export interface RootCauseParetoRow extends ParetoShare {
  rootCause: RootCause;
}

type TaggedAudit = Pick<MetricAudit, 'verdict' | 'errorTags' | 'deleted'>;

/**
 * A tag the taxonomy no longer lists (an audit tagged against an older version) still counts: dropping it
 * would hide errors. It shows under its id, and its root cause is 'other'.
 */
function tagInfo(taxonomy: Pick<Taxonomy, 'tags'>, tagId: string): Pick<ErrorTag, 'label' | 'rootCause'> {
  return taxonomy.tags.find((tag) => tag.id === tagId) ?? { label: tagId, rootCause: 'other' };
}

function countTags(audits: readonly TaggedAudit[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const audit of liveAudits(audits)) {
    if (audit.verdict !== 'incorrect') continue;
    for (const tagId of audit.errorTags) counts.set(tagId, (counts.get(tagId) ?? 0) + 1);
  }
  return counts;
}

/** Code-unit order, not localeCompare: the same table in every browser and in Node. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts by count (descending), then `name`, and fills in shares from running counts so they never drift. */
function toPareto<R extends { count: number }>(rows: R[], name: (row: R) => string): (R & ParetoShare)[] {
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  const sorted = [...rows].sort((a, b) => b.count - a.count || compareText(name(a), name(b)));
  let running = 0;
  return sorted.map((row) => {
    running += row.count;
    return { ...row, share: row.count / total, cumulativeShare: running / total };
  });
}

/** Error tags by how often they were given on incorrect audits; ties by label, then id. Empty when none. */
export function errorTagPareto(audits: readonly TaggedAudit[], taxonomy: Pick<Taxonomy, 'tags'>): TagParetoRow[] {
  return tagParetoFromCounts(countTags(audits), taxonomy);
}

/** The same table from tag counts already made (the popup's day tallies, lib/leads/day-stats.ts). */
export function tagParetoFromCounts(counts: ReadonlyMap<string, number>, taxonomy: Pick<Taxonomy, 'tags'>): TagParetoRow[] {
  const rows = [...counts]
    .filter(([, count]) => count > 0)
    .map(([tagId, count]) => ({ tagId, label: tagInfo(taxonomy, tagId).label, count }));
  return toPareto(rows, (row) => `${row.label}\u0000${row.tagId}`);
}

/** The same occurrences grouped by each tag's root cause; ties by root-cause id. Empty when none. */
export function rootCausePareto(audits: readonly TaggedAudit[], taxonomy: Pick<Taxonomy, 'tags'>): RootCauseParetoRow[] {
  const byCause = new Map<RootCause, number>();
  for (const [tagId, count] of countTags(audits)) {
    const { rootCause } = tagInfo(taxonomy, tagId);
    byCause.set(rootCause, (byCause.get(rootCause) ?? 0) + count);
  }
  return toPareto(
    [...byCause].map(([rootCause, count]) => ({ rootCause, count })),
    (row) => row.rootCause,
  );
}
