import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { createWorker, type LoupeWorker } from '@/lib/background/worker';
import { LoupeDatabase } from '@/lib/db';
import { saveSettings } from '@/lib/settings-store';
import { PANEL_PORT, type PanelPortOut } from '@/lib/protocol';
import { settingsSchema, type SiteProfile } from '@/lib/schemas';
import type { Sender } from '@/lib/background/senders';

const EXT_ID = 'ilhbcfmkdehekcbfofeifpdmamkmmelh';
const ORIGIN = `chrome-extension://${EXT_ID}/`;
const PAGE = 'http://127.0.0.1:5178/modqueue/queue/hate-speech/item/MQ-1001';

const profile: SiteProfile = {
  id: 'modqueue',
  name: 'ModQueue',
  enabled: true,
  match: ['http://127.0.0.1/modqueue/*'],
  fields: { itemId: { from: 'url', pattern: '/item/([^/?#]+)', group: 1 } },
  keepParams: [],
};
const item = { siteId: 'modqueue', itemId: 'MQ-1001', itemUrl: 'http://127.0.0.1:5178/modqueue/queue/hate-speech/item/MQ-1001' };

const contentSender = (over: Partial<Sender> = {}): Sender => ({
  id: EXT_ID,
  url: PAGE,
  frameId: 0,
  tab: { id: 7, index: 0, windowId: 1, active: true, incognito: false } as Sender['tab'],
  ...over,
});
const panelSender = (over: Partial<Sender> = {}): Sender => contentSender({ url: `${ORIGIN}panel.html`, frameId: 3, ...over });

type Listener = (message: unknown) => void;
class FakePort {
  name = PANEL_PORT;
  posted: PanelPortOut[] = [];
  disconnected = false;
  private messageListeners = new Set<Listener>();
  private disconnectListeners = new Set<() => void>();
  constructor(public sender: Sender) {}
  postMessage = (message: unknown) => void this.posted.push(message as PanelPortOut);
  disconnect = () => {
    this.disconnected = true;
  };
  onMessage = {
    addListener: (l: Listener) => void this.messageListeners.add(l),
    removeListener: (l: Listener) => void this.messageListeners.delete(l),
  };
  onDisconnect = { addListener: (l: () => void) => void this.disconnectListeners.add(l) };
  deliver(message: unknown) {
    for (const l of [...this.messageListeners]) l(message);
  }
}

let db: LoupeDatabase;
let worker: LoupeWorker;
let toContent: unknown[];
/** Ids of the content scripts the worker registered (the early media cover's among them). */
let registered: string[];

async function settle(port: FakePort, type: PanelPortOut['type']) {
  await expect.poll(() => port.posted.some((m) => m.type === type)).toBe(true);
  return port.posted.find((m) => m.type === type)!;
}

async function attachedPanel(): Promise<{ port: FakePort; secret: string }> {
  const hello = (await worker.handleMessage({ type: 'content/hello', url: PAGE }, contentSender())) as { panelToken: string };
  await worker.handleMessage({ type: 'content/item', url: PAGE, reading: { status: 'found', item, problems: [] } }, contentSender());
  const port = new FakePort(panelSender());
  worker.handleConnect(port as never);
  port.deliver({ type: 'panel/attach', token: hello.panelToken });
  const attached = await settle(port, 'worker/attached');
  if (attached.type !== 'worker/attached') throw new Error('not attached');
  await settle(port, 'worker/context');
  return { port, secret: attached.secret };
}

beforeEach(async () => {
  fakeBrowser.reset();
  db = new LoupeDatabase(`loupe-worker-${crypto.randomUUID()}`);
  await saveSettings(db, { siteProfiles: [profile], auditorId: 'qa-1' });
  toContent = [];
  registered = [];
  worker = createWorker({
    db,
    session: fakeBrowser.storage.session,
    tabs: { sendMessage: async (_tabId: number, message: unknown) => void toContent.push(message) } as never,
    registration: {
      scripting: {
        getRegisteredContentScripts: async () => [],
        registerContentScripts: async (scripts: Array<{ id: string }>) => void registered.push(...scripts.map((script) => script.id)),
        updateContentScripts: async () => undefined,
        unregisterContentScripts: async () => undefined,
      } as never,
      permissions: { contains: async () => true } as never,
    },
    self: { id: EXT_ID, origin: ORIGIN },
    now: () => 1_700_000_000_000,
  });
});
afterEach(async () => {
  worker.close();
  db.close();
  await Dexie.delete(db.name);
});

