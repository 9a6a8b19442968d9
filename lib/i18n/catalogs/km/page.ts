import type { LocaleMessages } from '../../messages';

/** Khmer: the words shown on the labeling page itself (see ../en/page.ts). */
export default {
  panelTitle: 'ផ្ទាំងត្រួតពិនិត្យ Loupe',
  setupTitle: 'Loupe៖ រៀបចំគេហទំព័រនេះ',
  shieldHint: 'ដាក់ទស្សន៍ទ្រនិចលើនេះឲ្យយូរបន្តិចដើម្បីមើល · {key} បង្ហាញទាំងអស់',
  captureBanner: 'ជ្រើសអត្ថបទ ឬចុចលើធាតុមួយ ដើម្បីខ្ទាស់កំណត់ចំណាំ · Esc ដើម្បីបោះបង់',
  captureBannerSelection: 'ចុច Enter ដើម្បីខ្ទាស់កំណត់ចំណាំលើអត្ថបទដែលបានជ្រើស · Esc ដើម្បីបោះបង់',
  cancel: 'បោះបង់',
  noteMarker: 'កំណត់ចំណាំរបស់ {author}៖ {text}',
  noteMarkerTagged: 'កំណត់ចំណាំរបស់ {author} ({tag})៖ {text}',
} satisfies LocaleMessages<'page'>;
