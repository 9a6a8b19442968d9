/**
 * panel.html opened as site setup's frame (panel.html#setup, mounted by lib/content/site-picker-session.ts): the
 * same page as the audit panel, so it needs no manifest entry of its own, but a different app. It connects to the
 * worker with the setup token the page's setup script posts to it.
 *
 * Its language: the one panel.html loaded before the first paint (the browser's), then the locale setting the worker
 * sends when setup attaches, as the audit panel does (ConnectedPanel in Panel.tsx).
 */
import { useEffect, useState } from 'react';
import type { LocaleChoice } from '@/lib/i18n/locales';
import type { SetupClient } from '@/lib/setup/setup-client';
import { createSetupClient, setupTokensFrom } from '@/lib/setup/setup-connection';
import { SETUP_FRAME_HASH } from '@/lib/setup/setup-protocol';
import { I18nProvider, type PanelT } from './i18n';
import { SiteSetup } from './SiteSetup';

/** Whether this panel.html was opened as the setup frame. */
export function isSetupFrame(location: Pick<Location, 'hash'> | undefined = globalThis.location): boolean {
  return location?.hash === SETUP_FRAME_HASH;
}

/** The locale setting, once the worker has sent it with the start of setup. */
function useSetupLocale(client: SetupClient): LocaleChoice | undefined {
  const [choice, setChoice] = useState<LocaleChoice | undefined>(undefined);
  useEffect(
    () =>
      client.onConnection((connection) => {
        if (connection.state === 'attached' || connection.state === 'reconnecting') setChoice(connection.start.locale);
      }),
    [client],
  );
  return choice;
}

export function SiteSetupFrame({ client, translator }: { client?: SetupClient; translator?: PanelT | undefined }) {
  const [own] = useState(() => client ?? createSetupClient(setupTokensFrom(window)));
  const choice = useSetupLocale(own);
  return (
    <I18nProvider choice={choice} initial={translator}>
      <SiteSetup client={own} />
    </I18nProvider>
  );
}
