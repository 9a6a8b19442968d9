/**
 * The background worker's logic, free of `browser` globals so tests can drive it: it receives every message and
 * Port, checks the sender, validates the payload with the protocol's schemas, and owns every database write of
 * the content script and the panel. Nothing here is kept only in memory except live Ports, which die with the
 * worker anyway; per-tab state is in storage.session, records in IndexedDB.
 */
import type { browser as Browser } from 'wxt/browser';
import type { LoupeDatabase } from '../db';
import { ensureDayStats } from '../leads/day-stats';
import { englishProblem, errorDetail, type BuiltProblem } from '../problems';
import {
  panelPortInSchema,
  panelRequests,
  workerInboxSchema,
  PANEL_PORT,
  type PanelPortOut,
  type WorkerToContent,
} from '../protocol';
import { loadSettings } from '../settings-store';
import { itemKey } from '../site-profile';
import { loadSiteMediaModes, syncLabelingScript, type RegistrationApis } from './content-script-registration';
import { createContentHandlers } from './content-handlers';
import { createNoteHandlers, NOTES_BUNDLE_FILE } from './note-handlers';
import { createPanelHandlers } from './panel-handlers';
import { createSetupHandlers, type SetupApis } from './setup-handlers';
import { buildPanelContext } from './panel-context';
import { PanelPorts } from './panel-ports';
import { createSerialQueue } from './serial-queue';
import { createSettingsCache, type SettingsCache } from './settings-cache';
import { pageSender, panelSender, SenderRefusedError, type ExtensionIdentity, type Sender } from './senders';
import {
  forgetTabSession,
  newSecret,
  readTabSession,
  rememberTabSessions,
  tabsWithSessions,
  writeTabSession,
  type SessionStorage,
  type TabSession,
} from './tab-sessions';

type Runtime = typeof Browser;
type Port = Browser.runtime.Port;

export interface WorkerDeps {
  db: LoupeDatabase;
  session: SessionStorage;
  tabs: Pick<Runtime['tabs'], 'sendMessage'>;
  /** Also injects the notes bundle into a page on demand (`executeScript`, lib/background/note-handlers.ts). */
  registration: RegistrationApis & { scripting: Pick<Runtime['scripting'], 'executeScript'> };
  self: ExtensionIdentity;
  /** Asks for a sync run soon (debounced by the caller); called after every recorded change. */
  requestSync?: (reason: 'change' | 'settings' | 'manual') => void;
  /** An item was opened: pull its notes from the endpoint soon (throttled by the caller). */
  requestItemPull?: (siteId: string, itemId: string) => void;
  now?: () => number;
  /** Site setup's browser APIs (injecting scripts, reading a tab's address); the browser's own by default. */
  setupApis?: SetupApis;
  /** The parsed settings, shared with the sync scheduler; one of the worker's own by default. */
  settingsCache?: SettingsCache;
}

export class MessageInvalidError extends Error {
  constructor(detail: string) {
    super(`Loupe refused a malformed message: ${detail}`);
    this.name = 'MessageInvalidError';
  }
}