const draft = { item, input: { verdict: 'incorrect', errorTags: ['missed-violation'], severity: 'major' } };

describe('content/hello', () => {
  it('hands the page its words in the language chosen in the settings', async () => {
    await saveSettings(db, { siteProfiles: [profile], auditorId: 'qa-1', locale: 'th' });
    const reply = await worker.handleMessage({ type: 'content/hello', url: PAGE }, contentSender());
    expect(reply).toMatchObject({ enabled: true, words: { panelTitle: 'แผงตรวจสอบ Loupe' } });
  });

  it('answers an enabled site with its profile and a one-time panel token', async () => {
    const reply = await worker.handleMessage({ type: 'content/hello', url: PAGE }, contentSender());
    expect(reply).toMatchObject({ enabled: true, profile: { id: 'modqueue' }, hotkeys: { correct: '1' } });
    expect((reply as { panelToken: string }).panelToken).toMatch(/^[A-Za-z0-9_-]{20,64}$/);
  });

  it('answers a page of no enabled site with enabled: false', async () => {
    const reply = await worker.handleMessage({ type: 'content/hello', url: 'http://127.0.0.1/about' }, contentSender({ url: 'http://127.0.0.1/about' }));
    expect(reply).toEqual({ enabled: false });
  });

  it.each([
    ['another extension', { id: 'someone-else' }],
    ['a frame inside the page', { frameId: 2 }],
    ['no tab', { tab: undefined }],
    ['a non-web page', { url: 'file:///etc/passwd' }],
  ])('is refused from %s', async (_name, over) => {
    await expect(worker.handleMessage({ type: 'content/hello', url: PAGE }, contentSender(over as Partial<Sender>))).rejects.toThrow(/refused/);
  });
});

describe('malformed and spoofed messages', () => {
  const malformed: Array<[string, unknown]> = [
    ['null', null],
    ['a string', 'content/hello'],
    ['no type', { url: PAGE }],
    ['an unknown type', { type: 'content/drop-database' }],
    ['an extra key', { type: 'content/hello', url: PAGE, admin: true }],
    ['a huge url', { type: 'content/hello', url: 'x'.repeat(10_000) }],
    ['an item without id', { type: 'content/item', url: PAGE, reading: { status: 'found', item: { siteId: 'modqueue' }, problems: [] } }],
    ['a verdict without secret', { type: 'panel/record-verdict', draft }],
    ['a bad verdict value', { type: 'panel/record-verdict', secret: 'a'.repeat(32), draft: { ...draft, input: { verdict: 'maybe', errorTags: [] } } }],
    ['incorrect without tags', { type: 'panel/record-verdict', secret: 'a'.repeat(32), draft: { item, input: { verdict: 'incorrect', errorTags: [] } } }],
  ];

  it.each(malformed)('rejects %s and writes nothing', async (_name, message) => {
    await expect(worker.handleMessage(message, contentSender())).rejects.toThrow(/malformed/);
    expect(await db.audits.count()).toBe(0);
  });

  it('refuses a verdict from the content script (only the panel may record)', async () => {
    await attachedPanel();
    await expect(
      worker.handleMessage({ type: 'panel/record-verdict', secret: 'a'.repeat(32), draft }, contentSender()),
    ).rejects.toThrow(/did not come from the panel/);
    expect(await db.audits.count()).toBe(0);
  });

  it('refuses a verdict signed with a secret that was not issued', async () => {
    await attachedPanel();
    await expect(
      worker.handleMessage({ type: 'panel/record-verdict', secret: 'b'.repeat(32), draft }, panelSender()),
    ).rejects.toThrow(/not attached/);
    expect(await db.audits.count()).toBe(0);
  });

  it('refuses an item that claims another site', async () => {
    await worker.handleMessage({ type: 'content/hello', url: PAGE }, contentSender());
    const reading = { status: 'found', item: { ...item, siteId: 'labeldesk' }, problems: [] };
    await expect(worker.handleMessage({ type: 'content/item', url: PAGE, reading }, contentSender())).rejects.toThrow(/claims site/);
  });

  it('survives 1,000 random messages with no write', async () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const types = ['content/hello', 'content/item', 'content/command', 'panel/record-verdict', 'panel/undo', 'page/settings-changed', 'x'];
    const values = [null, 1, 'x', [], {}, { status: 'found' }, 'a'.repeat(40), true];
    const pick = <T,>(list: T[]) => list[Math.floor(rand() * list.length)]!;
    let refused = 0;
    for (let i = 0; i < 1000; i += 1) {
      const message = { type: pick(types), url: pick(values), reading: pick(values), draft: pick(values), secret: pick(values), command: pick(values) };
      try {
        await worker.handleMessage(message, rand() < 0.5 ? contentSender() : panelSender({ url: PAGE }));
      } catch {
        refused += 1;
      }
    }
    expect(refused).toBe(1000);
    expect(await db.audits.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });
});

