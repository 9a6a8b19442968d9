import type { LocaleMessages } from '../../messages';

/** Indonesian: the words shown on the labeling page itself (see ../en/page.ts). */
export default {
  panelTitle: 'Panel audit Loupe',
  setupTitle: 'Loupe: siapkan situs ini',
  shieldHint: 'Tahan penunjuk di sini untuk melihatnya · {key} tampilkan semua',
  captureBanner: 'Pilih teks atau klik sebuah elemen untuk membuat anotasi · Esc untuk membatalkan',
  captureBannerSelection: 'Tekan Enter untuk menganotasi teks yang dipilih · Esc untuk membatalkan',
  cancel: 'Batal',
  noteMarker: 'Catatan dari {author}: {text}',
  noteMarkerTagged: 'Catatan dari {author} ({tag}): {text}',
} satisfies LocaleMessages<'page'>;
