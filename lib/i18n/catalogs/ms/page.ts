import type { LocaleMessages } from '../../messages';

/** Malay: the words shown on the labeling page itself (see ../en/page.ts). */
export default {
  panelTitle: 'Panel audit Loupe',
  setupTitle: 'Loupe: sediakan laman ini',
  shieldHint: 'Tahan penuding di sini untuk melihatnya · {key} tunjukkan semua',
  captureBanner: 'Pilih teks atau klik satu elemen untuk membuat anotasi · Esc untuk membatalkan',
  captureBannerSelection: 'Tekan Enter untuk menganotasi teks yang dipilih · Esc untuk membatalkan',
  cancel: 'Batal',
  noteMarker: 'Nota oleh {author}: {text}',
  noteMarkerTagged: 'Nota oleh {author} ({tag}): {text}',
} satisfies LocaleMessages<'page'>;