export function createWorker(deps: WorkerDeps) {
  const { db, tabs, self } = deps;
  /** storage.session, with this worker's tab sessions remembered (lib/background/tab-sessions.ts). */
  const session = rememberTabSessions(deps.session);
  const now = deps.now ?? Date.now;
  const panels = new PanelPorts();
  /** Parsed settings, dropped on every write to them (lib/background/settings-cache.ts). */
  const settingsCache = deps.settingsCache ?? createSettingsCache(db);
  const currentSettings = () => settingsCache.load();
  /** Serialises read-modify-write of one tab's session, so an item update cannot undo a panel attach. */
  const inTabOrder = createSerialQueue<number>();

  function updateTab<T>(tabId: number, change: (current: TabSession | undefined) => Promise<T> | T): Promise<T> {
    return inTabOrder(tabId, async () => change(await readTabSession(session, tabId)));
  }

  function post(port: Port, message: PanelPortOut) {
    port.postMessage(message);
  }

  async function pushContext(tabId: number): Promise<void> {
    const port = panels.get(tabId);
    if (!port) return;
    const tab = await readTabSession(session, tabId);
    if (!tab) return;
    post(port, { type: 'worker/context', context: await buildPanelContext(db, tab, await currentSettings(), now()) });
  }

  /**
   * Refreshes the panel after a reply has already been sent. The write it follows has committed and the reply said
   * so; a failure here only leaves the panel's history and count one step behind until the next change.
   */
  function refreshPanel(tabId: number): void {
    pushContext(tabId).catch((error: unknown) => console.error('Loupe could not refresh the panel', error));
  }

  async function tellContent(tabId: number, message: WorkerToContent): Promise<void> {
    await tabs.sendMessage(tabId, message, { frameId: 0 });
  }

  const notes = createNoteHandlers({
    db,
    self,
    now,
    authorisePanel: (sender, secret) => authorisePanel(sender, secret),
    readTab: (tabId) => readTabSession(session, tabId),
    recordAnchors: (tabId, anchors) =>
      updateTab(tabId, async (tab) => {
        if (tab?.reading?.status !== 'found' || itemKey(tab.reading.item) !== anchors.itemKey) return false;
        await writeTabSession(session, tabId, { ...tab, anchors });
        return true;
      }),
    tellContent,
    injectNotesBundle: async (tabId) => {
      // The top frame only (where our content script runs); the default world is the content scripts' own.
      await deps.registration.scripting.executeScript({ target: { tabId, frameIds: [0] }, files: [NOTES_BUNDLE_FILE] });
    },
    postToPanel: (tabId, message) => {
      const port = panels.get(tabId);
      if (port) post(port, message);
      return port !== undefined;
    },
    refreshPanel,
    ...(deps.requestSync ? { requestSync: deps.requestSync } : {}),
    settings: currentSettings,
  });

  /** Point-and-click site setup (issue 7): lib/background/setup-handlers.ts. */
  const setup = createSetupHandlers({
    db,
    session,
    self,
    now,
    tellContent: (tabId, message) => tellContent(tabId, message),
    isAttachedPanel: (sender) => {
      const port = sender.tab?.id === undefined ? undefined : panels.get(sender.tab.id);
      return port?.sender?.frameId !== undefined && port.sender.frameId === sender.frameId;
    },
    settingsChanged: () => applySettingsChange(),
    ...(deps.setupApis ? { apis: deps.setupApis } : {}),
  });

  /** The content script's hello and item reports: lib/background/content-handlers.ts. */
  const content = createContentHandlers({
    db,
    session,
    self,
    now,
    settings: currentSettings,
    updateTab,
    pushContext,
    pushNotesToPage: (tabId) => notes.pushNotesToPage(tabId),
    ...(deps.requestItemPull ? { requestItemPull: deps.requestItemPull } : {}),
  });

  // -------------------------------------------------------------------------------------------------------------
  // panel

  /** The tab session of a panel request, if its secret is the one issued to this tab's panel. */
  async function authorisePanel(sender: Sender, secret: string): Promise<{ tabId: number; tab: TabSession }> {
    const { tabId } = panelSender(sender, self);
    const tab = await readTabSession(session, tabId);
    if (!tab?.panelSecret || tab.panelSecret !== secret) throw new SenderRefusedError('the panel is not attached to this tab');
    return { tabId, tab };
  }

  const panelHandlers = createPanelHandlers({
    db,
    now,
    settings: currentSettings,
    invalidateSettings: () => settingsCache.invalidate(),
    authorisePanel: (sender, secret) => authorisePanel(sender, secret),
    pushContext,
    refreshPanel,
    tellContent,
    syncRegistration: () => syncRegistration(),
    ...(deps.requestSync ? { requestSync: deps.requestSync } : {}),
  });

  // -------------------------------------------------------------------------------------------------------------
  // extension pages

  /** Reads the stored settings, not the cached copy: it runs rarely, and registers scripts on people's sites. */
  async function syncRegistration(): Promise<string[]> {
    return syncLabelingScript(deps.registration, await loadSettings(db), await loadSiteMediaModes(db));
  }

  async function onSettingsChanged(sender: Sender) {
    pageSender(sender, self);
    await applySettingsChange();
    return { ok: true as const };
  }

  /** After any settings write (options, or site setup's save): scripts registered again, open pages told. */
  async function applySettingsChange(): Promise<void> {
    // The page saved before saying so; its broadcast of the write may still be on its way (settings-cache.ts).
    settingsCache.invalidate();
    await syncRegistration();
    deps.requestSync?.('settings');
    void refreshDayStats(); // the zone that decides "today" may have changed
    for (const tabId of await tabsWithSessions(session)) {
      // A tab whose content script is gone (closed, navigated away) cannot answer; forget it.
      await tellContent(tabId, { type: 'worker/reload-config' }).catch(() => forgetTab(tabId));
    }
  }

  // One rebuild at a time; the promise is only an optimisation (a rebuild is idempotent), so losing it with the
  // worker loses nothing.
  let dayStatsRun: Promise<unknown> | undefined;
  /** Rebuilds the popup's day tallies when they are missing or in another zone; errors go to the console only
   *  because every reader falls back to counting audits, which stays correct. */
  function refreshDayStats(): Promise<unknown> {
    dayStatsRun ??= ensureDayStats(db, now())
      .catch((error: unknown) => console.error('Loupe could not rebuild its day tallies', error))
      .finally(() => {
        dayStatsRun = undefined;
      });
    return dayStatsRun;
  }

  async function forgetTab(tabId: number): Promise<void> {
    panels.forget(tabId);
    await setup.forget(tabId);
    await updateTab(tabId, () => forgetTabSession(session, tabId));
  }

  // -------------------------------------------------------------------------------------------------------------

  /** `runtime.onMessage`: resolves with the reply, rejects (the sender sees the reason) when refused. */
  async function handleMessage(raw: unknown, sender: Sender): Promise<unknown> {
    const parsed = workerInboxSchema.safeParse(raw);
    if (!parsed.success) {
      const type = typeof raw === 'object' && raw !== null && 'type' in raw ? String(raw.type).slice(0, 60) : 'unknown';
      throw new MessageInvalidError(`${type}: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
    }
    const message = parsed.data;
    switch (message.type) {
      case 'content/hello':
        return content.onContentHello(sender);
      case 'content/item':
        return content.onContentItem(message, sender);
      case 'panel/record-verdict':
        return panelHandlers.onRecordVerdict(message, sender);
      case 'panel/undo':
        return panelHandlers.onUndo(message, sender);
      case 'panel/set-auditor':
        return panelHandlers.onSetAuditor(message, sender);
      case 'panel/set-layout':
        return panelHandlers.onSetLayout(message, sender);
      case 'panel/dismiss-break':
        return panelHandlers.onDismissBreak(message, sender);
      case 'panel/return-focus':
      case 'panel/take-focus':
        return panelHandlers.onFocusRequest(message, sender);
      case 'content/captured':
        return notes.onCaptured(message, sender);
      case 'content/anchors':
        return notes.onAnchors(message, sender);
      case 'content/note-focused':
        return notes.onNoteFocused(message, sender);
      case 'content/load-notes':
        return notes.onLoadNotes(message, sender);
      case 'panel/capture':
        return notes.onCapture(message, sender);
      case 'panel/save-note':
        return notes.onSaveNote(message, sender);
      case 'panel/reply-note':
        return notes.onReplyNote(message, sender);
      case 'panel/delete-note':
        return notes.onDeleteNote(message, sender);
      case 'panel/show-note':
        return notes.onShowNote(message, sender);
      case 'page/settings-changed':
        return onSettingsChanged(sender);
      case 'page/sync-now':
        pageSender(sender, self);
        deps.requestSync?.('manual');
        return { ok: true as const };
      case 'page/refresh-day-stats':
        pageSender(sender, self);
        void refreshDayStats();
        return { ok: true as const };
      case 'page/start-setup':
        return setup.onPageStartSetup(message, sender);
      case 'panel/start-setup':
        return setup.onPanelStartSetup(sender);
      case 'content/setup-hello':
        return setup.onSetupHello(message, sender);
      case 'content/setup-picked':
        return setup.onSetupPicked(message, sender);
      case 'content/setup-checked':
        return setup.onSetupChecked(message, sender);
      default: {
        // A message type added to the protocol without a handler fails to compile here.
        const unhandled: never = message;
        throw new MessageInvalidError(`no handler for ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /** `runtime.onConnect`: a panel attaching with its token, or re-attaching with its secret. */
  function handleConnect(port: Port): void {
    if (setup.isSetupPort(port)) return setup.handleConnect(port);
    if (port.name !== PANEL_PORT) return;
    let tabId: number;
    try {
      tabId = panelSender(port.sender ?? {}, self).tabId;
    } catch {
      port.disconnect();
      return;
    }
    const refuse = ({ message, key, params }: BuiltProblem) => {
      post(port, { type: 'worker/refused', reason: message, key, ...(params ? { params } : {}) });
      port.disconnect();
    };
    const onFirst = (raw: unknown) => {
      port.onMessage.removeListener(onFirst);
      const parsed = panelPortInSchema.safeParse(raw);
      // A Port's first message is its attach; a call before it has no panel to speak for.
      if (!parsed.success || parsed.data.type !== 'panel/attach') return refuse(englishProblem('panel.notUnderstood'));
      const { token, secret } = parsed.data;
      void updateTab(tabId, async (tab) => {
        if (!tab) return null;
        if (token && tab.panelToken === token) {
          const issued = newSecret();
          await writeTabSession(session, tabId, { ...tab, panelToken: undefined, panelSecret: issued });
          return issued;
        }
        if (secret && tab.panelSecret === secret) return secret;
        return null;
      }).then(async (granted) => {
        if (!granted) {
          return refuse(englishProblem('panel.notOurs'));
        }
        post(port, { type: 'worker/attached', secret: granted });
        panels.attach(tabId, port);
        port.onMessage.addListener((raw: unknown) => answerPanelCall(port, raw));
        await pushContext(tabId);
      }).catch((error: unknown) => {
        // Without its settings or database the panel cannot show anything true; say why instead of spinning.
        refuse(englishProblem('panel.noData', { detail: errorDetail(error) }));
      });
    };
    port.onMessage.addListener(onFirst);
  }

  /**
   * A panel request on the panel's attached Port (`panel/call`), answered on that Port as `handleMessage` answers
   * it: the request still carries its secret and is checked like any other. Panel requests only: the Port speaks
   * for the panel's frame, which has nothing else to ask.
   */
  function answerPanelCall(port: Port, raw: unknown): void {
    const parsed = panelPortInSchema.safeParse(raw);
    // Without an id there is no one to answer. A keepalive has done its work by arriving.
    if (!parsed.success || parsed.data.type !== 'panel/call') return;
    const { id, request } = parsed.data;
    const type = typeof request === 'object' && request !== null && 'type' in request ? request.type : undefined;
    const answer =
      typeof type === 'string' && Object.hasOwn(panelRequests, type)
        ? handleMessage(request, port.sender ?? {})
        : Promise.reject(new MessageInvalidError(`${String(type).slice(0, 60)} is not a panel request`));
    void answer
      .then(
        (reply): PanelPortOut => ({ type: 'worker/reply', id, reply }),
        (error: unknown): PanelPortOut => ({ type: 'worker/call-refused', id, reason: error instanceof Error ? error.message : String(error) }),
      )
      .then((message) => {
        try {
          post(port, message);
        } catch {
          // The panel went away while its request ran: nobody waits for this answer.
        }
      });
  }

  /** Every attached panel shows the sync line and counts again (after a sync run). */
  function refreshAllPanels(): void {
    for (const tabId of panels.tabIds()) refreshPanel(tabId);
  }

  /**
   * Notes changed under every tab (pulled from other people): every panel's list follows, and so does every
   * labeling page, including one whose panel has not attached yet. A pull started when an item opened often ends
   * before its panel frame has loaded; that page must still get the notes to anchor.
   */
  async function refreshAllNotes(): Promise<void> {
    refreshAllPanels();
    const tabIds = await tabsWithSessions(session);
    await Promise.all(tabIds.map((tabId) => notes.pushNotesToPage(tabId).catch(() => undefined))); // a closed page cannot take them
  }

  /**
   * Stops following settings writes and drops the work still waiting on a verdict's reply; the worker's own context
   * never calls it (it lives as long as the worker).
   */
  function close(): void {
    settingsCache.close();
    panelHandlers.close();
  }

  return { handleMessage, handleConnect, syncRegistration, forgetTab, pushContext, refreshAllPanels, refreshAllNotes, refreshDayStats, close };
}

export type LoupeWorker = ReturnType<typeof createWorker>;
