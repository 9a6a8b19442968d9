/**
 * The i18n module's React side: a provider per page that follows the locale setting (and, on "auto", the
 * browser's languages as they change), and a hook for components. The one React file under lib/: the rest of
 * lib/i18n stays pure, and this file holds no text of its own.
 *
 * Each page binds it to its own namespaces (components/<page>/i18n.ts): its `useT` accepts only the keys that
 * page bundles, and renders English with no provider at all, which is what component tests see.
 */
import { createContext, Fragment, useContext, useEffect, useLayoutEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { loadTranslator } from './load';
import { browserLanguages, resolveLocale, type Locale, type LocaleChoice } from './locales';
import type { EnglishCatalog, MessageKey, Namespace } from './messages';
import { createTranslator, type Translator } from './translator';

export interface I18nProviderProps<K extends string> {
  /** The locale setting; undefined while it is being read (the language shown so far stays). */
  choice: LocaleChoice | undefined;
  /** A translator loaded before the first render, so the page does not paint in English first. */
  initial?: Translator<K>;
  children: ReactNode;
}

export interface I18nBinding<NS extends Namespace> {
  I18nProvider: (props: I18nProviderProps<MessageKey<NS>>) => ReactNode;
  useT: () => Translator<MessageKey<NS>>;
  /** The translator for `locale`, loading its messages if they are not loaded yet. */
  load: (locale: Locale) => Promise<Translator<MessageKey<NS>>>;
  english: Translator<MessageKey<NS>>;
}

function subscribeToLanguages(onChange: () => void): () => void {
  window.addEventListener('languagechange', onChange);
  return () => window.removeEventListener('languagechange', onChange);
}

/** The browser's languages, as one string so React can compare snapshots; they change when the person edits them. */
function useBrowserLanguages(): string {
  return useSyncExternalStore(
    subscribeToLanguages,
    () => browserLanguages().join(','),
    () => '',
  );
}

/** Binds the provider and hook to a page's English messages (and so to its namespaces). */
export function createI18n<NS extends Namespace>(english: Pick<EnglishCatalog, NS>): I18nBinding<NS> {
  type K = MessageKey<NS>;
  const englishTranslator = createTranslator<K>('en', english, english);
  const Context = createContext<Translator<K>>(englishTranslator);
  const load = (locale: Locale) => loadTranslator<NS, K>(locale, english);

  function I18nProvider({ choice, initial = englishTranslator, children }: I18nProviderProps<K>) {
    const [translator, setTranslator] = useState(initial);
    const languages = useBrowserLanguages();
    const wanted = choice === undefined ? translator.locale : resolveLocale(choice, languages ? languages.split(',') : []);

    useEffect(() => {
      if (wanted === translator.locale) return;
      let live = true;
      load(wanted).then(
        (next) => live && setTranslator(next),
        // A packaged chunk that will not load leaves the page readable in the language it has (English at worst).
        (error: unknown) => console.error(`Loupe could not load its ${wanted} messages`, error),
      );
      return () => {
        live = false;
      };
    }, [wanted, translator.locale]);

    // Screen readers pick their voice, and browsers their fonts, by the document's language: set in the commit that
    // puts the new text in, so no frame paints Khmer text under lang="en" (with the wrong fonts).
    useLayoutEffect(() => {
      document.documentElement.lang = translator.locale;
    }, [translator.locale]);

    return <Context.Provider value={translator}>{children}</Context.Provider>;
  }

  return { I18nProvider, useT: () => useContext(Context), load, english: englishTranslator };
}

/** Translator parts (`t.parts`) as React children: the strings as text, the elements as they are. */
export function richText(parts: ReadonlyArray<ReactNode>): ReactNode {
  return parts.map((part, index) => <Fragment key={index}>{part}</Fragment>);
}
