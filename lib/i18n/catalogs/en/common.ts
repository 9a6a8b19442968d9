/**
 * Words every page says the same way: the record model's values (verdicts, severities, the KPI target's
 * verdicts) and the item fields a site profile reads.
 */
export default {
  'verdict.correct': 'Correct',
  'verdict.incorrect': 'Incorrect',
  'verdict.unsure': 'Unsure',
  'severity.minor': 'Minor',
  'severity.major': 'Major',
  'severity.critical': 'Critical',
  'target.on-target': 'On target',
  'target.below-target': 'Below target',
  'target.not-enough': 'Not enough audits to tell',
  'field.itemId': 'Item id',
  'field.labelerId': 'Labeler',
  'field.labelerDecision': "Labeler's decision",
  'field.queue': 'Queue',
} as const;
