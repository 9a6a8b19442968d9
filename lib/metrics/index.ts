/**
 * Issue 4's metrics: pure functions over plain audit data, no storage, React or zod at runtime, so the popup,
 * the options page and exports compute the same numbers. Reference values: tests/unit/metrics-reference.md.
 */
export { countVerdicts, liveAudits, type MetricAudit, type VerdictCounts } from './audit-sample';
export {
  accuracy,
  inverseNormalCdf,
  targetVerdict,
  wilsonInterval,
  zForConfidence,
  type Interval,
  type TargetVerdict,
} from './wilson';
export {
  errorTagPareto,
  rootCausePareto,
  tagParetoFromCounts,
  type ParetoShare,
  type RootCauseParetoRow,
  type TagParetoRow,
} from './pareto';
export { labelerScorecards, scorecardFromCounts, TOP_TAGS_PER_LABELER, type LabelerScorecard } from './scorecards';
export { severityWeightedAccuracy } from './severity';
export { cohenKappa, type KappaResult } from './kappa';
export { dailySeries, type DailyRow } from './daily-series';
