/**
 * The panel's binding of lib/i18n: its English messages (bundled: the fallback, and what tests render) and the
 * hook its components call. `useT` accepts only `common.*`, `panel.*`, `setup.*` (its site
 * setup) and `problems.*` (what the worker reports) keys: the panel ships no other text.
 */
import common from '@/lib/i18n/catalogs/en/common';
import panel from '@/lib/i18n/catalogs/en/panel';
import problems from '@/lib/i18n/catalogs/en/problems';
import setup from '@/lib/i18n/catalogs/en/setup';
import { createI18n } from '@/lib/i18n/react';
import type { MessageKey } from '@/lib/i18n/messages';
import type { Translator } from '@/lib/i18n/translator';

export const { I18nProvider, useT, load: loadPanelTranslator, english: englishPanelTranslator } = createI18n({ common, panel, setup, problems });

export type PanelT = Translator<MessageKey<'common' | 'panel' | 'setup' | 'problems'>>;
