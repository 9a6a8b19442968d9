/**
 * The few extension APIs the content script uses, from the browser's own namespace rather than
 * webextension-polyfill (issue 6): the polyfill is ~10 KB that every labeling page would parse, and what it adds
 * (promises) Chrome's MV3 `chrome.runtime` and Firefox's `browser.runtime` both have natively. The build points
 * WXT's own `wxt/browser` at the native namespace for the content script too (wxt.config.ts), so no copy of the
 * polyfill is left in it.
 *
 * One thing the polyfill did on this side stays: the worker (which keeps the polyfill) answers a rejected message
 * with a marker object rather than an error, and the polyfill turned that back into a rejection here.
 */

/** What the content script calls on `runtime`. */
export interface ContentRuntime {
  readonly id?: string;
  sendMessage(message: unknown): Promise<unknown>;
  getURL(path: string): string;
  onMessage: {
    addListener(listener: (message: unknown) => void): void;
    removeListener(listener: (message: unknown) => void): void;
  };
}

type ExtensionGlobal = { browser?: { runtime?: ContentRuntime }; chrome?: { runtime?: ContentRuntime } };

/** Firefox's `browser` (promise-based), else Chrome's `chrome`: the same choice as WXT's `@wxt-dev/browser`. */
export function contentRuntime(world: object = globalThis): ContentRuntime {
  const { browser, chrome } = world as ExtensionGlobal;
  const runtime = browser?.runtime?.id ? browser.runtime : chrome?.runtime;
  if (!runtime) throw new Error('no extension runtime in this context');
  return runtime;
}

/** How webextension-polyfill in the worker sends back a handler's rejection (its `__mozWebExtensionPolyfillReject__`). */
function rejectionIn(reply: unknown): string | undefined {
  if (typeof reply !== 'object' || reply === null || !('__mozWebExtensionPolyfillReject__' in reply)) return undefined;
  return 'message' in reply && typeof reply.message === 'string' ? reply.message : 'The worker refused the message';
}

/** Sends `message` to the worker; rejects when it refused, as the polyfill's `sendMessage` did. */
export async function sendToWorker(message: unknown, runtime: ContentRuntime = contentRuntime()): Promise<unknown> {
  const reply = await runtime.sendMessage(message);
  const refusal = rejectionIn(reply);
  if (refusal !== undefined) throw new Error(refusal);
  return reply;
}
