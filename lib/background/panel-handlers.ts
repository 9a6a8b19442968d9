/**
 * The panel's requests to the worker (verdicts and undo, the auditor id, the panel's layout and media shield,
 * the break reminder, keyboard focus), each signed with the panel's secret. Split from worker.ts, which routes
 * messages to these, as note-handlers.ts and setup-handlers.ts are.
 */
import { describeStorageFailure, recordVerdict, undoVerdict, UndoRefusedError } from '../audits';
import type { LoupeDatabase } from '../db';
import { englishProblem, type ProblemText } from '../problems';
import type { Failure, PanelReplies, WorkerInbox, WorkerToContent } from '../protocol';
import type { Settings } from '../schemas';
import { loadLayout, loadSettings, saveLayout, saveSettings } from '../settings-store';
import { recordActivity, restartStretch } from '../wellbeing/activity';
import type { Sender } from './senders';
import type { TabSession } from './tab-sessions';

type Message<K extends WorkerInbox['type']> = Extract<WorkerInbox, { type: K }>;

export interface PanelHandlerDeps {
  db: LoupeDatabase;
  now: () => number;
  /** The worker's parsed settings (settings-cache.ts); `invalidateSettings` drops them after a write here. */
  settings(): Promise<Settings>;
  invalidateSettings(): void;
  /** The panel request's tab, once its secret is checked (throws otherwise). */
  authorisePanel(sender: Sender, secret: string): Promise<{ tabId: number; tab: TabSession }>;
  /** Sends the tab's panel its context again, now (awaited) or soon (not). */
  pushContext(tabId: number): Promise<void>;
  refreshPanel(tabId: number): void;
  tellContent(tabId: number, message: WorkerToContent): Promise<void>;
  /** Keeps the content-script registrations (the early media cover's among them) in step with the settings. */
  syncRegistration(): Promise<unknown>;
  requestSync?: (reason: 'change') => void;
}

const failure = (code: Failure['code'], problem: ProblemText) => ({ ok: false as const, error: { code, ...problem } });

/**
 * How long what a verdict sets off (a context push, the stretch of work, a sync) waits after the reply: long enough
 * for the panel to take the reply and render "Saved" without that work's transactions and rendering competing for
 * the same two cores (issue 6: 1.0-1.4 ms p50 off key-to-Saved in alternating blocks), short enough that the
 * panel's count is never seen behind.
 */
const AFTER_REPLY_MS = 30;

