/**
 * Loupe's audit panel: the React app in the extension-origin iframe beside the labeling UI. It owns no records:
 * the worker pushes a PanelContext through `client`, and every verdict, undo and setting goes back through it.
 * This file is the controller (keys, host commands, saving); the sub-components beside it only render.
 */
import './panel.css';
import { useEffect, useEffectEvent, useId, useRef, useState } from 'react';
import { commandForKey, formatHotkey, isEditableTarget, type PanelCommand } from '@/lib/hotkeys';
import type { PanelClient, PanelConnection } from '@/lib/panel-client';
import type { PanelContext, VerdictDraft } from '@/lib/protocol';
import type { PanelLayout, Verdict } from '@/lib/schemas';
import { AuditorPrompt } from './AuditorPrompt';
import { CollapsedBar } from './CollapsedBar';
import { DraftFields } from './DraftFields';
import { HelpOverlay } from './HelpOverlay';
import { HistoryList } from './HistoryList';
import { ItemSummary } from './ItemSummary';
import { ariaKeyShortcut, messageOf, VERDICT_LABELS, worksWhileTyping } from './labels';
import {
  createPanelStore,
  PanelStoreContext,
  usePanelStore,
  usePanelStoreApi,
  verdictInputOf,
  type StashedDraft,
} from './panel-store';
import { SyncLine } from './SyncLine';
import { TagPicker } from './TagPicker';
import { itemKey } from '@/lib/site-profile';
import { TodayProgress } from './TodayProgress';
import { VerdictButtons } from './VerdictButtons';

export interface PanelProps {
  client: PanelClient;
  /** Clock for durationMs and the undo window; tests inject their own. */
  now?: () => number;
  /** Whether Mod means ⌘; detected from the platform when not given. */
  isMac?: boolean;
}

/** Where a command came from: keys typed in the panel may move focus; the host page's keys must not steal it. */
type Origin = 'panel' | 'host';

const UNREACHABLE =
  'Loupe could not reach its background worker. Your verdict is still here: try saving again in a moment.';

export function Panel({ client, now = Date.now, isMac }: PanelProps) {
  const [store] = useState(createPanelStore);
  return (
    <PanelStoreContext.Provider value={store}>
      <PanelView client={client} now={now} isMac={isMac ?? detectMac()} />
    </PanelStoreContext.Provider>
  );
}

function detectMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad|iPod/i.test(navigator.platform || navigator.userAgent);
}

/** Enter or Space on these presses them; Enter must not also save. */
const ACTIVATES_ON_KEY =
  'button, a[href], summary, input[type="button"], input[type="submit"], input[type="reset"], input[type="checkbox"], input[type="radio"], [role="button"], [role="link"], [role="radio"], [role="checkbox"], [role="switch"], [role="tab"]';

function activatesOnKey(target: EventTarget | null): boolean {
  return !!target && 'nodeType' in target && (target as Node).nodeType === 1 && (target as Element).matches(ACTIVATES_ON_KEY);
}

function hotkeyOf(command: PanelCommand, context: PanelContext): string | undefined {
  switch (command.kind) {
    case 'verdict':
      return context.hotkeys[command.verdict];
    case 'toggle-tag':
      return context.taxonomy.tags.find((tag) => tag.id === command.tagId)?.hotkey;
    case 'save':
      return context.hotkeys.save;
    case 'undo':
      return context.hotkeys.undo;
    case 'help':
      return context.hotkeys.help;
    case 'toggle-panel':
      return context.hotkeys.togglePanel;
  }
}