describe('panel', () => {
  it('attaches with the token once, and records a verdict signed with its secret', async () => {
    const { port, secret } = await attachedPanel();
    const context = port.posted.find((m) => m.type === 'worker/context');
    expect(context).toMatchObject({ context: { siteId: 'modqueue', auditorId: 'qa-1', reading: { status: 'found', item } } });

    const reply = await worker.handleMessage({ type: 'panel/record-verdict', secret, draft }, panelSender());
    expect(reply).toMatchObject({ ok: true, audit: { verdict: 'incorrect', auditorId: 'qa-1', rev: 1 } });
    expect(await db.audits.count()).toBe(1);
  });

  it('answers requests sent on the attached Port there, checked as any request is', async () => {
    const { port, secret } = await attachedPanel();
    port.deliver({ type: 'panel/call', id: 7, request: { type: 'panel/record-verdict', secret, draft } });
    expect(await settle(port, 'worker/reply')).toMatchObject({ id: 7, reply: { ok: true, audit: { verdict: 'incorrect', rev: 1 } } });
    expect(await db.audits.count()).toBe(1);

    port.deliver({ type: 'panel/call', id: 8, request: { type: 'panel/record-verdict', secret: 'b'.repeat(32), draft } });
    expect(await settle(port, 'worker/call-refused')).toMatchObject({ id: 8, reason: expect.stringMatching(/not attached/) });
    // The Port speaks for the panel's frame: what a content script may ask is refused there.
    port.deliver({ type: 'panel/call', id: 9, request: { type: 'content/hello', url: PAGE } });
    await expect.poll(() => port.posted.filter((m) => m.type === 'worker/call-refused').map((m) => m.type === 'worker/call-refused' && m.id)).toEqual([8, 9]);
    expect(await db.audits.count()).toBe(1);
  });

  it('takes a keepalive on the attached Port without answering it, and answers the next request', async () => {
    const { port, secret } = await attachedPanel();
    const before = port.posted.length;
    port.deliver({ type: 'panel/keepalive' });
    port.deliver({ type: 'panel/call', id: 3, request: { type: 'panel/record-verdict', secret, draft } });
    expect(await settle(port, 'worker/reply')).toMatchObject({ id: 3, reply: { ok: true } });
    expect(port.posted.slice(before).filter((m) => m.type !== 'worker/context').map((m) => m.type)).toEqual(['worker/reply']);
    expect(port.disconnected).toBe(false);
  });

  it('refuses a Port whose first message is a request instead of an attach', async () => {
    await worker.handleMessage({ type: 'content/hello', url: PAGE }, contentSender());
    const port = new FakePort(panelSender());
    worker.handleConnect(port as never);
    port.deliver({ type: 'panel/call', id: 0, request: { type: 'panel/record-verdict', secret: 'a'.repeat(32), draft } });
    await settle(port, 'worker/refused');
    expect(port.disconnected).toBe(true);
    expect(port.posted.some((m) => m.type === 'worker/reply')).toBe(false);
  });

  it('refuses a second panel presenting a used or forged token', async () => {
    const hello = (await worker.handleMessage({ type: 'content/hello', url: PAGE }, contentSender())) as { panelToken: string };
    const ours = new FakePort(panelSender());
    worker.handleConnect(ours as never);
    ours.deliver({ type: 'panel/attach', token: hello.panelToken });
    await settle(ours, 'worker/attached');

    const copy = new FakePort(panelSender({ frameId: 9 }));
    worker.handleConnect(copy as never);
    copy.deliver({ type: 'panel/attach', token: hello.panelToken });
    expect(await settle(copy, 'worker/refused')).toMatchObject({ reason: expect.stringMatching(/not opened by Loupe/) });
    expect(copy.disconnected).toBe(true);
  });

  it('re-attaches with its secret after the worker restarted', async () => {
    const { secret } = await attachedPanel();
    const restarted = createWorker({
      db,
      session: fakeBrowser.storage.session,
      tabs: { sendMessage: async () => undefined } as never,
      registration: { scripting: {} as never, permissions: {} as never },
      self: { id: EXT_ID, origin: ORIGIN },
    });
    const port = new FakePort(panelSender());
    restarted.handleConnect(port as never);
    port.deliver({ type: 'panel/attach', secret });
    expect(await settle(port, 'worker/attached')).toEqual({ type: 'worker/attached', secret });
    const reply = await restarted.handleMessage({ type: 'panel/record-verdict', secret, draft }, panelSender());
    expect(reply).toMatchObject({ ok: true });
  });

  it('asks for an auditor id instead of recording anonymously', async () => {
    await saveSettings(db, { siteProfiles: [profile] });
    const { secret } = await attachedPanel();
    const reply = await worker.handleMessage({ type: 'panel/record-verdict', secret, draft }, panelSender());
    expect(reply).toMatchObject({ ok: false, error: { code: 'no-auditor' } });
    expect(await db.audits.count()).toBe(0);
  });

  it('no longer relays host-page keys: they go to the panel on its own channel', async () => {
    await attachedPanel();
    await expect(
      worker.handleMessage({ type: 'content/command', command: { kind: 'verdict', verdict: 'correct' } }, contentSender()),
    ).rejects.toThrow(/content\/command/);
  });

  it('moves keyboard focus into the panel only when the panel asks', async () => {
    const { secret } = await attachedPanel();
    await worker.handleMessage({ type: 'panel/take-focus', secret }, panelSender());
    expect(toContent).toContainEqual({ type: 'worker/focus-panel' });
    await worker.handleMessage({ type: 'panel/return-focus', secret }, panelSender());
    expect(toContent.at(-1)).toEqual({ type: 'worker/return-focus' });
  });

  it('registers the early media cover when the shield mode changes, and only then', async () => {
    const { secret } = await attachedPanel();
    await worker.handleMessage({ type: 'panel/set-layout', secret, layout: { side: 'right', collapsed: true } }, panelSender());
    expect(registered).toEqual([]);
    await worker.handleMessage({ type: 'panel/set-layout', secret, layout: { side: 'right', collapsed: false, media: 'blurred' } }, panelSender());
    expect(registered).toContain('loupe-media-shield-blurred');
  });

  it('stores the layout per site and tells the content script', async () => {
    const { secret } = await attachedPanel();
    await worker.handleMessage({ type: 'panel/set-layout', secret, layout: { side: 'left', collapsed: true } }, panelSender());
    expect(await db.layouts.get('modqueue')).toEqual({ siteId: 'modqueue', layout: { side: 'left', collapsed: true } });
    expect(toContent).toContainEqual({ type: 'worker/layout', layout: { side: 'left', collapsed: true } });
  });
});

