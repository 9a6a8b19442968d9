/**
 * Words for the record model's values, shared by the panel, the popup and the dashboard so a verdict, a severity
 * or a target verdict reads the same wherever it appears.
 */
import type { TargetVerdict } from '../../lib/metrics';
import type { Severity, Verdict } from '../../lib/schemas';

export const VERDICT_LABELS: Record<Verdict, string> = {
  correct: 'Correct',
  incorrect: 'Incorrect',
  unsure: 'Unsure',
};

export const SEVERITY_LABELS: Record<Severity, string> = {
  minor: 'Minor',
  major: 'Major',
  critical: 'Critical',
};

/** The words issue 4 asks for: an interval that straddles the target cannot tell either way. */
export const TARGET_LABELS: Record<TargetVerdict, string> = {
  'on-target': 'On target',
  'below-target': 'Below target',
  'not-enough': 'Not enough audits to tell',
};
