/**
 * lib/i18n (issue 7, Languages): picking the language, filling messages in, plural forms by Intl.PluralRules,
 * the fallback to English, and the catalogs themselves — every language has exactly English's keys, with the
 * same placeholders, so a message added in English and forgotten in one language fails here (and in tsc).
 */
import { describe, expect, it } from 'vitest';
import enCommon from '../../lib/i18n/catalogs/en/common';
import enDashboard from '../../lib/i18n/catalogs/en/dashboard';
import enOptions from '../../lib/i18n/catalogs/en/options';
import enPanel from '../../lib/i18n/catalogs/en/panel';
import enPopup from '../../lib/i18n/catalogs/en/popup';
import idCommon from '../../lib/i18n/catalogs/id/common';
import idDashboard from '../../lib/i18n/catalogs/id/dashboard';
import idOptions from '../../lib/i18n/catalogs/id/options';
import idPanel from '../../lib/i18n/catalogs/id/panel';
import idPopup from '../../lib/i18n/catalogs/id/popup';
import kmCommon from '../../lib/i18n/catalogs/km/common';
import kmDashboard from '../../lib/i18n/catalogs/km/dashboard';
import kmOptions from '../../lib/i18n/catalogs/km/options';
import kmPanel from '../../lib/i18n/catalogs/km/panel';
import kmPopup from '../../lib/i18n/catalogs/km/popup';
import msCommon from '../../lib/i18n/catalogs/ms/common';
import msDashboard from '../../lib/i18n/catalogs/ms/dashboard';
import msOptions from '../../lib/i18n/catalogs/ms/options';
import msPanel from '../../lib/i18n/catalogs/ms/panel';
import msPopup from '../../lib/i18n/catalogs/ms/popup';
import thCommon from '../../lib/i18n/catalogs/th/common';
import thDashboard from '../../lib/i18n/catalogs/th/dashboard';
import thOptions from '../../lib/i18n/catalogs/th/options';
import thPanel from '../../lib/i18n/catalogs/th/panel';
import thPopup from '../../lib/i18n/catalogs/th/popup';
import viCommon from '../../lib/i18n/catalogs/vi/common';
import viDashboard from '../../lib/i18n/catalogs/vi/dashboard';
import viOptions from '../../lib/i18n/catalogs/vi/options';
import viPanel from '../../lib/i18n/catalogs/vi/panel';
import viPopup from '../../lib/i18n/catalogs/vi/popup';
import enProblems from '../../lib/i18n/catalogs/en/problems';
import enSetup from '../../lib/i18n/catalogs/en/setup';
import kmProblems from '../../lib/i18n/catalogs/km/problems';
import kmSetup from '../../lib/i18n/catalogs/km/setup';
import viProblems from '../../lib/i18n/catalogs/vi/problems';
import viSetup from '../../lib/i18n/catalogs/vi/setup';
import thProblems from '../../lib/i18n/catalogs/th/problems';
import thSetup from '../../lib/i18n/catalogs/th/setup';
import msProblems from '../../lib/i18n/catalogs/ms/problems';
import msSetup from '../../lib/i18n/catalogs/ms/setup';
import idProblems from '../../lib/i18n/catalogs/id/problems';
import idSetup from '../../lib/i18n/catalogs/id/setup';
import enPage from '../../lib/i18n/catalogs/en/page';
import kmPage from '../../lib/i18n/catalogs/km/page';
import viPage from '../../lib/i18n/catalogs/vi/page';
import thPage from '../../lib/i18n/catalogs/th/page';
import msPage from '../../lib/i18n/catalogs/ms/page';
import idPage from '../../lib/i18n/catalogs/id/page';
import { loadTranslator } from '../../lib/i18n/load';
import { browserLanguages, LOCALES, matchLocale, resolveLocale, type Locale } from '../../lib/i18n/locales';
import { NAMESPACES, type Message, type MessageKey, type Messages, type Namespace } from '../../lib/i18n/messages';
import { createTranslator, fillTemplate, pluralForm, type Catalog } from '../../lib/i18n/translator';
import { settingsSchema } from '../../lib/schemas';

const ENGLISH = { common: enCommon, panel: enPanel, options: enOptions, dashboard: enDashboard, popup: enPopup, setup: enSetup, problems: enProblems, page: enPage } satisfies Record<Namespace, Messages>;

