/**
 * English: the words Loupe's content script shows on the labeling page itself (the page carries no catalogs:
 * the worker hands these over, in the user's language, with its hello; lib/i18n/page-words.ts).
 */
export default {
  panelTitle: 'Loupe audit panel',
  setupTitle: 'Loupe: set up this site',
  shieldHint: 'Hold the pointer here to see it · {key} shows all',
  captureBanner: 'Select text or click an element to annotate · Esc to cancel',
  captureBannerSelection: 'Enter to annotate the selected text · Esc to cancel',
  cancel: 'Cancel',
  noteMarker: 'Note by {author}: {text}',
  noteMarkerTagged: 'Note by {author} ({tag}): {text}',
} as const;
