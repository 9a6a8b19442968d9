/**
 * The locale setting as the extension's own pages read it: once before their first paint, then live, so a change
 * saved in Options → You (in this tab or another) re-renders every open page in the new language. Kept apart from
 * the rest of lib/i18n because it reads the database, which the panel (no storage of its own) must not bundle.
 */
import { liveQuery } from 'dexie';
import type { LoupeDatabase } from '../db';
import { loadSettings } from '../settings-store';
import { rememberLocaleChoice } from './locale-hint';
import type { LocaleChoice } from './locales';

/** The stored choice; `auto` when none is stored or the settings cannot be read (the page then says why itself). */
export async function readLocaleChoice(db: LoupeDatabase): Promise<LocaleChoice> {
  try {
    return (await loadSettings(db)).locale ?? 'auto';
  } catch {
    return 'auto';
  }
}

/**
 * Calls `onChoice` with the stored choice now and after every change to the settings; returns the unsubscribe.
 * Each choice read is also kept as the popup's hint (locale-hint.ts).
 */
export function watchLocaleChoice(db: LoupeDatabase, onChoice: (choice: LocaleChoice) => void): () => void {
  const subscription = liveQuery(() => readLocaleChoice(db)).subscribe({
    next: (choice) => {
      rememberLocaleChoice(choice);
      onChoice(choice);
    },
  });
  return () => subscription.unsubscribe();
}
