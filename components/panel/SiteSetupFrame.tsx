/**
 * panel.html opened as site setup's frame (panel.html#setup, mounted by lib/content/site-picker-session.ts): the
 * same page as the audit panel, so it needs no manifest entry of its own, but a different app. It connects to the
 * worker with the setup token the page's setup script posts to it.
 */
import { useState } from 'react';
import type { SetupClient } from '@/lib/setup/setup-client';
import { createSetupClient, setupTokensFrom } from '@/lib/setup/setup-connection';
import { SETUP_FRAME_HASH } from '@/lib/setup/setup-protocol';
import { SiteSetup } from './SiteSetup';

/** Whether this panel.html was opened as the setup frame. */
export function isSetupFrame(location: Pick<Location, 'hash'> | undefined = globalThis.location): boolean {
  return location?.hash === SETUP_FRAME_HASH;
}

export function SiteSetupFrame({ client }: { client?: SetupClient }) {
  const [own] = useState(() => client ?? createSetupClient(setupTokensFrom(window)));
  return <SiteSetup client={own} />;
}
