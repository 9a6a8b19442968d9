/**
 * The last locale setting an extension page read, kept in the extension origin's localStorage as a hint. The popup
 * reads it synchronously before its first paint, which must not wait for the database (issue 4: open in under
 * 150 ms), so it can load the right language's messages alongside its code. The setting itself stays in the
 * database; the hint is only ever a copy, corrected by the next read of the setting.
 */
import { LOCALE_CHOICES, type LocaleChoice } from './locales';

const HINT_KEY = 'loupe.locale';

/** Where storage is blocked or absent (a test without a window), there is no hint: the browser's language is used. */
function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function rememberLocaleChoice(choice: LocaleChoice): void {
  try {
    storage()?.setItem(HINT_KEY, choice);
  } catch {
    // A full or blocked storage only costs the popup its hint; the setting itself is safe in the database.
  }
}

export function rememberedLocaleChoice(): LocaleChoice {
  const value = storage()?.getItem(HINT_KEY);
  return (LOCALE_CHOICES as readonly string[]).includes(value ?? '') ? (value as LocaleChoice) : 'auto';
}
