/**
 * The words the content script shows on the labeling page, as the worker sent them in the user's language
 * (lib/i18n/page-words.ts). English, the fallback, is the only catalog the page script carries: a few lines.
 */
import english from '../i18n/catalogs/en/page';
import type { PageWords } from '../i18n/page-words';
import { fillTemplate } from '../i18n/translator';

export type { PageWords };
export const ENGLISH_PAGE_WORDS: PageWords = english;

/** `{name}` in `template` replaced by `values[name]`, as the translator fills it; an unknown name stays as written. */
export function fillPageText(template: string, values: Readonly<Record<string, string>>): string {
  return fillTemplate(template, (name) => values[name]).join('');
}