export function createPanelHandlers(deps: PanelHandlerDeps) {
  const { db, now, authorisePanel, refreshPanel, pushContext, tellContent, syncRegistration } = deps;
  const currentSettings = () => deps.settings();
  const waiting = new Set<ReturnType<typeof setTimeout>>();

  /** Runs `work` once the reply in hand has gone out (it leaves in this task's microtasks) and been shown. */
  function afterReply(work: () => void): void {
    const timer = setTimeout(() => {
      waiting.delete(timer);
      work();
    }, AFTER_REPLY_MS);
    waiting.add(timer);
  }

  /** Drops the work still waiting on a reply: the worker is closing (its tests close the database next). */
  function close(): void {
    for (const timer of waiting) clearTimeout(timer);
    waiting.clear();
  }

  async function onRecordVerdict(
    message: Message<'panel/record-verdict'>,
    sender: Sender,
  ): Promise<PanelReplies['panel/record-verdict']> {
    const { tabId, tab } = await authorisePanel(sender, message.secret);
    const settings = await currentSettings();
    const { item, input } = message.draft;
    if (!settings.auditorId) return failure('no-auditor', englishProblem('verdict.noAuditor'));
    if (item.siteId !== tab.siteId) return failure('invalid', englishProblem('verdict.otherSite'));
    const known = new Set(settings.taxonomy.tags.map((t) => t.id));
    const unknown = input.errorTags.filter((id) => !known.has(id));
    if (unknown.length) {
      return failure('invalid', englishProblem('verdict.unknownTags', { tags: unknown.map((t) => `"${t}"`).join(', ') }));
    }
    try {
      const audit = await recordVerdict(db, { item, input, auditorId: settings.auditorId, taxonomyVersion: settings.taxonomy.version }, now());
      afterReply(() => {
        // The stretch of work: the verdict is saved either way.
        void recordActivity(db, now()).catch(() => undefined);
        refreshPanel(tabId);
        deps.requestSync?.('change');
      });
      return { ok: true, audit };
    } catch (error) {
      return { ok: false, error: describeStorageFailure(error) };
    }
  }

  async function onUndo(message: Message<'panel/undo'>, sender: Sender): Promise<PanelReplies['panel/undo']> {
    const { tabId, tab } = await authorisePanel(sender, message.secret);
    const settings = await currentSettings();
    const current = await db.audits.get(message.auditId);
    if (current && current.siteId !== tab.siteId) return failure('invalid', englishProblem('undo.otherSite'));
    if (current && current.auditorId !== settings.auditorId) return failure('refused', englishProblem('undo.notYours'));
    try {
      const audit = await undoVerdict(db, message.auditId, message.rev, settings.undoWindowMs, now());
      refreshPanel(tabId);
      deps.requestSync?.('change');
      return { ok: true, audit };
    } catch (error) {
      if (error instanceof UndoRefusedError) return failure(error.code, error.problem);
      return { ok: false, error: describeStorageFailure(error) };
    }
  }

  async function onSetAuditor(message: Message<'panel/set-auditor'>, sender: Sender) {
    const { tabId } = await authorisePanel(sender, message.secret);
    try {
      // Read afresh, not from the cache: this write is built on the stored settings and must not undo another's.
      await saveSettings(db, { ...(await loadSettings(db)), auditorId: message.auditorId });
    } catch (error) {
      return { ok: false as const, error: describeStorageFailure(error) };
    } finally {
      // The write's own storagemutated event drops the copy already; saying so here keeps it from depending on that.
      deps.invalidateSettings();
    }
    await pushContext(tabId);
    return { ok: true as const };
  }

  async function onSetLayout(message: Message<'panel/set-layout'>, sender: Sender) {
    const { tabId, tab } = await authorisePanel(sender, message.secret);
    let mediaChanged: boolean;
    try {
      const before = await loadLayout(db, tab.siteId);
      mediaChanged = (before.media ?? 'shown') !== (message.layout.media ?? 'shown');
      await saveLayout(db, tab.siteId, message.layout);
    } catch (error) {
      return { ok: false as const, error: describeStorageFailure(error) };
    }
    await tellContent(tabId, { type: 'worker/layout', layout: message.layout });
    await pushContext(tabId);
    // The site's early cover (a stylesheet the browser applies before the page paints) follows its shield mode.
    // After the save and the page's update: a registration that fails cannot take back the analyst's choice.
    if (mediaChanged) {
      await syncRegistration().catch((error: unknown) => console.error('Loupe could not register its early media shield', error));
    }
    return { ok: true as const };
  }

  async function onDismissBreak(message: Message<'panel/dismiss-break'>, sender: Sender) {
    const { tabId } = await authorisePanel(sender, message.secret);
    await restartStretch(db, now());
    refreshPanel(tabId);
    return { ok: true as const };
  }

  async function onFocusRequest(message: Message<'panel/return-focus' | 'panel/take-focus'>, sender: Sender) {
    const { tabId } = await authorisePanel(sender, message.secret);
    await tellContent(tabId, { type: message.type === 'panel/take-focus' ? 'worker/focus-panel' : 'worker/return-focus' });
    return { ok: true as const };
  }

  return { onRecordVerdict, onUndo, onSetAuditor, onSetLayout, onDismissBreak, onFocusRequest, close };
}

export type PanelHandlers = ReturnType<typeof createPanelHandlers>;
