/**
 * The popup's binding of lib/i18n: its English messages (bundled: the fallback, and what tests render) and the
 * hook its components call. `useT` accepts only `common.*`, `popup.*` and `problems.*` keys: the popup bundles no other text,
 * and another language's messages are one small chunk loaded alongside the popup's code (entrypoints/popup).
 */
import { useEffect, useState } from 'react';
import common from '../../lib/i18n/catalogs/en/common';
import popup from '../../lib/i18n/catalogs/en/popup';
import problems from '../../lib/i18n/catalogs/en/problems';
import type { LocaleChoice } from '../../lib/i18n/locales';
import type { MessageKey } from '../../lib/i18n/messages';
import { createI18n } from '../../lib/i18n/react';
import type { Translator } from '../../lib/i18n/translator';
import type { LoupeDatabase } from '../../lib/db';

export const { I18nProvider, useT, load: loadPopupTranslator, english: englishPopupTranslator } = createI18n({ common, popup, problems });

export type PopupT = Translator<MessageKey<'common' | 'popup' | 'problems'>>;

/**
 * The locale setting, read live once the popup has painted: Dexie and the settings schema load after the first
 * paint (issue 4), so this module imports them only when the effect runs. Undefined until read.
 */
export function useLocaleSettingAfterPaint(db: LoupeDatabase | undefined): LocaleChoice | undefined {
  const [choice, setChoice] = useState<LocaleChoice | undefined>(undefined);
  useEffect(() => {
    let stop: (() => void) | undefined;
    let live = true;
    void Promise.all([import('../../lib/i18n/locale-setting'), db ? Promise.resolve(db) : import('../../lib/db').then((m) => m.getDatabase())]).then(
      ([{ watchLocaleChoice }, database]) => {
        if (live) stop = watchLocaleChoice(database, setChoice);
      },
    );
    return () => {
      live = false;
      stop?.();
    };
  }, [db]);
  return choice;
}
