/**
 * The dashboard's binding of lib/i18n: its English messages (bundled: the fallback, and what tests render) and
 * the hook its components call. `useT` accepts only `common.*`, `dashboard.*` and `problems.*` keys.
 */
import common from '../../lib/i18n/catalogs/en/common';
import dashboard from '../../lib/i18n/catalogs/en/dashboard';
import problems from '../../lib/i18n/catalogs/en/problems';
import type { MessageKey } from '../../lib/i18n/messages';
import { createI18n } from '../../lib/i18n/react';
import type { Translator } from '../../lib/i18n/translator';

export const { I18nProvider, useT, load: loadDashboardTranslator, english: englishDashboardTranslator } = createI18n({
  common,
  dashboard,
  problems,
});

export type DashboardT = Translator<MessageKey<'common' | 'dashboard' | 'problems'>>;
