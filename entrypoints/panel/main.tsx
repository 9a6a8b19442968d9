/**
 * panel.html: the audit panel our content script mounts in an iframe beside the labeling UI. Unlisted page
 * (WXT's default for entrypoints/panel/index.html); it waits for the one-time token the content script posts
 * to it (trying every token it hears, since the page can post forged ones), and renders nothing but the worker's reason if that proof is missing.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Panel } from '@/components/panel/Panel';
import { createPanelClient, panelTokensFrom } from '@/lib/panel-connection';

function main() {
  const container = document.getElementById('root');
  if (!container) throw new Error('panel.html has no #root element');
  const client = createPanelClient(panelTokensFrom(window));
  createRoot(container).render(
    <StrictMode>
      <Panel client={client} />
    </StrictMode>,
  );
}

main();
