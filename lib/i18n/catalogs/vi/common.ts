import type { LocaleMessages } from '../../messages';

/** Vietnamese: words every page shares (see ../en/common.ts). */
export default {
  'verdict.correct': 'Đúng',
  'verdict.incorrect': 'Sai',
  'verdict.unsure': 'Chưa chắc',
  'severity.minor': 'Nhẹ',
  'severity.major': 'Nặng',
  'severity.critical': 'Nghiêm trọng',
  'target.on-target': 'Đạt mục tiêu',
  'target.below-target': 'Dưới mục tiêu',
  'target.not-enough': 'Chưa đủ lượt kiểm tra để kết luận',
  'field.itemId': 'Mã mục',
  'field.labelerId': 'Người gán nhãn',
  'field.labelerDecision': 'Quyết định của người gán nhãn',
  'field.queue': 'Hàng đợi',
} satisfies LocaleMessages<'common'>;