describe('settings', () => {
  const optionsSender = (): Sender => ({ id: EXT_ID, url: `${ORIGIN}options.html` });
  const verdictOn = (itemId: string) => ({
    item: { ...item, itemId, itemUrl: item.itemUrl.replace('MQ-1001', itemId) },
    input: { verdict: 'correct', errorTags: [] },
  });

  it('are read once, not per message: items shown and verdicts open no settings transaction', async () => {
    // The same database through a connection that counts the transactions touching the settings table.
    const counted = new LoupeDatabase(db.name);
    let settingsTransactions = 0;
    counted.use({
      stack: 'dbcore',
      name: 'count-settings-transactions',
      create: (down) => ({
        ...down,
        transaction: (stores, mode, options) => {
          if (stores.includes('settings')) settingsTransactions += 1;
          return down.transaction(stores, mode, options);
        },
      }),
    });
    worker.close();
    worker = createWorker({
      db: counted,
      session: fakeBrowser.storage.session,
      tabs: { sendMessage: async () => undefined } as never,
      registration: { scripting: {} as never, permissions: {} as never },
      self: { id: EXT_ID, origin: ORIGIN },
      now: () => 1_700_000_000_000,
    });
    const { secret } = await attachedPanel();
    const before = settingsTransactions;
    for (const itemId of ['MQ-2001', 'MQ-2002', 'MQ-2003']) {
      // Each item shown sends the page its notes (which need the settings) as well.
      const shown = verdictOn(itemId).item;
      await worker.handleMessage({ type: 'content/item', url: PAGE, reading: { status: 'found', item: shown, problems: [] } }, contentSender());
      expect(await worker.handleMessage({ type: 'panel/record-verdict', secret, draft: verdictOn(itemId) }, panelSender())).toMatchObject({ ok: true });
    }
    await new Promise((resolve) => setTimeout(resolve, 50)); // the notes pushed to the page are not awaited
    expect(settingsTransactions - before).toBe(0);
    counted.close();
  });

  it('and the tab’s session are not read from storage again for each verdict', async () => {
    let sessionReads = 0;
    const storage = fakeBrowser.storage.session;
    const counting = {
      get: (keys: string | null) => {
        sessionReads += 1;
        return storage.get(keys);
      },
      set: (items: Record<string, unknown>) => storage.set(items),
      remove: (keys: string) => storage.remove(keys),
    };
    worker.close();
    worker = createWorker({
      db,
      session: counting,
      tabs: { sendMessage: async () => undefined } as never,
      registration: { scripting: {} as never, permissions: {} as never },
      self: { id: EXT_ID, origin: ORIGIN },
      now: () => 1_700_000_000_000,
    });
    const { port, secret } = await attachedPanel();
    const before = sessionReads;
    for (const itemId of ['MQ-6001', 'MQ-6002', 'MQ-6003']) {
      expect(await worker.handleMessage({ type: 'panel/record-verdict', secret, draft: verdictOn(itemId) }, panelSender())).toMatchObject({ ok: true });
    }
    await expect.poll(() => port.posted.filter((m) => m.type === 'worker/context').at(-1)).toMatchObject({ context: { today: { audited: 3 } } });
    expect(sessionReads - before).toBe(0);
    // A secret that was not issued is still refused: the memory holds what storage holds.
    await expect(worker.handleMessage({ type: 'panel/record-verdict', secret: 'b'.repeat(32), draft: verdictOn('MQ-6004') }, panelSender())).rejects.toThrow(/not attached/);
  });

  it('written by the options page are followed by the very next verdict', async () => {
    const { secret } = await attachedPanel();
    expect(await worker.handleMessage({ type: 'panel/record-verdict', secret, draft: verdictOn('MQ-3001') }, panelSender())).toMatchObject({
      ok: true,
      audit: { auditorId: 'qa-1' },
    });
    // The options page's own connection to the database, as in another context.
    const options = new LoupeDatabase(db.name);
    await saveSettings(options, { siteProfiles: [profile], auditorId: 'qa-2' });
    options.close();
    expect(await worker.handleMessage({ type: 'panel/record-verdict', secret, draft: verdictOn('MQ-3002') }, panelSender())).toMatchObject({
      ok: true,
      audit: { auditorId: 'qa-2' },
    });
  });

  it('written where no change event reaches the worker are read again once a page says it saved', async () => {
    const labeldesk: SiteProfile = { ...profile, id: 'labeldesk', name: 'LabelDesk', match: ['http://127.0.0.1/labeldesk/*'] };
    const desk = 'http://127.0.0.1:5178/labeldesk/task/LD-1';
    expect(await worker.handleMessage({ type: 'content/hello', url: desk }, contentSender({ url: desk }))).toEqual({ enabled: false });
    // Straight into IndexedDB, past Dexie: nothing tells the worker's copy, except the page's message.
    const value = settingsSchema.parse({ siteProfiles: [profile, labeldesk], auditorId: 'qa-1' });
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open(db.name);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const tx = open.result.transaction('settings', 'readwrite');
        tx.objectStore('settings').put({ key: 'settings', value });
        tx.oncomplete = () => {
          open.result.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
    });
    expect(await worker.handleMessage({ type: 'page/settings-changed' }, optionsSender())).toEqual({ ok: true });
    expect(await worker.handleMessage({ type: 'content/hello', url: desk }, contentSender({ url: desk }))).toMatchObject({
      enabled: true,
      profile: { id: 'labeldesk' },
    });
  });

  it('changed by the panel (its auditor id) are used by its next verdict', async () => {
    const { secret } = await attachedPanel();
    expect(await worker.handleMessage({ type: 'panel/set-auditor', secret, auditorId: 'qa-9' }, panelSender())).toEqual({ ok: true });
    expect(await worker.handleMessage({ type: 'panel/record-verdict', secret, draft: verdictOn('MQ-4001') }, panelSender())).toMatchObject({
      ok: true,
      audit: { auditorId: 'qa-9' },
    });
  });
});

