/**
 * panel.html: the audit panel our content script mounts in an iframe beside the labeling UI. Unlisted page
 * (WXT's default for entrypoints/panel/index.html); it waits for the one-time token the content script posts
 * to it (trying every token it hears, since the page can post forged ones), and renders nothing but the worker's reason if that proof is missing.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { englishPanelTranslator, loadPanelTranslator, type PanelT } from '@/components/panel/i18n';
import { Panel } from '@/components/panel/Panel';
import { browserLanguages, resolveLocale } from '@/lib/i18n/locales';
import { createPanelClient, panelTokensFrom } from '@/lib/panel-connection';

async function main() {
  const container = document.getElementById('root');
  if (!container) throw new Error('panel.html has no #root element');
  // Listening for the token first: the content script posts it as soon as this frame loads.
  const client = createPanelClient(panelTokensFrom(window));
  // The panel's language before its first paint, so it never flashes English first. It follows the browser's
  // languages: the panel has no storage to read the locale setting from (see ConnectedPanel in Panel.tsx).
  const locale = resolveLocale('auto', browserLanguages());
  document.documentElement.lang = locale;
  const translator: PanelT = await loadPanelTranslator(locale).catch(() => englishPanelTranslator);
  createRoot(container).render(
    <StrictMode>
      <Panel client={client} translator={translator} />
    </StrictMode>,
  );
}

void main();
