/**
 * A translator for one language: messages by key with their parameters filled in, plural forms picked with
 * Intl.PluralRules, and numbers, percentages and dates written with Intl for that language. A key the language
 * lacks falls back to English, and a key English lacks (only possible through an unchecked cast) shows itself,
 * so a gap is visible rather than a blank.
 */
import type { Locale } from './locales';
import type { ArgsOf, Message, Messages, Namespace, Param, PluralForms } from './messages';

/** A namespace's messages, as loaded: English's, or another language's over English. */
export type Catalog<NS extends Namespace = Namespace> = { readonly [N in NS]?: Messages };

export interface Translator<K extends string> {
  readonly locale: Locale;
  /** The message `key` in this language, its `{placeholders}` filled from `params`. */
  t<Key extends K>(key: Key, ...args: ArgsOf<Key>): string;
  /**
   * The message cut at its placeholders, with the values put in as they are: for text that holds markup (a name
   * in bold, a link), which the caller renders. Strings and numbers are written out as `t` would.
   */
  parts<Key extends K, V>(key: Key, ...args: ArgsOf<Key, V>): Array<string | V>;
  /** A number the locale's way: `1,234.5` in English, `1.234,5` in Vietnamese. */
  number(value: number, options?: Intl.NumberFormatOptions): string;
  /** A fraction as a percentage with `digits` decimals (`0.9234` → `92.3%`, `92,3%` in Indonesian); null → `–`. */
  percent(fraction: number | null, digits?: number): string;
  /** A moment, with the Intl options given (time zone included). */
  dateTime(at: number | Date, options: Intl.DateTimeFormatOptions): string;
  /** `5 minutes ago`, `in 2 hours`: `value` in `unit`s, negative for the past. */
  relativeTime(value: number, unit: Intl.RelativeTimeFormatUnit): string;
}

const PLACEHOLDER = /\{(\w+)\}/g;

/** Intl objects are slow to build and immutable: one per language and set of options. */
const formatCache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.PluralRules | Intl.RelativeTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.PluralRules | Intl.RelativeTimeFormat>(
  kind: string,
  locale: Locale,
  options: object | undefined,
  build: () => T,
): T {
  const key = `${kind}|${locale}|${options ? JSON.stringify(options) : ''}`;
  let format = formatCache.get(key) as T | undefined;
  if (!format) {
    format = build();
    formatCache.set(key, format);
  }
  return format;
}

function isPlural(message: Message): message is PluralForms {
  return typeof message === 'object';
}

/** The form of `forms` for `count` under `rules`; `other` when the language has no text for that category. */
export function pluralForm(forms: PluralForms, count: number, rules: Intl.PluralRules): string {
  return forms[rules.select(count)] ?? forms.other;
}

/** `template` cut at its `{placeholders}`, each replaced by `fill(name)`; an unknown placeholder stays as written. */
export function fillTemplate<V>(template: string, fill: (name: string) => string | V | undefined): Array<string | V> {
  const parts: Array<string | V> = [];
  let at = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const index = match.index;
    if (index > at) parts.push(template.slice(at, index));
    const value = fill(match[1] ?? '');
    parts.push(value === undefined ? match[0] : value);
    at = index + match[0].length;
  }
  if (at < template.length) parts.push(template.slice(at));
  return parts;
}

/** The message named `key` (`namespace.name`) in `catalog`, if it has one. */
function lookup(catalog: Catalog, key: string): Message | undefined {
  const dot = key.indexOf('.');
  const messages = catalog[key.slice(0, dot) as Namespace];
  const name = key.slice(dot + 1);
  return messages && Object.hasOwn(messages, name) ? messages[name] : undefined;
}

/**
 * A translator over `messages` (this language's catalog), falling back to `english` key by key. `messages` may be
 * partial: only tests build one that is, since every shipped catalog is complete by type.
 */
export function createTranslator<K extends string>(locale: Locale, messages: Catalog, english: Catalog): Translator<K> {
  const numbers = (options?: Intl.NumberFormatOptions) => cached('number', locale, options, () => new Intl.NumberFormat(locale, options));
  const rules = cached('plural', locale, undefined, () => new Intl.PluralRules(locale));
  // English forms are picked by English rules: a message missing here falls back as a whole, not as one form.
  const englishRules = cached('plural', 'en', undefined, () => new Intl.PluralRules('en'));

  function format(value: Param): string {
    return typeof value === 'number' ? numbers().format(value) : value;
  }

  function build<V>(key: string, params: Readonly<Record<string, Param | V>> | undefined): Array<string | V> {
    const own = lookup(messages, key);
    const message = own ?? lookup(english, key);
    if (message === undefined) return [key];
    let template: string;
    if (isPlural(message)) {
      const count = params?.count;
      template = pluralForm(message, typeof count === 'number' ? count : Number.NaN, own === undefined ? englishRules : rules);
    } else {
      template = message;
    }
    return fillTemplate<string | V>(template, (name) => {
      const value = params?.[name];
      if (value === undefined) return undefined;
      return typeof value === 'string' || typeof value === 'number' ? format(value) : value;
    });
  }

  const paramsOf = <V>(args: readonly unknown[]) => args[0] as Readonly<Record<string, Param | V>> | undefined;

  return {
    locale,
    t: (key, ...args) => build<never>(key, paramsOf<never>(args)).join(''),
    parts: <Key extends K, V>(key: Key, ...args: ArgsOf<Key, V>) => build<V>(key, paramsOf<V>(args)),
    number: (value, options) => numbers(options).format(value),
    percent: (fraction, digits = 1) =>
      fraction === null
        ? '–'
        : numbers({ style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(fraction),
    dateTime: (at, options) => cached('date', locale, options, () => new Intl.DateTimeFormat(locale, options)).format(at),
    relativeTime: (value, unit) =>
      cached('relative', locale, undefined, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })).format(value, unit),
  };
}
