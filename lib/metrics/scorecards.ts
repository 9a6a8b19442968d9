/** Per-labeler scorecards for the lead (mission anchors, "(a) Per-labeler scorecard"). */
import type { Taxonomy } from '../schemas/taxonomy';
import { countVerdicts, liveAudits, type MetricAudit } from './audit-sample';
import { errorTagPareto, type TagParetoRow } from './pareto';
import { accuracy, wilsonInterval, type Interval } from './wilson';

export interface LabelerScorecard {
  labelerId: string;
  /** Trials: correct + incorrect. */
  n: number;
  correct: number;
  incorrect: number;
  unsure: number;
  /** `null` when the labeler has no trials (only unsure audits). */
  accuracy: number | null;
  interval: Interval;
  /** The whole interval lies below the target: the sample shows the labeler misses it, not just might. */
  belowTarget: boolean;
  /** The labeler's three most frequent error tags, shares within the labeler's own errors. */
  topTags: TagParetoRow[];
  /** Incorrect audits marked critical. Severity on a correct or unsure audit is ignored as meaningless. */
  critical: number;
}

/**
 * One scorecard per labeler, ordered by labeler id. Audits with no labeler (the site profile could not read
 * one) are left out: they cannot be put on anybody's card.
 */
export function labelerScorecards(
  audits: readonly MetricAudit[],
  taxonomy: Pick<Taxonomy, 'tags'>,
  target: number,
  confidence = 0.95,
): LabelerScorecard[] {
  const byLabeler = new Map<string, MetricAudit[]>();
  for (const audit of liveAudits(audits)) {
    if (audit.labelerId === undefined) continue;
    const list = byLabeler.get(audit.labelerId) ?? [];
    list.push(audit);
    byLabeler.set(audit.labelerId, list);
  }
  const ids = [...byLabeler.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return ids.map((labelerId) => {
    const own = byLabeler.get(labelerId) ?? [];
    const counts = countVerdicts(own);
    return scorecardFromCounts(
      labelerId,
      {
        ...counts,
        critical: own.filter((audit) => audit.verdict === 'incorrect' && audit.severity === 'critical').length,
        topTags: errorTagPareto(own, taxonomy).slice(0, TOP_TAGS_PER_LABELER),
      },
      target,
      confidence,
    );
  });
}

/** How many of a labeler's error tags a scorecard lists. */
export const TOP_TAGS_PER_LABELER = 3;

/**
 * A scorecard from counts already made (the popup's day tallies): the same figures `labelerScorecards` gives
 * for the audits those counts came from.
 */
export function scorecardFromCounts(
  labelerId: string,
  counts: { correct: number; incorrect: number; unsure: number; critical: number; topTags: TagParetoRow[] },
  target: number,
  confidence = 0.95,
): LabelerScorecard {
  const n = counts.correct + counts.incorrect;
  const interval = wilsonInterval(counts.correct, n, confidence);
  return {
    labelerId,
    n,
    correct: counts.correct,
    incorrect: counts.incorrect,
    unsure: counts.unsure,
    accuracy: accuracy(counts),
    interval,
    belowTarget: interval.high < target,
    topTags: counts.topTags,
    critical: counts.critical,
  };
}