function PanelView({ client, now, isMac }: { client: PanelClient; now: () => number; isMac: boolean }) {
  const store = usePanelStoreApi();
  const [connection, setConnection] = useState<PanelConnection>({ state: 'connecting' });
  const [context, setContext] = useState<PanelContext | null>(null);

  const draft = usePanelStore((s) => s.draft);
  const stashes = usePanelStore((s) => s.stashes);
  const saving = usePanelStore((s) => s.savingKey !== null);
  const undoing = usePanelStore((s) => s.undoing);
  const lastSaved = usePanelStore((s) => s.lastSaved);
  const notice = usePanelStore((s) => s.notice);
  const helpOpen = usePanelStore((s) => s.helpOpen);
  const tagQuery = usePanelStore((s) => s.tagQuery);

  const verdictRef = useRef<HTMLDivElement>(null);
  const tagListRef = useRef<HTMLUListElement>(null);
  const tagSearchRef = useRef<HTMLInputElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  /** Where focus was when help opened, to put it back on close. */
  const beforeHelpRef = useRef<HTMLElement | null>(null);
  const undoWhatId = useId();

  // The Undo button lives as long as the worker would accept the undo; `now` decides, a timer re-checks.
  useEffect(() => {
    if (!lastSaved) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      const left = lastSaved.undoUntil - now();
      if (left <= 0) store.getState().expireUndo(lastSaved.audit.id);
      else timer = setTimeout(check, left);
    };
    check();
    return () => clearTimeout(timer);
  }, [lastSaved, now, store]);

  const reading = context?.reading ?? null;
  const currentItem = reading?.status === 'found' ? reading.item : null;
  const canAudit = !!context?.auditorId && currentItem !== null;

  // -------------------------------------------------------------------------------------------------------------
  // Actions

  function alert(text: string) {
    store.getState().setNotice({ kind: 'alert', text });
  }

  function focusVerdicts() {
    verdictRef.current?.focus();
  }

  async function saveDraft(stashKey: string | null, origin: Origin) {
    const state = store.getState();
    if (state.savingKey !== null || !context) return; // one save at a time: no double submit
    const stash: StashedDraft | undefined = stashKey === null ? undefined : state.stashes.find((d) => d.key === stashKey);
    const target = stash ?? state.draft;
    if (stashKey !== null && !stash) return;
    if (!stash && (!currentItem || target.key !== itemKey(currentItem))) {
      alert('Loupe has not read an item on this page, so there is nothing to save a verdict on.');
      return;
    }
    if (!target.item || !target.key) return;
    if (!target.verdict) {
      if (stash) alert(`The unsaved draft for ${stash.item.itemId} has no verdict: go back to it to finish, or discard it.`);
      else {
        alert('Choose a verdict first: Correct, Incorrect or Unsure.');
        if (origin === 'panel') focusVerdicts();
      }
      return;
    }
    if (target.verdict === 'incorrect' && target.errorTags.length === 0) {
      if (stash) {
        alert(`Pick at least one error tag for an incorrect verdict: go back to ${stash.item.itemId} to pick one, or discard it.`);
      } else {
        alert('Pick at least one error tag for an incorrect verdict');
        if (origin === 'panel') tagListRef.current?.focus();
      }
      return;
    }

    const request: VerdictDraft = { item: target.item, input: verdictInputOf(target, stash ? stash.stashedAt : now()) };
    const { undoWindowMs } = context;
    const key = target.key;
    state.startSaving(key);
    let reply: Awaited<ReturnType<PanelClient['recordVerdict']>>;
    try {
      reply = await client.recordVerdict(request);
    } catch (failure) {
      store.getState().saveFailed(messageOf(failure, UNREACHABLE));
      return;
    }
    if (!reply.ok) {
      store.getState().saveFailed(reply.error.message);
      return;
    }
    store.getState().saveSucceeded(key, { audit: reply.audit, undoUntil: now() + undoWindowMs });
    // Typed here, so the analyst's next keys belong to the labeling page again. If the page cannot take focus,
    // it simply stays in the panel, which is where the analyst already is: nothing to report.
    if (origin === 'panel') client.returnFocus().catch(() => undefined);
  }

  async function undoLast() {
    const state = store.getState();
    if (state.undoing) return;
    const last = state.lastSaved;
    if (!last || now() >= last.undoUntil) {
      if (last) state.expireUndo(last.audit.id);
      state.setNotice({ kind: 'status', text: 'Nothing to undo' });
      return;
    }
    state.startUndo();
    let reply: Awaited<ReturnType<PanelClient['undo']>>;
    try {
      reply = await client.undo(last.audit.id, last.audit.rev);
    } catch (failure) {
      store.getState().undoFinished({ kind: 'alert', text: messageOf(failure, UNREACHABLE) }, true);
      return;
    }
    if (reply.ok) {
      store.getState().undoFinished({ kind: 'status', text: 'Verdict taken back' }, false);
    } else {
      const retryable = reply.error.code !== 'expired' && reply.error.code !== 'not-found';
      store.getState().undoFinished({ kind: 'alert', text: reply.error.message }, retryable);
    }
  }

  async function changeLayout(layout: PanelLayout) {
    try {
      const reply = await client.setLayout(layout);
      if (!reply.ok) alert(reply.error.message);
    } catch (failure) {
      alert(messageOf(failure, UNREACHABLE));
    }
  }

  function chooseVerdict(verdict: Verdict, origin: Origin) {
    // While a verdict is being saved the draft is on its way: a second verdict key would be lost on reset.
    if (store.getState().savingKey !== null) return;
    store.getState().chooseVerdict(verdict);
    if (verdict === 'correct') void saveDraft(null, origin);
    else if (origin === 'panel') (verdict === 'incorrect' ? tagListRef : noteRef).current?.focus();
    else if (verdict === 'unsure') {
      // The note is typed next: focus it here, then have the page hand keyboard focus to the panel. Tags and
      // Enter for "incorrect" are relayed from the page in order, so focus stays there.
      noteRef.current?.focus();
      client.takeFocus().catch(() => undefined);
    }
  }

  function openHelp() {
    const active = document.activeElement;
    beforeHelpRef.current = active instanceof HTMLElement ? active : null;
    store.getState().setHelpOpen(true);
  }

  function closeHelp() {
    store.getState().setHelpOpen(false);
    const previous = beforeHelpRef.current;
    beforeHelpRef.current = null;
    if (previous?.isConnected) previous.focus();
  }

  function runCommand(command: PanelCommand, origin: Origin) {
    if (!context) return;
    const state = store.getState();
    if (command.kind === 'help') {
      if (state.helpOpen) closeHelp();
      else if (!context.layout.collapsed) {
        openHelp();
        // The list is read and closed with Escape in the panel.
        if (origin === 'host') client.takeFocus().catch(() => undefined);
      }
      return;
    }
    if (command.kind === 'toggle-panel') {
      void changeLayout({ ...context.layout, collapsed: !context.layout.collapsed });
      return;
    }
    if (!context.auditorId || state.helpOpen) return;
    switch (command.kind) {
      case 'save':
        void saveDraft(null, origin);
        return;
      case 'undo':
        void undoLast();
        return;
      case 'verdict':
      case 'toggle-tag':
        if (!currentItem) {
          alert('Loupe has not read an item on this page, so there is nothing to give a verdict on.');
          return;
        }
        if (command.kind === 'verdict') chooseVerdict(command.verdict, origin);
        else if (context.taxonomy.tags.some((tag) => tag.id === command.tagId)) state.toggleTag(command.tagId);
        return;
    }
  }

  function handleKey(event: KeyboardEvent) {
    // isComposing: Enter that confirms an IME composition (Khmer, Thai, CJK input) is not a save.
    if (event.defaultPrevented || event.isComposing || !context || connection.state === 'refused') return;
    const command = commandForKey(event, context.hotkeys, context.taxonomy.tags, isMac);
    if (store.getState().helpOpen) {
      // The dialog handles Escape itself; its own key closes it too, and nothing else acts behind it.
      if (command?.kind === 'help') {
        event.preventDefault();
        closeHelp();
      }
      return;
    }
    const target = event.composedPath()[0] ?? event.target;
    const typing = isEditableTarget(target);
    const chord = event.ctrlKey || event.metaKey || event.altKey;
    if (!command) {
      if (event.key === 'Escape' && !chord) {
        event.preventDefault();
        client.returnFocus().catch(() => undefined);
      } else if (event.key === '/' && !chord && !typing && canAudit) {
        event.preventDefault();
        tagSearchRef.current?.focus();
      }
      return;
    }
    if (typing && !worksWhileTyping(hotkeyOf(command, context))) return;
    if (command.kind === 'save' && activatesOnKey(target)) return;
    // With nothing to take back, Mod+Z in a field is the field's own undo of typing.
    if (command.kind === 'undo' && typing && !store.getState().lastSaved) return;
    // The auditor form submits itself on Enter.
    if (!context.auditorId && command.kind !== 'help' && command.kind !== 'toggle-panel') return;
    event.preventDefault();
    runCommand(command, 'panel');
  }

  // Declared after the actions they call (the compiler's rule): listeners see the latest render's values.
  const onContext = useEffectEvent((next: PanelContext) => {
    setContext(next);
    if (next.reading?.status === 'found') {
      store.getState().showItem(itemKey(next.reading.item), next.reading.item, next.shownAt, now());
    }
  });
  const onCommand = useEffectEvent((command: PanelCommand) => runCommand(command, 'host'));
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => handleKey(event));

  useEffect(() => client.onConnection(setConnection), [client]);
  useEffect(() => client.onContext((next) => onContext(next)), [client]);
  useEffect(() => client.onCommand((command) => onCommand(command)), [client]);
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  // -------------------------------------------------------------------------------------------------------------
  // Rendering

  if (connection.state === 'refused') {
    // Not our content script's panel: show why, and nothing a page could use.
    return (
      <div className="loupe-refused">
        <p>{connection.reason}</p>
      </div>
    );
  }

  if (!context) {
    return (
      <div className="loupe-panel loupe-connecting">
        <p role="status">Connecting…</p>
      </div>
    );
  }

  const { hotkeys, taxonomy, layout } = context;
  const toggleKey = formatHotkey(hotkeys.togglePanel, isMac);

  if (layout.collapsed) {
    return (
      <CollapsedBar
        audited={context.today.audited}
        notice={notice}
        toggleKey={toggleKey}
        onExpand={() => void changeLayout({ ...layout, collapsed: false })}
      />
    );
  }

  const otherSide = layout.side === 'right' ? 'left' : 'right';
  const saveKey = formatHotkey(hotkeys.save, isMac);
  const undoKey = formatHotkey(hotkeys.undo, isMac);

  return (
    <div className="loupe-panel" data-side={layout.side}>
      <header className="loupe-header">
        <h1>
          Loupe <span className="loupe-site">{context.siteName}</span>
        </h1>
        <div className="loupe-header-actions">
          <button
            type="button"
            className="loupe-icon-button"
            aria-label="Keyboard shortcuts"
            aria-keyshortcuts={ariaKeyShortcut(hotkeys.help, isMac)}
            title={`Keyboard shortcuts (${formatHotkey(hotkeys.help, isMac)})`}
            onClick={openHelp}
          >
            <span aria-hidden="true">?</span>
          </button>
          <button
            type="button"
            className="loupe-icon-button"
            aria-label={`Move panel to the ${otherSide}`}
            title={`Move panel to the ${otherSide}`}
            onClick={() => void changeLayout({ ...layout, side: otherSide })}
          >
            <span aria-hidden="true">{otherSide === 'left' ? '⇤' : '⇥'}</span>
          </button>
          <button
            type="button"
            className="loupe-icon-button"
            aria-label="Collapse panel"
            aria-keyshortcuts={ariaKeyShortcut(hotkeys.togglePanel, isMac)}
            title={`Collapse panel (${toggleKey})`}
            onClick={() => void changeLayout({ ...layout, collapsed: true })}
          >
            <span aria-hidden="true">{layout.side === 'right' ? '⟩' : '⟨'}</span>
          </button>
        </div>
      </header>

      <TodayProgress today={context.today} />
      <SyncLine sync={context.sync} now={now()} />

      {connection.state === 'reconnecting' && (
        <p role="status" className="loupe-banner">
          Reconnecting to Loupe… Your draft is kept.
        </p>
      )}

      {stashes.map((stash) => (
        <StashBanner
          key={stash.key}
          stash={stash}
          busy={saving}
          onSave={() => void saveDraft(stash.key, 'panel')}
          onDiscard={() => {
            store.getState().discardStash(stash.key);
            focusVerdicts();
          }}
          tagLabel={(id) => taxonomy.tags.find((tag) => tag.id === id)?.label ?? id}
        />
      ))}

      <main className="loupe-body">
        {!context.auditorId ? (
          <AuditorPrompt client={client} />
        ) : (
          <>
            <ItemSummary reading={reading} siteName={context.siteName} />
            {currentItem && (
              <section className="loupe-audit" aria-label="Your verdict">
                <VerdictButtons
                  value={draft.verdict}
                  hotkeys={hotkeys}
                  isMac={isMac}
                  groupRef={verdictRef}
                  onChoose={(verdict) => chooseVerdict(verdict, 'panel')}
                />
                <TagPicker
                  tags={taxonomy.tags}
                  selected={draft.errorTags}
                  query={tagQuery}
                  isMac={isMac}
                  invalid={draft.verdict === 'incorrect' && draft.errorTags.length === 0 && notice?.kind === 'alert'}
                  onQueryChange={(query) => store.getState().setTagQuery(query)}
                  onToggle={(tagId) => store.getState().toggleTag(tagId)}
                  searchRef={tagSearchRef}
                  listRef={tagListRef}
                />
                <DraftFields
                  draft={draft}
                  saveKey={saveKey}
                  noteRef={noteRef}
                  onSeverity={(severity) => store.getState().setSeverity(severity)}
                  onText={(field, value) => store.getState().setText(field, value)}
                />
              </section>
            )}
            {currentItem && <HistoryList history={context.history} tags={taxonomy.tags} />}
          </>
        )}
      </main>

      <footer className="loupe-footer">
        {notice?.kind === 'alert' && (
          <p role="alert" className="loupe-alert">
            {notice.text}
          </p>
        )}
        <p role="status" className="loupe-status">
          {notice?.kind === 'status' ? notice.text : ''}
        </p>
        {context.auditorId && (currentItem || lastSaved) && (
          <div className="loupe-actions">
            {currentItem && (
              <button
                type="button"
                className="loupe-primary"
                aria-disabled={saving || undefined}
                aria-keyshortcuts={ariaKeyShortcut(hotkeys.save, isMac)}
                onClick={() => void saveDraft(null, 'panel')}
              >
                Save <kbd aria-hidden="true">{saveKey}</kbd>
              </button>
            )}
            {lastSaved && (
              <button
                type="button"
                aria-disabled={undoing || undefined}
                aria-keyshortcuts={ariaKeyShortcut(hotkeys.undo, isMac)}
                aria-describedby={undoWhatId}
                onClick={() => void undoLast()}
              >
                Undo <kbd aria-hidden="true">{undoKey}</kbd>
              </button>
            )}
            {lastSaved && (
              <span id={undoWhatId} hidden>
                {`${VERDICT_LABELS[lastSaved.audit.verdict]} on ${lastSaved.audit.itemId}`}
              </span>
            )}
          </div>
        )}
      </footer>

      {helpOpen && <HelpOverlay hotkeys={hotkeys} tags={taxonomy.tags} isMac={isMac} onClose={closeHelp} />}
    </div>
  );
}

function StashBanner({
  stash,
  busy,
  onSave,
  onDiscard,
  tagLabel,
}: {
  stash: StashedDraft;
  busy: boolean;
  onSave: () => void;
  onDiscard: () => void;
  tagLabel: (tagId: string) => string;
}) {
  // Not derived from the item id: page text may hold spaces, which would split an aria-labelledby reference.
  const headingId = useId();
  const summary = [
    stash.verdict ? VERDICT_LABELS[stash.verdict] : 'No verdict yet',
    ...stash.errorTags.map(tagLabel),
    stash.note.trim() ? `“${stash.note.trim()}”` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <div role="group" aria-labelledby={headingId} className="loupe-banner loupe-stash">
      <p id={headingId}>
        Unsaved verdict for <strong>{stash.item.itemId}</strong>
      </p>
      <p className="loupe-stash-summary">{summary}</p>
      <div className="loupe-actions">
        <button type="button" className="loupe-primary" aria-disabled={busy || undefined} onClick={onSave}>
          Save to {stash.item.itemId}
        </button>
        <button type="button" onClick={onDiscard}>
          Discard<span className="visually-hidden"> unsaved verdict for {stash.item.itemId}</span>
        </button>
      </div>
    </div>
  );
}
