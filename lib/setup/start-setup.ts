/**
 * "Set up this site" from the popup (over any page) and from the audit panel (issue 7): both ask the worker, which
 * injects the setup script into the tab (lib/background/setup-handlers.ts). Kept out of the components so they hold
 * no messaging code and tests can pass their own. A refusal comes back as a problem the caller words in its language
 * (lib/setup/setup-text.ts `describeSetupProblem`).
 */
import { browser } from 'wxt/browser';
import type { PageRequest, PanelRequest } from '../protocol';
import { setupProblemSchema, type SetupProblem } from './setup-protocol';
import { describeSetupProblem } from './setup-text';

/** Why setup did not start: the problem for a page to word, and its English for one that has no words loaded. */
export interface StartSetupFailure {
  ok: false;
  problem: SetupProblem;
  message: string;
}
export type StartSetupResult = { ok: true } | StartSetupFailure;

function refused(problem: SetupProblem): StartSetupFailure {
  return { ok: false, problem, message: describeSetupProblem(problem) };
}

function resultOf(reply: unknown): StartSetupResult {
  if (typeof reply === 'object' && reply !== null && 'ok' in reply) {
    if (reply.ok === true) return { ok: true };
    const problem = setupProblemSchema.safeParse('problem' in reply ? reply.problem : undefined);
    if (problem.success) return refused(problem.data);
    // A refusal without a problem (the worker refused the sender itself): its English is all there is.
    const error = 'error' in reply ? reply.error : undefined;
    if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
      return refused({ code: 'no-answer', detail: error.message.slice(0, 500) });
    }
  }
  return refused({ code: 'no-answer' });
}

function failed(error: unknown): StartSetupResult {
  return refused({ code: 'no-answer', detail: (error instanceof Error ? error.message : String(error)).slice(0, 500) });
}

/** The popup's button: sets up the page the popup was opened over. */
export async function startSetupOnActiveTab(): Promise<StartSetupResult> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined || tab.id < 0) return refused({ code: 'no-tab' });
  const message: PageRequest<'page/start-setup'> = { type: 'page/start-setup', tabId: tab.id };
  return browser.runtime.sendMessage(message).then(resultOf, failed);
}

/** The panel's button: sets up the page the panel is docked to. */
export function startSetupFromPanel(): Promise<StartSetupResult> {
  const message: PanelRequest<'panel/start-setup'> = { type: 'panel/start-setup' };
  return browser.runtime.sendMessage(message).then(resultOf, failed);
}
