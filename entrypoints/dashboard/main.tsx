import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DashboardApp } from '../../components/dashboard/DashboardApp';
import { englishDashboardTranslator, loadDashboardTranslator } from '../../components/dashboard/i18n';
import { getDatabase } from '../../lib/db';
import { readLocaleChoice } from '../../lib/i18n/locale-setting';
import { browserLanguages, resolveLocale } from '../../lib/i18n/locales';

// An unlisted page: WXT builds it to /dashboard.html, which the popup opens in a tab.
const root = document.getElementById('root');
if (!root) throw new Error('dashboard.html has no #root element');
// The page's language is read before its first paint, so it never flashes English first.
const db = getDatabase();
void readLocaleChoice(db)
  .then((choice) => loadDashboardTranslator(resolveLocale(choice, browserLanguages())))
  .catch(() => englishDashboardTranslator)
  .then((translator) => {
    document.documentElement.lang = translator.locale;
    createRoot(root).render(
      <StrictMode>
        <DashboardApp db={db} translator={translator} />
      </StrictMode>,
    );
  });
