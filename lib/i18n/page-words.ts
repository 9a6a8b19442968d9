/**
 * The words Loupe's content script shows on the labeling page itself (the panel's frame title, the media shield's
 * hint, annotate mode's banner, the names of note markers). The content script carries no catalogs and opens no
 * storage, so the worker, which knows the language setting, hands them over with its hello. Every language's
 * words are bundled here: they are a few lines each, and a service worker cannot load chunks on demand.
 */
import en from './catalogs/en/page';
import id from './catalogs/id/page';
import km from './catalogs/km/page';
import ms from './catalogs/ms/page';
import th from './catalogs/th/page';
import vi from './catalogs/vi/page';
import type { Locale } from './locales';

/** The page's words, templates included: `{key}`, `{author}`, `{tag}` and `{text}` are filled on the page
 * (lib/content/page-text.ts). */
export type PageWords = { readonly [K in keyof typeof en]: string };

const PAGE_WORDS: Record<Locale, PageWords> = { en, km, vi, th, ms, id };

export function pageWordsFor(locale: Locale): PageWords {
  return PAGE_WORDS[locale];
}
