/**
 * The worker's side of point-and-click site setup (lib/background/setup-handlers.ts), driven through createWorker
 * as the browser would: starting it from the popup and the panel, the page's setup script saying hello, the setup
 * frame attaching with its one-time token, picks and checks relayed between frame and page, and the save that
 * stores the profile and turns Loupe on there only when the browser granted the site.
 */
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing';
import type { Sender } from '@/lib/background/senders';
import type { SetupApis } from '@/lib/background/setup-handlers';
import { createWorker, type LoupeWorker } from '@/lib/background/worker';
import { LoupeDatabase } from '@/lib/db';
import { PANEL_PORT, type PanelPortOut } from '@/lib/protocol';
import type { SiteProfile } from '@/lib/schemas';
import { loadSettings, saveSettings } from '@/lib/settings-store';
import common from '@/lib/i18n/catalogs/en/common';
import setup from '@/lib/i18n/catalogs/en/setup';
import { loadTranslator } from '@/lib/i18n/load';
import type { MessageKey } from '@/lib/i18n/messages';
import { SETUP_PORT, type SetupPortOut, type SetupProblem } from '@/lib/setup/setup-protocol';
import { startSetupFromPanel, type StartSetupFailure } from '@/lib/setup/start-setup';
import { describeSetupProblem, pickerWords } from '@/lib/setup/setup-text';

// Many user steps per test on a shared two-core machine: generous, and no timing is asserted.
vi.setConfig({ testTimeout: 30_000 });

const EXT_ID = 'ilhbcfmkdehekcbfofeifpdmamkmmelh';
const ORIGIN = `chrome-extension://${EXT_ID}/`;
const TAB = 7;
const CASEBOOK = 'http://127.0.0.1:5178/casebook/case/4411';
const MODQUEUE = 'http://127.0.0.1:5178/modqueue/queue/hate-speech/item/MQ-1001';

const modqueue: SiteProfile = {
  id: 'modqueue',
  name: 'ModQueue',
  enabled: true,
  match: ['http://127.0.0.1/modqueue/*'],
  fields: { itemId: { from: 'url', pattern: '/item/([^/?#]+)', group: 1 } },
  keepParams: ['tab'],
};

const casebook: SiteProfile = {
  id: 'casebook',
  name: 'Casebook',
  enabled: false,
  match: ['http://127.0.0.1/casebook/*'],
  fields: {
    itemId: { from: 'dom', selector: 'h1.cb-title', pattern: '#(\\d+)', group: 1 },
    labelerId: { from: 'dom', selector: 'p.cb-byline', pattern: '\\bby\\s+(\\S+)', group: 1 },
  },
  keepParams: [],
};

const tab = { id: TAB, index: 0, windowId: 1, active: true, incognito: false } as Sender['tab'];
const contentSender = (url = CASEBOOK, over: Partial<Sender> = {}): Sender => ({ id: EXT_ID, url, frameId: 0, tab, ...over });
const pageSender: Sender = { id: EXT_ID, url: `${ORIGIN}popup.html` };
const frameSender = (over: Partial<Sender> = {}): Sender => ({ id: EXT_ID, url: `${ORIGIN}panel.html#setup`, frameId: 5, tab, ...over });

