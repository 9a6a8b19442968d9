import type { LocaleMessages } from '../../messages';

/** Khmer: words every page shares (see ../en/common.ts). */
export default {
  'verdict.correct': 'ត្រឹមត្រូវ',
  'verdict.incorrect': 'មិនត្រឹមត្រូវ',
  'verdict.unsure': 'មិនប្រាកដ',
  'severity.minor': 'តិចតួច',
  'severity.major': 'ធ្ងន់',
  'severity.critical': 'ធ្ងន់ធ្ងរបំផុត',
  'target.on-target': 'សម្រេចគោលដៅ',
  'target.below-target': 'ក្រោមគោលដៅ',
  'target.not-enough': 'ការត្រួតពិនិត្យមិនទាន់គ្រប់គ្រាន់ដើម្បីវាយតម្លៃ',
  'field.itemId': 'លេខសម្គាល់ធាតុ',
  'field.labelerId': 'អ្នកដាក់ស្លាក',
  'field.labelerDecision': 'ការសម្រេចរបស់អ្នកដាក់ស្លាក',
  'field.queue': 'ជួរការងារ',
} satisfies LocaleMessages<'common'>;
