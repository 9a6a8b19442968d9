/**
 * The shape of Loupe's messages, and the types that make `t('panel.save')` a checked call: English is the source
 * of keys (lib/i18n/catalogs/en/), one module per surface ("namespace") so each page bundles only its own text.
 * A key is `<namespace>.<name>`; the `{placeholders}` of its English text are the parameters `t` requires.
 *
 * Every other language is a module per namespace typed with `LocaleMessages<N>`: a key missing from it, or one
 * English does not have, fails the type check (and tests/unit/i18n.test.ts checks the same at run time).
 */
import type common from './catalogs/en/common';
import type dashboard from './catalogs/en/dashboard';
import type options from './catalogs/en/options';
import type panel from './catalogs/en/panel';
import type page from './catalogs/en/page';
import type popup from './catalogs/en/popup';
import type problems from './catalogs/en/problems';
import type setup from './catalogs/en/setup';

/**
 * A message that depends on a count, one text per plural category of the language (Intl.PluralRules): English
 * has `one` and `other`; Khmer, Vietnamese, Thai, Malay and Indonesian use `other` alone.
 */
export type PluralForms = { readonly other: string } & { readonly [C in Exclude<Intl.LDMLPluralRule, 'other'>]?: string };
export type Message = string | PluralForms;
export type Messages = { readonly [name: string]: Message };

export interface EnglishCatalog {
  common: typeof common;
  panel: typeof panel;
  options: typeof options;
  dashboard: typeof dashboard;
  popup: typeof popup;
  setup: typeof setup;
  problems: typeof problems;
  page: typeof page;
}
export type Namespace = keyof EnglishCatalog;
export const NAMESPACES = ['common', 'panel', 'options', 'dashboard', 'popup', 'setup', 'problems', 'page'] as const satisfies readonly Namespace[];

/** What another language must provide for namespace `N`: every English key, a text (or plural forms) for each. */
export type LocaleMessages<N extends Namespace> = {
  readonly [K in keyof EnglishCatalog[N]]: EnglishCatalog[N][K] extends string ? string : PluralForms;
};

/** Every key of the namespaces `NS`, written `namespace.name`. */
export type MessageKey<NS extends Namespace = Namespace> = {
  [N in NS]: `${N}.${Extract<keyof EnglishCatalog[N], string>}`;
}[NS];

type EnglishAt<K> = K extends `${infer N extends Namespace}.${infer Name}`
  ? Name extends keyof EnglishCatalog[N]
    ? EnglishCatalog[N][Name]
    : never
  : never;

/** The `{name}`s in a template, as a union. */
type Placeholders<S> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;

/** The parameters message `K` takes: its placeholders, and `count` for a plural message. */
export type ParamsOf<K> =
  EnglishAt<K> extends infer M ? (M extends string ? Placeholders<M> : M extends PluralForms ? 'count' | Placeholders<M[keyof M]> : never) : never;

/** A value for a placeholder; numbers are written the locale's way (1,234 in English, 1.234 in Indonesian). */
export type Param = string | number;

/** The arguments after the key: none for a message without placeholders, else a value for each one. */
export type ArgsOf<K, V = never> = [ParamsOf<K>] extends [never] ? [] : [params: { readonly [P in ParamsOf<K>]: Param | V }];
