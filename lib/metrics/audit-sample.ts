/**
 * The plain-data view of an audit that every metric reads, and the one tally they share. Metrics take
 * plain arrays (from Dexie, a sync payload or a test table) and never touch storage, React or zod at runtime.
 */
import type { Audit } from '../schemas/audit';

/** The fields of an `Audit` that metrics read; anything with these fields will do. */
export type MetricAudit = Pick<Audit, 'verdict' | 'errorTags' | 'severity' | 'labelerId' | 'createdAt' | 'deleted'>;

export interface VerdictCounts {
  correct: number;
  incorrect: number;
  unsure: number;
  /** Trials: correct + incorrect. `unsure` is not a trial, the auditor could not judge the item. */
  n: number;
}

/** Tombstones stay in the database so deletes sync; no metric may count them. */
export function liveAudits<A extends Pick<MetricAudit, 'deleted'>>(audits: readonly A[]): A[] {
  return audits.filter((audit) => !audit.deleted);
}

/** Counts verdicts of the audits that are not deleted. */
export function countVerdicts(audits: readonly Pick<MetricAudit, 'verdict' | 'deleted'>[]): VerdictCounts {
  const counts = { correct: 0, incorrect: 0, unsure: 0 };
  for (const audit of liveAudits(audits)) counts[audit.verdict] += 1;
  return { ...counts, n: counts.correct + counts.incorrect };
}
