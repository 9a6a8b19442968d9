/**
 * Who may say what (DESIGN.md, "Rules that hold everywhere"): every message's sender is checked before its
 * payload is looked at. A page can never call our runtime APIs (no `externally_connectable`), but a compromised
 * renderer can make a content script say anything, so content-script messages are also held to the tab's URL.
 */
import type { Browser } from 'wxt/browser';

export type Sender = Browser.runtime.MessageSender;

export class SenderRefusedError extends Error {
  constructor(reason: string) {
    super(`Loupe refused a message: ${reason}`);
    this.name = 'SenderRefusedError';
  }
}

export interface ExtensionIdentity {
  id: string;
  /** `chrome-extension://<id>/` (or `moz-extension://<uuid>/`). */
  origin: string;
}

/** The top frame of a web page tab, where our content script runs. */
export function contentSender(sender: Sender, self: ExtensionIdentity): { tabId: number; url: string } {
  if (sender.id !== self.id) throw new SenderRefusedError('it did not come from Loupe');
  const tabId = sender.tab?.id;
  if (tabId === undefined || tabId < 0) throw new SenderRefusedError('it did not come from a tab');
  if (sender.frameId !== 0) throw new SenderRefusedError('it came from a frame inside the page');
  const url = sender.url ?? sender.tab?.url;
  if (!url || !/^https?:/.test(url)) throw new SenderRefusedError('it did not come from a web page');
  return { tabId, url };
}

/** Our panel page, framed inside a tab. */
export function panelSender(sender: Sender, self: ExtensionIdentity): { tabId: number } {
  if (sender.id !== self.id) throw new SenderRefusedError('it did not come from Loupe');
  if (!sender.url?.startsWith(`${self.origin}panel.html`)) throw new SenderRefusedError('it did not come from the panel');
  const tabId = sender.tab?.id;
  if (tabId === undefined || tabId < 0) throw new SenderRefusedError('the panel is not inside a tab');
  return { tabId };
}

/** Options, popup or dashboard: top-level extension pages. */
export function pageSender(sender: Sender, self: ExtensionIdentity): void {
  if (sender.id !== self.id) throw new SenderRefusedError('it did not come from Loupe');
  if (!sender.url?.startsWith(self.origin) || sender.url.startsWith(`${self.origin}panel.html`)) {
    throw new SenderRefusedError('it did not come from a Loupe page');
  }
}
