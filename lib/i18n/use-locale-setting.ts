/** The locale setting as a React value, for a page's I18nProvider: undefined until it has been read. */
import { useEffect, useState } from 'react';
import type { LoupeDatabase } from '../db';
import { watchLocaleChoice } from './locale-setting';
import type { LocaleChoice } from './locales';

export function useLocaleSetting(db: LoupeDatabase): LocaleChoice | undefined {
  const [choice, setChoice] = useState<LocaleChoice | undefined>(undefined);
  useEffect(() => watchLocaleChoice(db, setChoice), [db]);
  return choice;
}
