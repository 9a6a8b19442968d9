import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { englishPopupTranslator, loadPopupTranslator } from '../../components/popup/i18n';
import { Popup } from '../../components/popup/Popup';
import type { PopupData } from '../../components/popup/popup-day';
import { rememberedLocaleChoice } from '../../lib/i18n/locale-hint';
import { browserLanguages, resolveLocale } from '../../lib/i18n/locales';
import type { DaySummary } from '../../lib/leads/day-summary';

/**
 * The team endpoint's summary, for "Team" only. One stable function for the popup's life (the popup fetches again
 * whenever it changes); its modules (zod, Dexie, the sync client) load when it is first asked.
 */
async function teamSource(): Promise<DaySummary | null> {
  const [{ getDatabase }, { loadTeamDay }] = await Promise.all([import('../../lib/db'), import('../../lib/leads/team-day')]);
  return loadTeamDay(getDatabase(), Date.now());
}

/** Renders the popup once the first read (read-first-day.ts) has answered, whatever it answered. */
export async function mountPopup(root: HTMLElement, firstDay: Promise<PopupData | undefined>): Promise<void> {
  // The popup's language, from the locale setting the last extension page read (lib/i18n/locale-hint.ts: the
  // database is not opened with Dexie before the first paint). Its messages load while the first read runs; the
  // setting itself is read live after the paint and corrects the hint if it changed.
  const messages = loadPopupTranslator(resolveLocale(rememberedLocaleChoice(), browserLanguages())).catch(() => englishPopupTranslator);
  const [initialDay, translator] = await Promise.all([firstDay, messages]);
  document.documentElement.lang = translator.locale;
  createRoot(root).render(
    <StrictMode>
      <Popup teamSource={teamSource} initialDay={initialDay} translator={translator} />
    </StrictMode>,
  );
}
