/**
 * Loupe's audit panel: the React app in the extension-origin iframe beside the labeling UI. It owns no records:
 * the worker pushes a PanelContext through `client`, and every verdict, undo, note and setting goes back through it.
 * This file lays the panel out; the hooks beside it are the controller (connection, actions, keys) and the
 * sub-components only render.
 */
import './panel.css';
import { useCallback, useId, useRef, useState } from 'react';
import { formatHotkey } from '@/lib/hotkeys';
import type { PanelClient } from '@/lib/panel-client';
import { describeProblem } from '@/lib/problems';
import type { Severity } from '@/lib/schemas';
import { AuditorPrompt } from './AuditorPrompt';
import { CollapsedBar } from './CollapsedBar';
import { DraftFields } from './DraftFields';
import { HelpOverlay } from './HelpOverlay';
import { HistoryList } from './HistoryList';
import { ItemSummary } from './ItemSummary';
import { MediaShieldToggle, useMediaShieldKey } from './MediaShieldToggle';
import { NotesSection } from './NotesSection';
import { SiteSetupCheck } from './SiteSetupCheck';
import { isSetupFrame, SiteSetupFrame } from './SiteSetupFrame';
import { I18nProvider, useT, type PanelT } from './i18n';
import { ariaKeyShortcut } from './labels';
import { createPanelStore, PanelStoreContext, usePanelStore, usePanelStoreApi, type DraftTextField } from './panel-store';
import { BreakReminder } from './BreakReminder';
import { StashBanner } from './StashBanner';
import { SyncLine } from './SyncLine';
import { TagPicker } from './TagPicker';
import { TodayProgress } from './TodayProgress';
import { usePanelActions } from './use-panel-actions';
import { usePanelConnection } from './use-panel-connection';
import { usePanelKeys } from './use-panel-keys';
import { downloadJsonLd, useNoteActions, type SaveFile } from './use-note-actions';
import { VerdictButtons } from './VerdictButtons';

export interface PanelProps {
  client: PanelClient;
  /** Clock for durationMs and the undo window; tests inject their own. */
  now?: () => number;
  /** Whether Mod means ⌘; detected from the platform when not given. */
  isMac?: boolean;
  /** Saves the notes export; a download by default, a capture in tests. */
  saveFile?: SaveFile;
  /** The language's messages, loaded before the first render (entrypoints/panel/main.tsx); English otherwise. */
  translator?: PanelT;
}

export function Panel(props: PanelProps) {
  // panel.html#setup is site setup's frame (issue 7), framed by the page's setup script: not an audit panel.
  return isSetupFrame() ? <SiteSetupFrame translator={props.translator} /> : <AuditPanel {...props} />;
}

function AuditPanel({ client, now = Date.now, isMac, saveFile = downloadJsonLd, translator }: PanelProps) {
  const [store] = useState(createPanelStore);
  return (
    <PanelStoreContext.Provider value={store}>
      <ConnectedPanel client={client} now={now} isMac={isMac ?? detectMac()} saveFile={saveFile} translator={translator} />
    </PanelStoreContext.Provider>
  );
}

interface PanelViewProps {
  client: PanelClient;
  now: () => number;
  isMac: boolean;
  saveFile: SaveFile;
}

/**
 * The connection sits above the language, so the language comes with the worker's context: the panel has no
 * storage of its own to read the locale setting from. Until the first context it follows the browser's languages.
 */
function ConnectedPanel({ translator, ...props }: PanelViewProps & { translator: PanelT | undefined }) {
  const { connection, context } = usePanelConnection(props.client, props.now);
  return (
    <I18nProvider choice={context?.locale} initial={translator}>
      <PanelView {...props} connection={connection} context={context} />
    </I18nProvider>
  );
}

function detectMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad|iPod/i.test(navigator.platform || navigator.userAgent);
}

