import { browser } from 'wxt/browser';
import { createSettingsCache } from '@/lib/background/settings-cache';
import { createSyncScheduler } from '@/lib/background/sync-scheduler';
import { createWorker } from '@/lib/background/worker';
import { getDatabase } from '@/lib/db';

export default defineBackground(() => {
  const db = getDatabase();
  // One parsed copy of the settings for every handler of this worker, dropped on any write (settings-cache.ts).
  const settingsCache = createSettingsCache(db);
  const sync = createSyncScheduler({
    db,
    settings: () => settingsCache.load(),
    fetch: (input, init) => fetch(input, init),
    alarms: browser.alarms,
    permissions: browser.permissions,
    isOnline: () => navigator.onLine,
    onRunFinished: () => worker.refreshAllPanels(),
    // Notes pulled from other people: every open panel's list and every page's highlights follow.
    onPullFinished: (summary) => {
      if (summary.merged > 0) void worker.refreshAllNotes();
    },
  });
  const worker = createWorker({
    db,
    session: browser.storage.session,
    tabs: browser.tabs,
    registration: { scripting: browser.scripting, permissions: browser.permissions },
    self: { id: browser.runtime.id, origin: browser.runtime.getURL('/') },
    requestSync: (reason) => sync.requestSync(reason),
    requestItemPull: (siteId, itemId) => void sync.requestItemPull(siteId, itemId),
    settingsCache,
  });

  // Every listener is registered synchronously, before any await: a worker woken by an event only delivers it
  // to listeners that exist by the end of its first turn.
  browser.runtime.onMessage.addListener((message, sender) => worker.handleMessage(message, sender));
  browser.runtime.onConnect.addListener((port) => worker.handleConnect(port));
  browser.tabs.onRemoved.addListener((tabId) => void worker.forgetTab(tabId));
  browser.permissions.onAdded.addListener(() => {
    void reconcile();
    sync.requestSync('settings');
  });
  browser.permissions.onRemoved.addListener(() => void reconcile());
  browser.alarms.onAlarm.addListener((alarm) => void sync.handleAlarm(alarm.name));
  browser.runtime.onStartup.addListener(() => sync.requestSync('startup'));
  self.addEventListener('online', () => sync.requestSync('online'));

  async function reconcile() {
    try {
      await worker.syncRegistration();
    } catch (error) {
      // Nothing to show this to from the worker; the options page shows each site's state from the permissions.
      console.error('Loupe could not register its content script', error);
    }
  }

  // Registrations and alarms can be gone after a browser restart or an update; re-create both on every start,
  // and send whatever a stopped worker left in the outbox.
  void reconcile();
  void worker.refreshDayStats();
  void sync.ensureAlarms();
  sync.requestSync('startup');
});
