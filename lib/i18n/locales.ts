/**
 * The languages Loupe ships (issue 7) and how the one to show is picked: the person's choice in Options → You, or,
 * on "auto", the first of the browser's preferred languages that Loupe has, else English. Pure, and free of the
 * catalogs, so the settings schema can name the choices without pulling any text into its bundle.
 */

/** English is the source of every message; the others are full translations of it. */
export const LOCALES = ['en', 'km', 'vi', 'th', 'ms', 'id'] as const;
export type Locale = (typeof LOCALES)[number];

/** What the setting holds: a language, or `auto` to follow the browser. */
export const LOCALE_CHOICES = ['auto', ...LOCALES] as const;
export type LocaleChoice = (typeof LOCALE_CHOICES)[number];

/**
 * Each language by its own name, as a language picker should list them: someone looking for Khmer in a page they
 * cannot read looks for "ខ្មែរ", not for its name in English.
 */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  km: 'ខ្មែរ',
  vi: 'Tiếng Việt',
  th: 'ไทย',
  ms: 'Bahasa Melayu',
  id: 'Bahasa Indonesia',
};

/** Old or alternative language subtags browsers still report: `in` is Indonesian before ISO 639 renamed it. */
const ALIASES: Record<string, Locale> = { in: 'id', zsm: 'ms' };

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/** `km-KH` → `km`, `en-GB` → `en`, `in` → `id`; null for a language Loupe does not have. */
export function matchLocale(tag: string): Locale | null {
  const language = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  if (isLocale(language)) return language;
  return ALIASES[language] ?? null;
}

/**
 * The language to show: the chosen one, or on `auto` (or no choice) the first of `preferred` (the browser's
 * `navigator.languages`, most wanted first) that Loupe has. A French speaker who also reads Vietnamese gets
 * Vietnamese; someone whose languages Loupe has none of gets English.
 */
export function resolveLocale(choice: LocaleChoice | undefined, preferred: readonly string[]): Locale {
  if (choice !== undefined && choice !== 'auto') return choice;
  for (const tag of preferred) {
    const match = matchLocale(tag);
    if (match) return match;
  }
  return 'en';
}

/** The browser's preferred languages; none where there is no navigator (null). */
export function browserLanguages(
  nav: Pick<Navigator, 'languages' | 'language'> | null | undefined = globalThis.navigator,
): readonly string[] {
  if (!nav) return [];
  if (nav.languages && nav.languages.length > 0) return nav.languages;
  return nav.language ? [nav.language] : [];
}
