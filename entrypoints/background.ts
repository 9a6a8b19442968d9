import { browser } from 'wxt/browser';
import { createWorker } from '@/lib/background/worker';
import { getDatabase } from '@/lib/db';

export default defineBackground(() => {
  const worker = createWorker({
    db: getDatabase(),
    session: browser.storage.session,
    tabs: browser.tabs,
    registration: { scripting: browser.scripting, permissions: browser.permissions },
    self: { id: browser.runtime.id, origin: browser.runtime.getURL('/') },
  });

  // Every listener is registered synchronously, before any await: a worker woken by an event only delivers it
  // to listeners that exist by the end of its first turn.
  browser.runtime.onMessage.addListener((message, sender) => worker.handleMessage(message, sender));
  browser.runtime.onConnect.addListener((port) => worker.handleConnect(port));
  browser.tabs.onRemoved.addListener((tabId) => void worker.forgetTab(tabId));
  browser.permissions.onAdded.addListener(() => void reconcile());
  browser.permissions.onRemoved.addListener(() => void reconcile());

  async function reconcile() {
    try {
      await worker.syncRegistration();
    } catch (error) {
      // Nothing to show this to from the worker; the options page shows each site's state from the permissions.
      console.error('Loupe could not register its content script', error);
    }
  }

  // Registrations can be gone after a browser restart; reconcile on every worker start.
  void reconcile();
});