const CATALOGS: Record<Exclude<Locale, 'en'>, Record<Namespace, Messages>> = {
  km: { common: kmCommon, panel: kmPanel, options: kmOptions, dashboard: kmDashboard, popup: kmPopup, setup: kmSetup, problems: kmProblems, page: kmPage },
  vi: { common: viCommon, panel: viPanel, options: viOptions, dashboard: viDashboard, popup: viPopup, setup: viSetup, problems: viProblems, page: viPage },
  th: { common: thCommon, panel: thPanel, options: thOptions, dashboard: thDashboard, popup: thPopup, setup: thSetup, problems: thProblems, page: thPage },
  ms: { common: msCommon, panel: msPanel, options: msOptions, dashboard: msDashboard, popup: msPopup, setup: msSetup, problems: msProblems, page: msPage },
  id: { common: idCommon, panel: idPanel, options: idOptions, dashboard: idDashboard, popup: idPopup, setup: idSetup, problems: idProblems, page: idPage },
};

type Key = MessageKey;
const english = (locale: Locale = 'en', messages: Catalog = ENGLISH) => createTranslator<Key>(locale, messages, ENGLISH);

/** The `{name}`s a message uses, in all its forms. */
function placeholders(message: Message): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  return [...new Set(texts.flatMap((text) => [...(text ?? '').matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '')))].sort();
}

describe('choosing the language', () => {
  it.each([
    ['km-KH', 'km'],
    ['km', 'km'],
    ['vi-VN', 'vi'],
    ['th_TH', 'th'],
    ['ms-MY', 'ms'],
    ['id-ID', 'id'],
    ['in', 'id'],
    ['en-GB', 'en'],
    ['EN-us', 'en'],
    ['fr-FR', null],
    ['', null],
  ] as const)('%s → %s', (tag, locale) => {
    expect(matchLocale(tag)).toBe(locale);
  });

  it('follows the browser on auto: the first preferred language Loupe has, else English', () => {
    expect(resolveLocale('auto', ['fr-FR', 'vi-VN', 'en-US'])).toBe('vi');
    expect(resolveLocale(undefined, ['km-KH'])).toBe('km');
    expect(resolveLocale('auto', ['fr-FR', 'de-DE'])).toBe('en');
    expect(resolveLocale('auto', [])).toBe('en');
  });

  it('takes the setting over the browser', () => {
    expect(resolveLocale('th', ['km-KH', 'vi'])).toBe('th');
  });

  it('reads navigator.languages, or navigator.language when the list is empty', () => {
    expect(browserLanguages({ languages: ['ms-MY', 'en'], language: 'ms-MY' })).toEqual(['ms-MY', 'en']);
    expect(browserLanguages({ languages: [], language: 'id' })).toEqual(['id']);
    expect(browserLanguages(null)).toEqual([]);
  });

  it('is a setting: absent means auto, a shipped language or auto is kept, anything else is refused', () => {
    expect(settingsSchema.parse({}).locale).toBeUndefined();
    expect(settingsSchema.parse({ locale: 'km' }).locale).toBe('km');
    expect(settingsSchema.parse({ locale: 'auto' }).locale).toBe('auto');
    expect(settingsSchema.safeParse({ locale: 'fr' }).success).toBe(false);
  });
});

