import type { LocaleMessages } from '../../messages';

/** Vietnamese: the words shown on the labeling page itself (see ../en/page.ts). */
export default {
  panelTitle: 'Bảng kiểm tra Loupe',
  setupTitle: 'Loupe: thiết lập trang web này',
  shieldHint: 'Giữ con trỏ ở đây để xem · {key} hiện tất cả',
  captureBanner: 'Chọn văn bản hoặc nhấp vào một phần tử để ghim ghi chú · Esc để hủy',
  captureBannerSelection: 'Nhấn Enter để ghim ghi chú vào văn bản đã chọn · Esc để hủy',
  cancel: 'Hủy',
  noteMarker: 'Ghi chú của {author}: {text}',
  noteMarkerTagged: 'Ghi chú của {author} ({tag}): {text}',
} satisfies LocaleMessages<'page'>;
