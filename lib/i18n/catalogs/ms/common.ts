import type { LocaleMessages } from '../../messages';

/** Malay: words every page shares (see ../en/common.ts). */
export default {
  'verdict.correct': 'Betul',
  'verdict.incorrect': 'Salah',
  'verdict.unsure': 'Tidak pasti',
  'severity.minor': 'Kecil',
  'severity.major': 'Besar',
  'severity.critical': 'Kritikal',
  'target.on-target': 'Mencapai sasaran',
  'target.below-target': 'Di bawah sasaran',
  'target.not-enough': 'Audit belum cukup untuk menentukannya',
  'field.itemId': 'ID item',
  'field.labelerId': 'Pelabel',
  'field.labelerDecision': 'Keputusan pelabel',
  'field.queue': 'Baris gilir',
} satisfies LocaleMessages<'common'>;
