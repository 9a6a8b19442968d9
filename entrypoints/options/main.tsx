import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { englishOptionsTranslator, loadOptionsTranslator } from '../../components/options/i18n';
import { OptionsApp } from '../../components/options/OptionsApp';
import { getDatabase } from '../../lib/db';
import { readLocaleChoice } from '../../lib/i18n/locale-setting';
import { browserLanguages, resolveLocale } from '../../lib/i18n/locales';

const root = document.getElementById('root');
if (!root) throw new Error('options.html has no #root element');
// The page's language is read before its first paint, so it never flashes English first.
const db = getDatabase();
void readLocaleChoice(db)
  .then((choice) => loadOptionsTranslator(resolveLocale(choice, browserLanguages())))
  .catch(() => englishOptionsTranslator)
  .then((translator) => {
    document.documentElement.lang = translator.locale;
    createRoot(root).render(
      <StrictMode>
        <OptionsApp db={db} translator={translator} />
      </StrictMode>,
    );
  });
