/**
 * The worker's side of point-and-click site setup (issue 7). Setup starts from the popup (any page) or from the
 * panel ("Set up this site"); the worker injects the setup script into the tab (content-scripts/site-setup.js, loaded
 * only then, so the labeling script stays small), which frames panel.html#setup and runs the picker. The setup UI in
 * that frame and the page never talk directly: the UI asks over its own Port, the worker asks the page with
 * `tabs.sendMessage`, and relays what the user picked back. Saving stores the profile and, when the browser granted
 * the site's pages, turns Loupe on there at once, on the very page it was set up on.
 *
 * As for the panel (DESIGN.md), the frame proves it was made by our script with a one-time token the script got
 * from the worker and posted to the frame at the extension origin; per-tab state is in storage.session.
 */
import { browser, type Browser } from 'wxt/browser';
import { describeStorageFailure } from '../audits';
import type { LoupeDatabase } from '../db';
import { matchesPattern } from '../match-pattern';
import type { ContentReplies, Failure, PageReplies, PanelReplies, WorkerInbox, WorkerToContent } from '../protocol';
import type { SiteProfile } from '../schemas';
import { browserLanguages, resolveLocale } from '../i18n/locales';
import { pageWordsFor } from '../i18n/page-words';
import { loadSettings, saveSettings, SettingsInvalidError } from '../settings-store';
import { hasSitePermission, originsForProfile } from '../site-permissions';
import {
  SETUP_PORT,
  setupPortInSchema,
  type SetupPortIn,
  type SetupPortOut,
  type SetupProblem,
  type SetupSaveReply,
  type SetupStart,
} from '../setup/setup-protocol';
import { describeSetupProblem } from '../setup/setup-text';
import { LABELING_SCRIPT_FILE } from './content-script-registration';
import { contentSender, pageSender, panelSender, SenderRefusedError, type ExtensionIdentity, type Sender } from './senders';
import { newSecret, type SessionStorage } from './tab-sessions';

type Port = Browser.runtime.Port;
type Message<T extends WorkerInbox['type']> = Extract<WorkerInbox, { type: T }>;

export const SETUP_SCRIPT_FILE = '/content-scripts/site-setup.js';
/** The labeling script's path as scripting.executeScript takes it (LABELING_SCRIPT_FILE, from the extension root). */
const LABELING_SCRIPT_PATH = `/${LABELING_SCRIPT_FILE}` as const;

/** What setup needs of the browser beyond what the rest of the worker uses. */
export interface SetupApis {
  scripting: Pick<typeof browser.scripting, 'executeScript'>;
  tabs: Pick<typeof browser.tabs, 'get'>;
  permissions: Pick<typeof browser.permissions, 'contains'>;
}

function browserSetupApis(): SetupApis {
  return { scripting: browser.scripting, tabs: browser.tabs, permissions: browser.permissions };
}

export interface SetupHandlerDeps {
  db: LoupeDatabase;
  session: SessionStorage;
  self: ExtensionIdentity;
  now: () => number;
  /** `tabs.sendMessage` to the tab's top frame; rejects when no script there listens (the page went away). */
  tellContent(tabId: number, message: WorkerToContent): Promise<unknown>;
  /** Whether `sender` is the frame whose Port is the tab's attached audit panel. */
  isAttachedPanel(sender: Sender): boolean;
  /** Everything a settings write implies: the cache dropped, content scripts registered, open pages told. */
  settingsChanged(): Promise<void>;
  apis?: SetupApis;
}

/** One tab's setup, in storage.session (the worker may stop mid-setup). */
interface SetupSession {
  url: string;
  origin: string;
  title: string;
  /** The profile being set up again; null for a new site. */
  siteId: string | null;
  /** Whether the page showed Loupe's audit panel when setup began (a labeling session runs there). */
  panel: boolean;
  token?: string;
  secret?: string;
  startedAt: number;
}

const keyOf = (tabId: number) => `setup:${tabId}`;

