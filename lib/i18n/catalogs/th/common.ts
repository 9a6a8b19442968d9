import type { LocaleMessages } from '../../messages';

/** Thai: words every page shares (see ../en/common.ts). */
export default {
  'verdict.correct': 'ถูกต้อง',
  'verdict.incorrect': 'ไม่ถูกต้อง',
  'verdict.unsure': 'ไม่แน่ใจ',
  'severity.minor': 'เล็กน้อย',
  'severity.major': 'รุนแรง',
  'severity.critical': 'วิกฤต',
  'target.on-target': 'ถึงเป้าหมาย',
  'target.below-target': 'ต่ำกว่าเป้าหมาย',
  'target.not-enough': 'จำนวนการตรวจสอบยังไม่พอจะสรุปได้',
  'field.itemId': 'รหัสรายการ',
  'field.labelerId': 'ผู้ติดป้ายกำกับ',
  'field.labelerDecision': 'การตัดสินของผู้ติดป้ายกำกับ',
  'field.queue': 'คิว',
} satisfies LocaleMessages<'common'>;
