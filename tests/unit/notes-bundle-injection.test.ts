/**
 * The worker's side of loading the notes bundle on demand (issue 6): the content script asks, the worker runs
 * the bundle in that tab's top frame, and only for a content script that said hello on an enabled site.
 */
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { NOTES_BUNDLE_FILE } from '@/lib/background/note-handlers';
import type { Sender } from '@/lib/background/senders';
import { createWorker, type LoupeWorker } from '@/lib/background/worker';
import { LoupeDatabase } from '@/lib/db';
import type { SiteProfile } from '@/lib/schemas';
import { saveSettings } from '@/lib/settings-store';

const EXT_ID = 'ilhbcfmkdehekcbfofeifpdmamkmmelh';
const PAGE = 'http://127.0.0.1:5178/modqueue/queue/hate-speech/item/MQ-1001';
const profile: SiteProfile = {
  id: 'modqueue',
  name: 'ModQueue',
  enabled: true,
  match: ['http://127.0.0.1/modqueue/*'],
  fields: { itemId: { from: 'url', pattern: '/item/([^/?#]+)', group: 1 } },
  keepParams: [],
};

const contentSender = (over: Partial<Sender> = {}): Sender => ({
  id: EXT_ID,
  url: PAGE,
  frameId: 0,
  tab: { id: 7, index: 0, windowId: 1, active: true, incognito: false } as Sender['tab'],
  ...over,
});

let db: LoupeDatabase;
let worker: LoupeWorker;
let injected: unknown[];
let failInjection: Error | undefined;

beforeEach(async () => {
  fakeBrowser.reset();
  db = new LoupeDatabase(`loupe-notes-bundle-${crypto.randomUUID()}`);
  await saveSettings(db, { siteProfiles: [profile], auditorId: 'qa-1' });
  injected = [];
  failInjection = undefined;
  worker = createWorker({
    db,
    session: fakeBrowser.storage.session,
    tabs: { sendMessage: async () => undefined } as never,
    registration: {
      scripting: {
        getRegisteredContentScripts: async () => [],
        registerContentScripts: async () => undefined,
        updateContentScripts: async () => undefined,
        unregisterContentScripts: async () => undefined,
        executeScript: async (injection: unknown) => {
          if (failInjection) throw failInjection;
          injected.push(injection);
          return [];
        },
      } as never,
      permissions: { contains: async () => true } as never,
    },
    self: { id: EXT_ID, origin: `chrome-extension://${EXT_ID}/` },
    now: () => 1_700_000_000_000,
  });
});
afterEach(async () => {
  worker.close();
  db.close();
  await Dexie.delete(db.name);
});

describe('content/load-notes', () => {
  it('runs the notes bundle in the top frame of the tab that asked, once it said hello', async () => {
    await worker.handleMessage({ type: 'content/hello', url: PAGE }, contentSender());
    expect(await worker.handleMessage({ type: 'content/load-notes' }, contentSender())).toEqual({ ok: true });
    expect(injected).toEqual([{ target: { tabId: 7, frameIds: [0] }, files: [NOTES_BUNDLE_FILE] }]);
  });

  it('is refused from a tab whose content script never said hello (no enabled site there)', async () => {
    await expect(worker.handleMessage({ type: 'content/load-notes' }, contentSender())).rejects.toThrow(/hello/);
    expect(injected).toEqual([]);
  });

  it.each([
    ['another extension', { id: 'someone-else' }],
    ['a frame inside the page', { frameId: 2 }],
  ])('is refused from %s', async (_name, over) => {
    await worker.handleMessage({ type: 'content/hello', url: PAGE }, contentSender());
    await expect(worker.handleMessage({ type: 'content/load-notes' }, contentSender(over as Partial<Sender>))).rejects.toThrow(/refused/);
    expect(injected).toEqual([]);
  });

  it('rejects when the browser would not inject, so the page can say so', async () => {
    await worker.handleMessage({ type: 'content/hello', url: PAGE }, contentSender());
    failInjection = new Error('Cannot access contents of the page');
    await expect(worker.handleMessage({ type: 'content/load-notes' }, contentSender())).rejects.toThrow(/Cannot access/);
  });

  it('refuses a payload with anything else in it', async () => {
    await worker.handleMessage({ type: 'content/hello', url: PAGE }, contentSender());
    await expect(worker.handleMessage({ type: 'content/load-notes', files: ['evil.js'] }, contentSender())).rejects.toThrow(/malformed/);
    expect(injected).toEqual([]);
  });
});