async function readSession(storage: SessionStorage, tabId: number): Promise<SetupSession | undefined> {
  const key = keyOf(tabId);
  return ((await storage.get(key)) as Record<string, SetupSession | undefined>)[key];
}

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/** The profile (on or off) whose pages include `url`: setting up such a page sets that profile up again. */
function profileCovering(profiles: readonly SiteProfile[], url: string): SiteProfile | undefined {
  return profiles.find((profile) => profile.match.some((pattern) => matchesPattern(pattern, url)));
}

/** A refusal as the popup and panel take it: the problem for them to word, and its English for anything else. */
const failure = (code: Failure['code'], problem: SetupProblem) => ({
  ok: false as const,
  error: { code, message: describeSetupProblem(problem) },
  problem,
});

const detailOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

export function createSetupHandlers(deps: SetupHandlerDeps) {
  const { db, session, self, now } = deps;
  const apis = deps.apis ?? browserSetupApis();
  /** Live setup Ports, one per tab: a cache of connections, as PanelPorts is. */
  const ports = new Map<number, Port>();

  const write = (tabId: number, value: SetupSession) => session.set({ [keyOf(tabId)]: value });

  function post(tabId: number, message: SetupPortOut): void {
    ports.get(tabId)?.postMessage(message);
  }

  async function startSetup(tabId: number): Promise<{ ok: true } | { ok: false; error: Failure }> {
    let url: string | undefined;
    try {
      url = (await apis.tabs.get(tabId)).url;
    } catch (error) {
      return failure('not-found', { code: 'no-access', detail: detailOf(error) });
    }
    // Without access to the tab the browser hides its address; with it, only web pages can be set up.
    if (url === undefined) return failure('refused', { code: 'no-access' });
    const origin = originOf(url);
    if (!origin) return failure('refused', { code: 'not-web-page' });
    const settings = await loadSettings(db);
    await write(tabId, {
      url,
      origin,
      title: '',
      siteId: profileCovering(settings.siteProfiles, url)?.id ?? null,
      panel: false,
      startedAt: now(),
    });
    try {
      await apis.scripting.executeScript({ target: { tabId, frameIds: [0] }, files: [SETUP_SCRIPT_FILE] });
    } catch (error) {
      await session.remove(keyOf(tabId));
      return failure('refused', { code: 'no-access', detail: detailOf(error) });
    }
    return { ok: true };
  }

  /** The tab's setup, if the content message comes from the page setup was started on. */
  async function sessionOfContent(sender: Sender): Promise<{ tabId: number; url: string; setup: SetupSession }> {
    const { tabId, url } = contentSender(sender, self);
    const setup = await readSession(session, tabId);
    if (!setup || originOf(url) !== setup.origin) throw new SenderRefusedError('no site setup was started on this page');
    return { tabId, url, setup };
  }

  /** Removes the page's frame and overlay and forgets the setup. */
  async function end(tabId: number): Promise<void> {
    await session.remove(keyOf(tabId));
    const port = ports.get(tabId);
    ports.delete(tabId);
    port?.disconnect();
    await deps.tellContent(tabId, { type: 'worker/setup-end' }).catch(() => undefined); // a page already gone is fine
  }

  // -------------------------------------------------------------------------------------------------------------
  // runtime messages

  function onPageStartSetup(message: Message<'page/start-setup'>, sender: Sender): Promise<PageReplies['page/start-setup']> {
    pageSender(sender, self);
    return startSetup(message.tabId);
  }

  async function onPanelStartSetup(sender: Sender): Promise<PanelReplies['panel/start-setup']> {
    const { tabId } = panelSender(sender, self);
    // A refusal the panel words (a thrown one would reach it only as "the worker did not answer").
    if (!deps.isAttachedPanel(sender)) return failure('refused', { code: 'not-panel' });
    return startSetup(tabId);
  }

  async function onSetupHello(message: Message<'content/setup-hello'>, sender: Sender): Promise<ContentReplies['content/setup-hello']> {
    let found;
    try {
      found = await sessionOfContent(sender);
    } catch {
      return { ok: false };
    }
    const { tabId, url, setup } = found;
    const token = newSecret();
    // A new frame retires any earlier one: its secret no longer opens this setup.
    await write(tabId, { ...setup, url, title: message.title, panel: message.panel, token, secret: undefined });
    const { locale } = await loadSettings(db);
    return { ok: true, token, title: pageWordsFor(resolveLocale(locale, browserLanguages())).setupTitle };
  }

  async function onSetupChecked(message: Message<'content/setup-checked'>, sender: Sender): Promise<ContentReplies['content/setup-checked']> {
    const { tabId } = await sessionOfContent(sender);
    post(tabId, { type: 'setup/checked', id: message.id, checks: message.checks });
    return { ok: true };
  }

  async function onSetupPicked(message: Message<'content/setup-picked'>, sender: Sender): Promise<ContentReplies['content/setup-picked']> {
    const { tabId } = await sessionOfContent(sender);
    post(tabId, { type: 'setup/picked', pick: message.pick });
    return { ok: true };
  }

  // -------------------------------------------------------------------------------------------------------------
  // the setup frame's Port

  async function startInfo(setup: SetupSession): Promise<SetupStart> {
    const settings = await loadSettings(db);
    const existing = setup.siteId ? (settings.siteProfiles.find((p) => p.id === setup.siteId) ?? null) : null;
    return {
      url: setup.url,
      title: setup.title,
      existing,
      takenIds: settings.siteProfiles.map((p) => p.id).filter((id) => id !== existing?.id),
      locale: settings.locale ?? 'auto',
    };
  }

  function handleConnect(port: Port): void {
    let tabId: number;
    try {
      tabId = panelSender(port.sender ?? {}, self).tabId;
    } catch {
      port.disconnect();
      return;
    }
    const refuse = (reason: SetupProblem) => {
      port.postMessage({ type: 'setup/refused', reason } satisfies SetupPortOut);
      port.disconnect();
    };
    const onFirst = (raw: unknown) => {
      port.onMessage.removeListener(onFirst);
      const parsed = setupPortInSchema.safeParse(raw);
      if (!parsed.success || parsed.data.type !== 'setup/attach') return refuse({ code: 'not-ours' });
      void attach(tabId, port, parsed.data).catch((error: unknown) => refuse({ code: 'no-data', detail: String(error).slice(0, 500) }));
    };
    port.onMessage.addListener(onFirst);
  }

  async function attach(tabId: number, port: Port, { token, secret }: Extract<SetupPortIn, { type: 'setup/attach' }>): Promise<void> {
    const setup = await readSession(session, tabId);
    const byToken = token !== undefined && setup?.token === token;
    const bySecret = secret !== undefined && setup?.secret === secret;
    if (!setup || !(byToken || bySecret)) {
      port.postMessage({ type: 'setup/refused', reason: { code: setup ? 'not-ours' : 'expired' } } satisfies SetupPortOut);
      port.disconnect();
      return;
    }
    const issued = bySecret && secret ? secret : newSecret();
    await write(tabId, { ...setup, token: undefined, secret: issued });
    ports.get(tabId)?.disconnect();
    ports.set(tabId, port);
    port.onDisconnect.addListener(() => {
      if (ports.get(tabId) === port) ports.delete(tabId);
    });
    port.onMessage.addListener((raw: unknown) => {
      const parsed = setupPortInSchema.safeParse(raw);
      if (!parsed.success) return; // Only our frame holds this Port; an unknown shape is a version skew.
      onPortMessage(tabId, parsed.data).catch((error: unknown) => console.error('Loupe setup:', error));
    });
    port.postMessage({ type: 'setup/attached', secret: issued, start: await startInfo(setup) } satisfies SetupPortOut);
  }

  async function onPortMessage(tabId: number, message: SetupPortIn): Promise<void> {
    switch (message.type) {
      case 'setup/attach':
        return;
      case 'setup/pick':
        await deps
          .tellContent(tabId, { type: 'worker/setup-pick', field: message.field, ...(message.words ? { words: message.words } : {}) })
          .catch(() => undefined);
        return;
      case 'setup/check':
        // The page answers with content/setup-checked, relayed by onSetupChecked.
        await deps.tellContent(tabId, { type: 'worker/setup-check', id: message.id, sources: message.sources }).catch(() =>
          post(tabId, { type: 'setup/checked', id: message.id, checks: null, problem: { code: 'page-gone' } }),
        );
        return;
      case 'setup/save': {
        const reply = await save(tabId, message.profile);
        post(tabId, { type: 'setup/saved', id: message.id, reply });
        if (reply.ok && reply.enabled) await turnOn(tabId);
        return;
      }
      case 'setup/cancel':
        await end(tabId);
        return;
    }
  }

  async function save(tabId: number, profile: SiteProfile): Promise<SetupSaveReply> {
    const setup = await readSession(session, tabId);
    if (!setup) return { ok: false, problem: { code: 'expired' } };
    if (!profile.match.some((pattern) => matchesPattern(pattern, setup.url))) {
      return { ok: false, problem: { code: 'not-covered', url: setup.url } };
    }
    // The UI asked the browser for the site's pages in the Save click (a prompt needs that gesture); here the worker
    // only looks at the answer, so a profile is never turned on without its permission.
    const granted = originsForProfile(profile).length > 0 && (await hasSitePermission(apis.permissions, profile).catch(() => false));
    try {
      const settings = await loadSettings(db);
      const replacing = setup.siteId;
      const previous = replacing ? settings.siteProfiles.find((p) => p.id === replacing) : undefined;
      if (replacing && previous && profile.id !== replacing) return { ok: false, problem: { code: 'id-changed', id: replacing } };
      if (!previous && settings.siteProfiles.some((p) => p.id === profile.id)) return { ok: false, problem: { code: 'id-taken', id: profile.id } };
      const stored: SiteProfile = { ...profile, enabled: granted, keepParams: previous?.keepParams ?? profile.keepParams };
      const siteProfiles = previous
        ? settings.siteProfiles.map((p) => (p.id === previous.id ? stored : p))
        : [...settings.siteProfiles, stored];
      await saveSettings(db, { ...settings, siteProfiles });
      await write(tabId, { ...setup, siteId: stored.id });
      await deps.settingsChanged();
      return { ok: true, profile: stored, enabled: granted };
    } catch (error) {
      // The settings schema's and storage's own words (English): shown after the translated "Not saved".
      if (error instanceof SettingsInvalidError) return { ok: false, problem: { code: 'not-saved', detail: error.problems.join('; ').slice(0, 1000) } };
      return { ok: false, problem: { code: 'not-saved', detail: describeStorageFailure(error).message.slice(0, 1000) } };
    }
  }

  /**
   * The profile is on: setup steps aside and Loupe runs on this page now. A page that already ran a labeling session
   * reads it again with the new profile (settingsChanged told it); a page new to Loupe gets the labeling script now,
   * since registered scripts only reach pages loaded after their registration.
   */
  async function turnOn(tabId: number): Promise<void> {
    const setup = await readSession(session, tabId);
    await end(tabId);
    if (setup?.panel) return;
    await apis.scripting
      .executeScript({ target: { tabId, frameIds: [0] }, files: [LABELING_SCRIPT_PATH] })
      .catch((error: unknown) => console.error('Loupe could not start on the page it was set up on', error));
  }

  /** The tab is gone. */
  async function forget(tabId: number): Promise<void> {
    ports.delete(tabId);
    await session.remove(keyOf(tabId));
  }

  return { onPageStartSetup, onPanelStartSetup, onSetupHello, onSetupPicked, onSetupChecked, handleConnect, forget, isSetupPort: (port: Port) => port.name === SETUP_PORT };
}

export type SetupHandlers = ReturnType<typeof createSetupHandlers>;