describe('today’s count', () => {
  const verdictOn = (itemId: string, verdict: 'correct' | 'unsure' = 'correct') => ({
    item: { ...item, itemId, itemUrl: item.itemUrl.replace('MQ-1001', itemId) },
    input: { verdict, errorTags: [] },
  });

  it.each([
    ['from the day tallies', true],
    ['from the audits, before the tallies are built', false],
  ])('counts each item once, re-audits and undos included (%s)', async (_name, tallies) => {
    if (tallies) await worker.refreshDayStats();
    expect(await db.meta.count()).toBe(tallies ? 1 : 0);
    const { port, secret } = await attachedPanel();
    // The replies carry the audit alone; the count comes with the context refresh each verdict and undo sends.
    const contexts = () => port.posted.filter((m) => m.type === 'worker/context');
    const countAfter = async (send: () => Promise<unknown>) => {
      const before = contexts().length;
      const reply = (await send()) as { ok: boolean; audit: { id: string; rev: number } };
      expect(reply).toMatchObject({ ok: true });
      await expect.poll(() => contexts().length).toBeGreaterThan(before);
      const latest = contexts().at(-1) as { context: { today: { audited: number } } };
      return { reply, audited: latest.context.today.audited };
    };
    const record = (draft: ReturnType<typeof verdictOn>) => () =>
      worker.handleMessage({ type: 'panel/record-verdict', secret, draft }, panelSender());
    expect((await countAfter(record(verdictOn('MQ-5001')))).audited).toBe(1);
    expect((await countAfter(record(verdictOn('MQ-5002')))).audited).toBe(2);
    const reaudit = await countAfter(record(verdictOn('MQ-5002', 'unsure')));
    expect(reaudit.audited).toBe(2);
    const undone = await countAfter(() =>
      worker.handleMessage({ type: 'panel/undo', secret, auditId: reaudit.reply.audit.id, rev: reaudit.reply.audit.rev }, panelSender()),
    );
    expect(undone.audited).toBe(2); // back to its first verdict, still today
  });
});

