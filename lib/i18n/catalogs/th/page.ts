import type { LocaleMessages } from '../../messages';

/** Thai: the words shown on the labeling page itself (see ../en/page.ts). */
export default {
  panelTitle: 'แผงตรวจสอบ Loupe',
  setupTitle: 'Loupe: ตั้งค่าเว็บไซต์นี้',
  shieldHint: 'วางเคอร์เซอร์ค้างไว้ตรงนี้เพื่อดู · {key} แสดงทั้งหมด',
  captureBanner: 'เลือกข้อความหรือคลิกองค์ประกอบเพื่อปักโน้ต · Esc เพื่อยกเลิก',
  captureBannerSelection: 'กด Enter เพื่อปักโน้ตที่ข้อความที่เลือก · Esc เพื่อยกเลิก',
  cancel: 'ยกเลิก',
  noteMarker: 'โน้ตจาก {author}: {text}',
  noteMarkerTagged: 'โน้ตจาก {author} ({tag}): {text}',
} satisfies LocaleMessages<'page'>;
