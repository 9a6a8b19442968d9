/**
 * "Set up this site" from the popup (over any page) and from the audit panel (issue 7): both ask the worker, which
 * injects the setup script into the tab (lib/background/setup-handlers.ts). Kept out of the components so they hold
 * no messaging code and tests can pass their own.
 */
import { browser } from 'wxt/browser';
import type { PageRequest, PanelRequest } from '../protocol';

export type StartSetupResult = { ok: true } | { ok: false; message: string };

export const START_SETUP_WORDS = {
  noTab: 'There is no page to set up here: open the labeling tool’s page, then choose “Set up this site” again.',
  noAnswer: (detail: string) => `Loupe’s background worker did not answer (${detail}). Try again.`,
} as const;

function resultOf(reply: unknown): StartSetupResult {
  if (typeof reply === 'object' && reply !== null && 'ok' in reply) {
    if (reply.ok === true) return { ok: true };
    const error = 'error' in reply ? reply.error : undefined;
    if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
      return { ok: false, message: error.message };
    }
  }
  return { ok: false, message: START_SETUP_WORDS.noAnswer('an answer Loupe does not understand') };
}

function failed(error: unknown): StartSetupResult {
  return { ok: false, message: START_SETUP_WORDS.noAnswer(error instanceof Error ? error.message : String(error)) };
}

/** The popup's button: sets up the page the popup was opened over. */
export async function startSetupOnActiveTab(): Promise<StartSetupResult> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined || tab.id < 0) return { ok: false, message: START_SETUP_WORDS.noTab };
  const message: PageRequest<'page/start-setup'> = { type: 'page/start-setup', tabId: tab.id };
  return browser.runtime.sendMessage(message).then(resultOf, failed);
}

/** The panel's button: sets up the page the panel is docked to. */
export function startSetupFromPanel(): Promise<StartSetupResult> {
  const message: PanelRequest<'panel/start-setup'> = { type: 'panel/start-setup' };
  return browser.runtime.sendMessage(message).then(resultOf, failed);
}
