/**
 * The options page's binding of lib/i18n: its English messages (bundled: the fallback, and what tests render)
 * and the hook its components call. `useT` accepts only `common.*`, `options.*`, `setup.*` (the Sites section) and
 * `problems.*` (what the worker reports) keys.
 */
import common from '../../lib/i18n/catalogs/en/common';
import options from '../../lib/i18n/catalogs/en/options';
import problems from '../../lib/i18n/catalogs/en/problems';
import setup from '../../lib/i18n/catalogs/en/setup';
import type { MessageKey } from '../../lib/i18n/messages';
import { createI18n } from '../../lib/i18n/react';
import type { Translator } from '../../lib/i18n/translator';

export const { I18nProvider, useT, load: loadOptionsTranslator, english: englishOptionsTranslator } = createI18n({
  common,
  options,
  setup,
  problems,
});

export type OptionsT = Translator<MessageKey<'common' | 'options' | 'setup' | 'problems'>>;
