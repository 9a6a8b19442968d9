import type { LocaleMessages } from '../../messages';

/** Indonesian: words every page shares (see ../en/common.ts). */
export default {
  'verdict.correct': 'Benar',
  'verdict.incorrect': 'Salah',
  'verdict.unsure': 'Ragu-ragu',
  'severity.minor': 'Ringan',
  'severity.major': 'Berat',
  'severity.critical': 'Kritis',
  'target.on-target': 'Memenuhi target',
  'target.below-target': 'Di bawah target',
  'target.not-enough': 'Jumlah audit belum cukup untuk menyimpulkan',
  'field.itemId': 'ID item',
  'field.labelerId': 'Pelabel',
  'field.labelerDecision': 'Keputusan pelabel',
  'field.queue': 'Antrean',
} satisfies LocaleMessages<'common'>;
