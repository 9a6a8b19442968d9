/** Accuracy that counts a critical miss for more than a minor one. */
import type { Severity } from '../schemas/audit';
import { countVerdicts, liveAudits, type MetricAudit } from './audit-sample';

/**
 * 1 − Σᵢ w(severityᵢ) / (n · max w), over live audits, where the sum runs over incorrect audits, n counts
 * correct + incorrect (unsure excluded, as in `accuracy`) and max w is the largest weight given.
 *
 * So 1 means no errors, 0 means every trial was an error of the heaviest severity, and with equal weights it
 * equals plain accuracy. An incorrect audit with no severity weighs `weights.major`: the panel does not force
 * a severity, and an unrated error is best taken as a typical one, neither waved through as minor nor raised
 * to critical. `null` when n = 0. Weights must be finite and ≥ 0 with at least one > 0.
 */
export function severityWeightedAccuracy(
  audits: readonly Pick<MetricAudit, 'verdict' | 'severity' | 'deleted'>[],
  weights: Readonly<Record<Severity, number>>,
): number | null {
  const values = [weights.minor, weights.major, weights.critical];
  if (values.some((weight) => !Number.isFinite(weight) || weight < 0) || Math.max(...values) <= 0) {
    throw new RangeError('severity weights must be finite, non-negative and not all 0');
  }
  const { n } = countVerdicts(audits);
  if (n === 0) return null;
  let penalty = 0;
  for (const audit of liveAudits(audits)) {
    if (audit.verdict === 'incorrect') penalty += weights[audit.severity ?? 'major'];
  }
  return 1 - penalty / (n * Math.max(...values));
}