type Listener = (message: unknown) => void;
class FakePort<Out> {
  posted: Out[] = [];
  disconnected = false;
  private messageListeners = new Set<Listener>();
  private disconnectListeners = new Set<() => void>();
  constructor(
    public name: string,
    public sender: Sender,
  ) {}
  postMessage = (message: unknown) => void this.posted.push(message as Out);
  disconnect = () => {
    this.disconnected = true;
    for (const l of [...this.disconnectListeners]) l();
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
let injected: Array<{ tabId: number; files: string[] }>;
let registered: string[][];
let granted: boolean;
let tabUrl: string | undefined;
let injectFails: Error | null;
let contentGone: boolean;

function setupApis(): SetupApis {
  return {
    scripting: {
      executeScript: (async (injection: { target: { tabId: number }; files?: string[] }) => {
        if (injectFails) throw injectFails;
        injected.push({ tabId: injection.target.tabId, files: injection.files ?? [] });
        return [];
      }) as never,
    },
    tabs: { get: (async (tabId: number) => ({ id: tabId, url: tabUrl })) as never },
    permissions: { contains: (async () => granted) as never },
  };
}

beforeEach(async () => {
  fakeBrowser.reset();
  db = new LoupeDatabase(`loupe-setup-${crypto.randomUUID()}`);
  await saveSettings(db, { siteProfiles: [modqueue], auditorId: 'qa-1' });
  toContent = [];
  injected = [];
  registered = [];
  granted = true;
  tabUrl = CASEBOOK;
  injectFails = null;
  contentGone = false;
  worker = createWorker({
    db,
    session: fakeBrowser.storage.session,
    tabs: {
      sendMessage: async (_tabId: number, message: unknown) => {
        if (contentGone) throw new Error('Could not establish connection. Receiving end does not exist.');
        toContent.push(message);
      },
    } as never,
    registration: {
      scripting: {
        getRegisteredContentScripts: async () => [],
        registerContentScripts: async (scripts: Array<{ matches: string[] }>) => void registered.push(scripts[0]!.matches),
        updateContentScripts: async () => undefined,
        unregisterContentScripts: async () => undefined,
      } as never,
      permissions: { contains: async () => true } as never,
    },
    self: { id: EXT_ID, origin: ORIGIN },
    now: () => 1_700_000_000_000,
    setupApis: setupApis(),
  });
});

afterEach(async () => {
  worker.close();
  db.close();
  await Dexie.delete(db.name);
});

async function settle<T extends { type: string }>(port: FakePort<T>, type: T['type']): Promise<T> {
  await expect.poll(() => port.posted.some((m) => m.type === type)).toBe(true);
  return port.posted.find((m) => m.type === type)!;
}

/** Setup started from the popup, the page's script said hello, the frame attached: the usual state. */
async function attachedFrame(url = CASEBOOK, panel = false) {
  tabUrl = url;
  expect(await worker.handleMessage({ type: 'page/start-setup', tabId: TAB }, pageSender)).toEqual({ ok: true });
  const hello = (await worker.handleMessage({ type: 'content/setup-hello', url, title: 'Case 4411 · Casebook', panel }, contentSender(url))) as {
    ok: true;
    token: string;
    title: string;
  };
  expect(hello.ok).toBe(true);
  // The frame's accessible name, in the language of the settings (English here).
  expect(hello.title).toBe('Loupe: set up this site');
  const port = new FakePort<SetupPortOut>(SETUP_PORT, frameSender());
  worker.handleConnect(port as never);
  port.deliver({ type: 'setup/attach', token: hello.token });
  const attached = await settle(port, 'setup/attached');
  return { port, hello, attached };
}

describe('starting setup', () => {
  it('from the popup: injects the setup script into the tab\u2019s top frame', async () => {
    expect(await worker.handleMessage({ type: 'page/start-setup', tabId: TAB }, pageSender)).toEqual({ ok: true });
    expect(injected).toEqual([{ tabId: TAB, files: ['/content-scripts/site-setup.js'] }]);
  });

  it('refuses a page that is not a web page, injecting nothing', async () => {
    tabUrl = 'chrome://newtab/';
    const reply = await worker.handleMessage({ type: 'page/start-setup', tabId: TAB }, pageSender);
    expect(reply).toMatchObject({ ok: false, problem: { code: 'not-web-page' }, error: { message: expect.stringContaining('web pages only') } });
    expect(injected).toEqual([]);
  });

  it('says so when the browser does not let it reach the page, and keeps no setup for it', async () => {
    injectFails = new Error('Cannot access contents of the page.');
    const reply = await worker.handleMessage({ type: 'page/start-setup', tabId: TAB }, pageSender);
    expect(reply).toMatchObject({
      ok: false,
      problem: { code: 'no-access', detail: 'Cannot access contents of the page.' },
      error: { message: expect.stringContaining('Cannot access contents of the page.') },
    });
    const hello = await worker.handleMessage({ type: 'content/setup-hello', url: CASEBOOK, title: '', panel: false }, contentSender());
    expect(hello).toEqual({ ok: false });
  });

  it('takes the popup\u2019s request only from an extension page', async () => {
    await expect(worker.handleMessage({ type: 'page/start-setup', tabId: TAB }, contentSender())).rejects.toThrow(/refused/);
    expect(injected).toEqual([]);
  });

  it('from the panel: only from the frame that is the tab\u2019s attached panel', async () => {
    tabUrl = MODQUEUE;
    const hello = (await worker.handleMessage({ type: 'content/hello', url: MODQUEUE }, contentSender(MODQUEUE))) as { panelToken: string };
    const panel = new FakePort<PanelPortOut>(PANEL_PORT, { id: EXT_ID, url: `${ORIGIN}panel.html`, frameId: 3, tab });
    worker.handleConnect(panel as never);
    panel.deliver({ type: 'panel/attach', token: hello.panelToken });
    await settle(panel, 'worker/attached');

    const copy = { id: EXT_ID, url: `${ORIGIN}panel.html`, frameId: 9, tab };
    expect(await worker.handleMessage({ type: 'panel/start-setup' }, copy)).toEqual({
      ok: false,
      problem: { code: 'not-panel' },
      error: { code: 'refused', message: 'This panel was not opened by Loupe on this page.' },
    });
    expect(injected).toEqual([]);
    expect(await worker.handleMessage({ type: 'panel/start-setup' }, { ...copy, frameId: 3 })).toEqual({ ok: true });
    expect(injected).toEqual([{ tabId: TAB, files: ['/content-scripts/site-setup.js'] }]);
  });

  it('a panel that is not attached is told why in its language, not that the worker did not answer', async () => {
    const copy = { id: EXT_ID, url: `${ORIGIN}panel.html`, frameId: 9, tab };
    vi.spyOn(browser.runtime, 'sendMessage').mockImplementation(((message: unknown) => worker.handleMessage(message, copy)) as never);
    const result = await startSetupFromPanel();
    expect(result).toMatchObject({ ok: false, problem: { code: 'not-panel' } });
    const vietnamese = await loadTranslator<'common' | 'setup', MessageKey<'common' | 'setup'>>('vi', { common, setup });
    expect(describeSetupProblem((result as StartSetupFailure).problem, vietnamese.t)).toBe('Bảng này không phải do Loupe mở trên trang này.');
    expect(injected).toEqual([]);
  });
});

describe('the page\u2019s setup script and the setup frame', () => {
  it('answers no hello where setup was not started, or from another site', async () => {
    expect(await worker.handleMessage({ type: 'content/setup-hello', url: CASEBOOK, title: '', panel: false }, contentSender())).toEqual({ ok: false });
    await worker.handleMessage({ type: 'page/start-setup', tabId: TAB }, pageSender);
    const elsewhere = 'https://evil.example/casebook/case/4411';
    expect(await worker.handleMessage({ type: 'content/setup-hello', url: elsewhere, title: '', panel: false }, contentSender(elsewhere))).toEqual({ ok: false });
  });

  it('attaches the frame that brings the token, once, and tells it where setup starts', async () => {
    const { attached, hello } = await attachedFrame();
    expect(attached).toMatchObject({
      type: 'setup/attached',
      start: { url: CASEBOOK, title: 'Case 4411 · Casebook', existing: null, takenIds: ['modqueue'], locale: 'auto' },
    });
    const again = new FakePort<SetupPortOut>(SETUP_PORT, frameSender({ frameId: 6 }));
    worker.handleConnect(again as never);
    again.deliver({ type: 'setup/attach', token: hello.token });
    expect(await settle(again, 'setup/refused')).toMatchObject({ reason: { code: 'not-ours' } });
    expect(again.disconnected).toBe(true);
  });

  it('re-attaches with its secret after the worker restarted', async () => {
    const { attached } = await attachedFrame();
    if (attached.type !== 'setup/attached') throw new Error('not attached');
    const resumed = new FakePort<SetupPortOut>(SETUP_PORT, frameSender());
    worker.handleConnect(resumed as never);
    resumed.deliver({ type: 'setup/attach', secret: attached.secret });
    expect(await settle(resumed, 'setup/attached')).toMatchObject({ secret: attached.secret });
  });

  it('disconnects a setup Port that is not from panel.html', async () => {
    const stranger = new FakePort<SetupPortOut>(SETUP_PORT, { id: EXT_ID, url: `${ORIGIN}options.html`, tab });
    worker.handleConnect(stranger as never);
    expect(stranger.disconnected).toBe(true);
  });

  it('relays a pick: the frame asks, in its words, the page answers with what was picked', async () => {
    const { port } = await attachedFrame();
    port.deliver({ type: 'setup/pick', field: 'itemId' });
    await expect.poll(() => toContent).toContainEqual({ type: 'worker/setup-pick', field: 'itemId' });
    const words = pickerWords('itemId', (await loadTranslator<'common' | 'setup', MessageKey<'common' | 'setup'>>('km', { common, setup })).t);
    port.deliver({ type: 'setup/pick', field: 'itemId', words });
    await expect.poll(() => toContent).toContainEqual({ type: 'worker/setup-pick', field: 'itemId', words });
    // Words that break the schema's bounds are not passed on: the whole message is dropped.
    const sent = toContent.length;
    port.deliver({ type: 'setup/pick', field: 'itemId', words: { ...words, prompt: 'x'.repeat(5000) } });
    port.deliver({ type: 'setup/pick', field: 'itemId', words: { ...words, outlined: 'no placeholder' } });
    port.deliver({ type: 'setup/pick', field: null });
    await expect.poll(() => toContent.length).toBe(sent + 1);
    expect(toContent.at(-1)).toEqual({ type: 'worker/setup-pick', field: null });
    const element = { selector: 'h1.cb-title', basis: 'class', description: 'h1 “Case #4411”', text: 'Case #4411', attributes: [] };
    await worker.handleMessage({ type: 'content/setup-picked', pick: { outcome: 'picked', field: 'itemId', element } }, contentSender());
    expect(await settle(port, 'setup/picked')).toEqual({ type: 'setup/picked', pick: { outcome: 'picked', field: 'itemId', element } });
  });

  it('relays a check, by id, and says when the page cannot be asked', async () => {
    const { port } = await attachedFrame();
    const sources = { itemId: { from: 'dom', selector: 'h1', pattern: '#(\\d+)', group: 1 } };
    port.deliver({ type: 'setup/check', id: 4, sources });
    await expect.poll(() => toContent).toContainEqual({ type: 'worker/setup-check', id: 4, sources });
    const checks = { itemId: { ok: true, value: '4411', text: 'Case #4411' } };
    await worker.handleMessage({ type: 'content/setup-checked', id: 4, checks }, contentSender());
    expect(await settle(port, 'setup/checked')).toEqual({ type: 'setup/checked', id: 4, checks });

    contentGone = true;
    port.posted = [];
    port.deliver({ type: 'setup/check', id: 5, sources });
    expect(await settle(port, 'setup/checked')).toMatchObject({ id: 5, checks: null, problem: { code: 'page-gone' } });
  });

  it('refuses picks and checks from a page where setup was not started', async () => {
    const element = { selector: 'h1', basis: 'tag', description: 'h1', text: '', attributes: [] };
    await expect(
      worker.handleMessage({ type: 'content/setup-picked', pick: { outcome: 'picked', field: 'itemId', element } }, contentSender()),
    ).rejects.toThrow(/no site setup/);
  });

  it('cancel removes the page\u2019s frame and ends the setup', async () => {
    const { port, hello } = await attachedFrame();
    port.deliver({ type: 'setup/cancel' });
    await expect.poll(() => toContent).toContainEqual({ type: 'worker/setup-end' });
    expect(port.disconnected).toBe(true);
    const late = new FakePort<SetupPortOut>(SETUP_PORT, frameSender());
    worker.handleConnect(late as never);
    late.deliver({ type: 'setup/attach', token: hello.token });
    expect(await settle(late, 'setup/refused')).toMatchObject({ reason: { code: 'expired' } });
  });
});

describe('saving', () => {
  it('stores the profile on when the browser granted its pages, registers it, and starts Loupe on the page', async () => {
    const { port } = await attachedFrame();
    port.deliver({ type: 'setup/save', id: 1, profile: casebook });
    const saved = await settle(port, 'setup/saved');
    expect(saved).toEqual({ type: 'setup/saved', id: 1, reply: { ok: true, enabled: true, profile: { ...casebook, enabled: true } } });
    expect((await loadSettings(db)).siteProfiles).toEqual([modqueue, { ...casebook, enabled: true }]);
    expect(registered.at(-1)).toEqual(['http://127.0.0.1/modqueue/*', 'http://127.0.0.1/casebook/*']);
    await expect.poll(() => injected.map((i) => i.files[0])).toEqual(['/content-scripts/site-setup.js', '/content-scripts/labeling.js']);
    expect(toContent).toContainEqual({ type: 'worker/setup-end' });
  });

  it('stores it off when the browser did not grant the pages, and leaves the frame to say so', async () => {
    granted = false;
    const { port } = await attachedFrame();
    port.deliver({ type: 'setup/save', id: 2, profile: casebook });
    expect(await settle(port, 'setup/saved')).toMatchObject({ reply: { ok: true, enabled: false } });
    expect((await loadSettings(db)).siteProfiles.find((p) => p.id === 'casebook')?.enabled).toBe(false);
    expect(injected.map((i) => i.files[0])).toEqual(['/content-scripts/site-setup.js']);
    expect(toContent).not.toContainEqual({ type: 'worker/setup-end' });
  });

  it.each<[string, Partial<SiteProfile>, SetupProblem, RegExp]>([
    ['pages that leave out the page it was set up on', { match: ['http://127.0.0.1/modqueue-archive/*'] }, { code: 'not-covered', url: CASEBOOK }, /do not include this page/],
    ['an id another site has', { id: 'modqueue' }, { code: 'id-taken', id: 'modqueue' }, /already exists/],
  ])('refuses %s and stores nothing', async (_what, change, problem, english) => {
    const { port } = await attachedFrame();
    port.deliver({ type: 'setup/save', id: 3, profile: { ...casebook, ...change } });
    expect(await settle(port, 'setup/saved')).toMatchObject({ reply: { ok: false, problem } });
    expect(describeSetupProblem(problem)).toMatch(english);
    expect((await loadSettings(db)).siteProfiles).toEqual([modqueue]);
  });

  it('sets an existing site up again in place: same id, kept parameters, and its running page reads it again', async () => {
    // ModQueue's page runs a labeling session (it said hello), with its panel.
    await worker.handleMessage({ type: 'content/hello', url: MODQUEUE }, contentSender(MODQUEUE));
    const { port, attached } = await attachedFrame(MODQUEUE, true);
    expect(attached).toMatchObject({ start: { existing: modqueue, takenIds: [] } });
    const redone: SiteProfile = { ...modqueue, keepParams: [], fields: { itemId: { from: 'dom', selector: '[data-testid="item-id"]', group: 1 } } };
    port.deliver({ type: 'setup/save', id: 4, profile: redone });
    expect(await settle(port, 'setup/saved')).toMatchObject({ reply: { ok: true, enabled: true } });
    expect((await loadSettings(db)).siteProfiles).toEqual([{ ...redone, keepParams: ['tab'] }]);
    await expect.poll(() => toContent).toContainEqual({ type: 'worker/reload-config' });
    // Its page already runs Loupe: no second labeling script.
    expect(injected.map((i) => i.files[0])).toEqual(['/content-scripts/site-setup.js']);

    const other = await attachedFrame(MODQUEUE, true);
    other.port.deliver({ type: 'setup/save', id: 5, profile: { ...redone, id: 'modqueue-2' } });
    expect(await settle(other.port, 'setup/saved')).toMatchObject({ reply: { ok: false, problem: { code: 'id-changed', id: 'modqueue' } } });
  });

  it('forgets a closed tab\u2019s setup', async () => {
    const { hello } = await attachedFrame();
    await worker.forgetTab(TAB);
    const late = new FakePort<SetupPortOut>(SETUP_PORT, frameSender());
    worker.handleConnect(late as never);
    late.deliver({ type: 'setup/attach', token: hello.token });
    expect(await settle(late, 'setup/refused')).toMatchObject({ reason: { code: 'expired' } });
  });
});