describe('translating', () => {
  it('fills placeholders, writing numbers the locale’s way', () => {
    expect(english().t('panel.stash.saveTo', { item: 'MQ-1001' })).toBe('Save to MQ-1001');
    expect(english().t('panel.today.audited', { count: 12345 })).toBe('Audited today: 12,345');
    const vi = english('vi', { panel: viPanel });
    expect(vi.t('panel.today.audited', { count: 12345 })).toBe('Đã kiểm tra hôm nay: 12.345');
  });

  it('leaves a placeholder without a value visible rather than blank', () => {
    expect(fillTemplate('Save to {item}', () => undefined)).toEqual(['Save to ', '{item}']);
  });

  it('picks English plural forms with Intl.PluralRules', () => {
    const { t } = english();
    expect(t('dashboard.audits', { count: 1 })).toBe('1 audit');
    expect(t('dashboard.audits', { count: 0 })).toBe('0 audits');
    expect(t('dashboard.audits', { count: 2 })).toBe('2 audits');
    expect(t('dashboard.audits', { count: 1000 })).toBe('1,000 audits');
  });

  it('uses the one form Khmer, Vietnamese, Thai, Malay and Indonesian have for every count', () => {
    for (const locale of ['km', 'vi', 'th', 'ms', 'id'] as const) {
      expect(new Intl.PluralRules(locale).resolvedOptions().pluralCategories).toEqual(['other']);
    }
    const km = english('km', { dashboard: kmDashboard });
    expect(km.t('dashboard.audits', { count: 1 })).toBe('ការត្រួតពិនិត្យ 1');
    expect(km.t('dashboard.audits', { count: 2 })).toBe('ការត្រួតពិនិត្យ 2');
  });

  it('falls back to `other` when a language has no text for the category', () => {
    const rules = new Intl.PluralRules('en');
    expect(pluralForm({ other: '{count} items' }, 1, rules)).toBe('{count} items');
    expect(pluralForm({ one: 'one item', other: '{count} items' }, 1, rules)).toBe('one item');
  });

  it('falls back to English, key by key, for a message a language lacks', () => {
    const partial = english('km', { panel: { save: 'រក្សាទុក' } });
    expect(partial.t('panel.save')).toBe('រក្សាទុក');
    expect(partial.t('panel.undo')).toBe('Undo');
    // An English plural falling back is picked by English rules, in the language's numbers.
    expect(partial.t('dashboard.audits', { count: 1 })).toBe('1 audit');
  });

  it('shows the key itself for a message English does not have either', () => {
    // Only an unchecked cast can name such a key: the type of `t` refuses it.
    const t = english().t as unknown as (key: string) => string;
    expect(t('panel.no-such-message')).toBe('panel.no-such-message');
  });

  it('cuts a message at its placeholders so markup can go in', () => {
    const element = { tag: 'strong' };
    expect(english().parts('panel.stash.title', { item: element })).toEqual(['Unsaved verdict for ', element]);
  });

  it('writes percentages, numbers and dates with Intl for the locale', () => {
    expect(english().percent(0.9234)).toBe('92.3%');
    expect(english('vi').percent(0.9234)).toBe('92,3%');
    expect(english('id').percent(0.9, 0)).toBe('90%');
    expect(english().percent(null)).toBe('–');
    expect(english('id').number(1234.5)).toBe('1.234,5');
    const at = Date.UTC(2026, 10, 22, 8, 5);
    expect(english('th').dateTime(at, { dateStyle: 'medium', timeZone: 'UTC' })).toBe(
      new Intl.DateTimeFormat('th', { dateStyle: 'medium', timeZone: 'UTC' }).format(at),
    );
    // Thai dates count years in the Buddhist era, as people in Thailand read them.
    expect(english('th').dateTime(at, { year: 'numeric', timeZone: 'UTC' })).toContain('2569');
    expect(english('vi').relativeTime(-5, 'minute')).toBe('5 phút trước');
  });
});

describe('loading a language', () => {
  it('loads only the namespaces the page asks for, over its English', async () => {
    const translator = await loadTranslator<'common' | 'panel', MessageKey<'common' | 'panel'>>('km', { common: enCommon, panel: enPanel });
    expect(translator.locale).toBe('km');
    expect(translator.t('panel.save')).toBe('រក្សាទុក');
    expect(translator.t('common.verdict.incorrect')).toBe('មិនត្រឹមត្រូវ');
  });

  it('needs nothing loaded for English', async () => {
    const translator = await loadTranslator<'common', MessageKey<'common'>>('en', { common: enCommon });
    expect(translator.t('common.verdict.correct')).toBe('Correct');
  });
});

describe('the catalogs', () => {
  const languages = Object.entries(CATALOGS) as [Exclude<Locale, 'en'>, Record<Namespace, Messages>][];

  it('cover every shipped language', () => {
    expect(Object.keys(CATALOGS).sort()).toEqual(LOCALES.filter((locale) => locale !== 'en').sort());
  });

  describe.each(languages)('%s', (_locale, catalog) => {
    it.each(NAMESPACES)('has exactly the English keys of %s', (namespace) => {
      expect(Object.keys(catalog[namespace]).sort()).toEqual(Object.keys(ENGLISH[namespace]).sort());
    });

    it.each(NAMESPACES)('uses the same placeholders and plural shape as English in %s', (namespace) => {
      const problems: string[] = [];
      for (const [name, source] of Object.entries(ENGLISH[namespace])) {
        const translated = catalog[namespace][name];
        if (translated === undefined) continue; // reported by the key test
        if (typeof source !== typeof translated) problems.push(`${name}: plural in one language only`);
        if (typeof translated === 'object' && !translated.other) problems.push(`${name}: no "other" form`);
        if (placeholders(source).join() !== placeholders(translated).join()) {
          problems.push(`${name}: {${placeholders(translated).join('}, {')}} instead of {${placeholders(source).join('}, {')}}`);
        }
        const texts = typeof translated === 'string' ? [translated] : Object.values(translated);
        if (texts.some((text) => !text?.trim())) problems.push(`${name}: empty`);
      }
      expect(problems).toEqual([]);
    });
  });

  it('catches a missing key: the check above fails for a catalog that lacks one', () => {
    const { save: _dropped, ...withoutSave } = kmPanel;
    expect(Object.keys(withoutSave).sort()).not.toEqual(Object.keys(enPanel).sort());
  });
});
