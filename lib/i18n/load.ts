/**
 * Loading a language's messages for the namespaces a page needs. English is bundled with each page (it is the
 * fallback, and what tests render); every other language is one lazy chunk per namespace, so a page downloads
 * and parses only its own text in the language it shows, and the content script carries none of it.
 */
import type { Locale } from './locales';
import type { Messages, Namespace } from './messages';
import { createTranslator, type Catalog, type Translator } from './translator';

type Loader = () => Promise<{ default: Messages }>;

/** One dynamic import per language and namespace: the bundler makes each its own chunk. */
const LOADERS: { readonly [L in Exclude<Locale, 'en'>]: { readonly [N in Namespace]: Loader } } = {
  km: {
    common: () => import('./catalogs/km/common'),
    panel: () => import('./catalogs/km/panel'),
    options: () => import('./catalogs/km/options'),
    dashboard: () => import('./catalogs/km/dashboard'),
    popup: () => import('./catalogs/km/popup'),
    setup: () => import('./catalogs/km/setup'),
    problems: () => import('./catalogs/km/problems'),
    page: () => import('./catalogs/km/page'),
  },
  vi: {
    common: () => import('./catalogs/vi/common'),
    panel: () => import('./catalogs/vi/panel'),
    options: () => import('./catalogs/vi/options'),
    dashboard: () => import('./catalogs/vi/dashboard'),
    popup: () => import('./catalogs/vi/popup'),
    setup: () => import('./catalogs/vi/setup'),
    problems: () => import('./catalogs/vi/problems'),
    page: () => import('./catalogs/vi/page'),
  },
  th: {
    common: () => import('./catalogs/th/common'),
    panel: () => import('./catalogs/th/panel'),
    options: () => import('./catalogs/th/options'),
    dashboard: () => import('./catalogs/th/dashboard'),
    popup: () => import('./catalogs/th/popup'),
    setup: () => import('./catalogs/th/setup'),
    problems: () => import('./catalogs/th/problems'),
    page: () => import('./catalogs/th/page'),
  },
  ms: {
    common: () => import('./catalogs/ms/common'),
    panel: () => import('./catalogs/ms/panel'),
    options: () => import('./catalogs/ms/options'),
    dashboard: () => import('./catalogs/ms/dashboard'),
    popup: () => import('./catalogs/ms/popup'),
    setup: () => import('./catalogs/ms/setup'),
    problems: () => import('./catalogs/ms/problems'),
    page: () => import('./catalogs/ms/page'),
  },
  id: {
    common: () => import('./catalogs/id/common'),
    panel: () => import('./catalogs/id/panel'),
    options: () => import('./catalogs/id/options'),
    dashboard: () => import('./catalogs/id/dashboard'),
    popup: () => import('./catalogs/id/popup'),
    setup: () => import('./catalogs/id/setup'),
    problems: () => import('./catalogs/id/problems'),
    page: () => import('./catalogs/id/page'),
  },
};

const loaded = new Map<string, Promise<Messages>>();

function loadNamespace(locale: Exclude<Locale, 'en'>, namespace: Namespace): Promise<Messages> {
  const key = `${locale}/${namespace}`;
  let messages = loaded.get(key);
  if (!messages) {
    messages = LOADERS[locale][namespace]().then((module) => module.default);
    // A chunk that failed to load may load on the next try (an extension update replaced the files mid-session).
    messages.catch(() => loaded.delete(key));
    loaded.set(key, messages);
  }
  return messages;
}

/** A translator for `locale` over the namespaces of `english` (the page's bundled English messages). */
export async function loadTranslator<NS extends Namespace, K extends string>(
  locale: Locale,
  english: { readonly [N in NS]: Messages },
): Promise<Translator<K>> {
  if (locale === 'en') return createTranslator<K>('en', english, english);
  const namespaces = Object.keys(english) as NS[];
  const messages = await Promise.all(namespaces.map((namespace) => loadNamespace(locale, namespace)));
  const catalog: Catalog = Object.fromEntries(namespaces.map((namespace, index) => [namespace, messages[index]]));
  return createTranslator<K>(locale, catalog, english);
}