function PanelView({
  client,
  now,
  isMac,
  saveFile,
  connection,
  context,
}: PanelViewProps & ReturnType<typeof usePanelConnection>) {
  const store = usePanelStoreApi();
  const { t } = useT();

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
  const annotateButtonRef = useRef<HTMLButtonElement>(null);
  const composerBodyRef = useRef<HTMLTextAreaElement>(null);
  const undoWhatId = useId();
  // Stable, so the memoised fields and tag picker skip the renders that do not concern them.
  const setSeverity = useCallback((severity: Severity | null) => store.getState().setSeverity(severity), [store]);
  const setText = useCallback((field: DraftTextField, value: string) => store.getState().setText(field, value), [store]);
  const setTagQuery = useCallback((query: string) => store.getState().setTagQuery(query), [store]);
  const toggleTag = useCallback((tagId: string) => store.getState().toggleTag(tagId), [store]);

  const reading = context?.reading ?? null;
  const currentItem = reading?.status === 'found' ? reading.item : null;
  const canAudit = !!context?.auditorId && currentItem !== null;

  const noteActions = useNoteActions({ client, context, currentItem, annotateButtonRef, composerBodyRef, saveFile });
  const { saveDraft, discardStash, undoLast, changeLayout, chooseVerdict, openHelp, closeHelp, runCommand } =
    usePanelActions({ client, now, context, currentItem, verdictRef, tagListRef, noteRef, startAnnotate: noteActions.startAnnotate });
  usePanelKeys({
    client,
    connection,
    context,
    isMac,
    canAudit,
    tagSearchRef,
    runCommand,
    closeHelp,
    cancelAnnotate: noteActions.cancelAnnotate,
  });
  useMediaShieldKey({ client, context, isMac });

  if (connection.state === 'refused') {
    // Not our content script's panel: show why, and nothing a page could use.
    return (
      <div className="loupe-refused">
        <p>{describeProblem({ message: connection.reason, key: connection.key, params: connection.params }, { t })}</p>
      </div>
    );
  }

  if (!context) {
    return (
      <div className="loupe-panel loupe-connecting">
        <p role="status">{t('panel.connecting')}</p>
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
  const notesSection = currentItem && (
    <NotesSection
      context={context}
      currentItem={currentItem}
      now={now()}
      isMac={isMac}
      actions={noteActions}
      annotateButtonRef={annotateButtonRef}
      composerBodyRef={composerBodyRef}
    />
  );
  const saveKey = formatHotkey(hotkeys.save, isMac);
  const undoKey = formatHotkey(hotkeys.undo, isMac);
  const moveLabel = t(otherSide === 'left' ? 'panel.header.moveLeft' : 'panel.header.moveRight');

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
            aria-label={t('panel.header.shortcuts')}
            aria-keyshortcuts={ariaKeyShortcut(hotkeys.help, isMac)}
            title={t('panel.header.shortcutsTitle', { key: formatHotkey(hotkeys.help, isMac) })}
            onClick={() => openHelp()}
          >
            <span aria-hidden="true">?</span>
          </button>
          <button
            type="button"
            className="loupe-icon-button"
            aria-label={moveLabel}
            title={moveLabel}
            onClick={() => void changeLayout({ ...layout, side: otherSide })}
          >
            <span aria-hidden="true">{otherSide === 'left' ? '⇤' : '⇥'}</span>
          </button>
          <button
            type="button"
            className="loupe-icon-button"
            aria-label={t('panel.header.collapse')}
            aria-keyshortcuts={ariaKeyShortcut(hotkeys.togglePanel, isMac)}
            title={t('panel.header.collapseTitle', { key: toggleKey })}
            onClick={() => void changeLayout({ ...layout, collapsed: true })}
          >
            <span aria-hidden="true">{layout.side === 'right' ? '⟩' : '⟨'}</span>
          </button>
        </div>
      </header>

      <TodayProgress today={context.today} viewed={context.wellbeing.viewed} />
      <SyncLine sync={context.sync} now={now()} />
      <BreakReminder wellbeing={context.wellbeing} now={now} onDismiss={() => void client.dismissBreak()} />
      <MediaShieldToggle client={client} layout={layout} hotkeys={hotkeys} isMac={isMac} />

      {connection.state === 'reconnecting' && (
        <p role="status" className="loupe-banner">
          {t('panel.reconnecting')}
        </p>
      )}

      {stashes.map((stash) => (
        <StashBanner
          key={stash.key}
          stash={stash}
          busy={saving}
          onSave={() => void saveDraft(stash.key, 'panel')}
          onDiscard={() => discardStash(stash.key)}
          tagLabel={(id) => taxonomy.tags.find((tag) => tag.id === id)?.label ?? id}
        />
      ))}

      <main className="loupe-body">
        {!context.auditorId ? (
          <>
            <AuditorPrompt client={client} />
            {/* Notes can be read before the id is set; writing one says it needs the id. */}
            {notesSection}
          </>
        ) : (
          <>
            <ItemSummary reading={reading} siteName={context.siteName} />
            <SiteSetupCheck reading={reading} />
            {currentItem && (
              <section className="loupe-audit" aria-label={t('panel.audit.region')}>
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
                  onQueryChange={setTagQuery}
                  onToggle={toggleTag}
                  searchRef={tagSearchRef}
                  listRef={tagListRef}
                />
                <DraftFields
                  severity={draft.severity}
                  correctedDecision={draft.correctedDecision}
                  note={draft.note}
                  saveKey={saveKey}
                  noteRef={noteRef}
                  onSeverity={setSeverity}
                  onText={setText}
                />
              </section>
            )}
            {notesSection}
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
                {t('panel.save')} <kbd aria-hidden="true">{saveKey}</kbd>
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
                {t('panel.undo')} <kbd aria-hidden="true">{undoKey}</kbd>
              </button>
            )}
            {lastSaved && (
              <span id={undoWhatId} hidden>
                {t('panel.undoWhat', { verdict: t(`common.verdict.${lastSaved.audit.verdict}`), item: lastSaved.audit.itemId })}
              </span>
            )}
          </div>
        )}
      </footer>

      {helpOpen && <HelpOverlay hotkeys={hotkeys} tags={taxonomy.tags} isMac={isMac} onClose={closeHelp} />}
    </div>
  );
}