describe('notes on the page', () => {
  const ITEM_KEY = 'modqueue:MQ-1001';
  const N1 = '00000000-0000-4000-8000-000000000001';
  const N2 = '00000000-0000-4000-8000-000000000002';

  it('gives a panel that attaches after the page anchored its notes the page’s report, in its context', async () => {
    const hello = (await worker.handleMessage({ type: 'content/hello', url: PAGE }, contentSender())) as { panelToken: string };
    await worker.handleMessage({ type: 'content/item', url: PAGE, reading: { status: 'found', item, problems: [] } }, contentSender());
    // The page anchors as soon as the worker sends the item's notes: before its panel frame has loaded.
    await worker.handleMessage({ type: 'content/anchors', itemKey: ITEM_KEY, found: [N1], missing: [N2] }, contentSender());
    const port = new FakePort(panelSender());
    worker.handleConnect(port as never);
    port.deliver({ type: 'panel/attach', token: hello.panelToken });
    const context = await settle(port, 'worker/context');
    expect(context).toMatchObject({ context: { anchors: { itemKey: ITEM_KEY, found: [N1], missing: [N2] } } });
  });

  it('relays a report to the attached panel, and drops one about an item the page has left', async () => {
    const { port } = await attachedPanel();
    await worker.handleMessage({ type: 'content/anchors', itemKey: ITEM_KEY, found: [N1], missing: [] }, contentSender());
    expect(port.posted.at(-1)).toEqual({ type: 'worker/anchors', itemKey: ITEM_KEY, found: [N1], missing: [] });
    const posted = port.posted.length;
    await worker.handleMessage({ type: 'content/anchors', itemKey: 'modqueue:MQ-0999', found: [], missing: [N1] }, contentSender());
    expect(port.posted.length).toBe(posted);
  });

  it('sends pulled notes to a page whose panel has not attached yet', async () => {
    await worker.handleMessage({ type: 'content/hello', url: PAGE }, contentSender());
    await worker.handleMessage({ type: 'content/item', url: PAGE, reading: { status: 'found', item, problems: [] } }, contentSender());
    await expect.poll(() => toContent.some((m) => (m as { type: string }).type === 'worker/notes')).toBe(true);
    toContent = [];
    await db.notes.put({
      id: N1,
      rev: 1,
      createdAt: 1_700_000_000_000,
      updatedAt: 1_700_000_000_000,
      deleted: false,
      siteId: 'modqueue',
      itemId: 'MQ-1001',
      itemUrl: item.itemUrl,
      authorId: 'mentor-mo',
      target: { kind: 'text', quote: { type: 'TextQuoteSelector', exact: 'should never have been let in' } },
      body: 'The exclusion clause.',
    });
    await worker.refreshAllNotes();
    expect(toContent).toEqual([
      { type: 'worker/notes', itemKey: ITEM_KEY, notes: [expect.objectContaining({ id: N1, body: 'The exclusion clause.' })] },
    ]);
  });
});

describe('wellbeing', () => {
  it('counts each item shown once, tells the panel, and restarts the stretch when the reminder is dismissed', async () => {
    const { port, secret } = await attachedPanel();
    const other = { ...item, itemId: 'MQ-1002', itemUrl: item.itemUrl.replace('MQ-1001', 'MQ-1002') };
    for (const shown of [item, other, item]) {
      await worker.handleMessage({ type: 'content/item', url: PAGE, reading: { status: 'found', item: shown, problems: [] } }, contentSender());
    }
    await expect
      .poll(() => port.posted.filter((m) => m.type === 'worker/context').at(-1))
      .toMatchObject({ context: { wellbeing: { viewed: 2, activeSince: 1_700_000_000_000, breakAfterMinutes: 50 } } });
    expect(await worker.handleMessage({ type: 'panel/dismiss-break', secret }, panelSender())).toEqual({ ok: true });
    expect(await db.outbox.count()).toBe(0); // never synced
  });
});
