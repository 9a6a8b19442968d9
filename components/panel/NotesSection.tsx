/**
 * Mentors' inline notes on the item on screen (issue 5): the Annotate button (and its key), what annotate mode
 * says while the mentor points on the page, the composer once they have, the item's notes with their threads and
 * whether the page found them, and the Web Annotation export. Renders only: use-note-actions.ts does the work.
 *
 * Headed "Inline notes" (DESIGN.md's word), and nothing here is named "Note…": the verdict's own field is labelled
 * "Note", and a label that starts the same would make that field ambiguous to find.
 *
 * Keys typed in the notes' own fields stay there (`data-own-keys`, see use-panel-keys.ts): Enter is a new line in
 * a note, never "save the verdict".
 */
import './notes.css';
import { useEffect, useId, useRef, type RefObject } from 'react';
import { formatHotkey } from '@/lib/hotkeys';
import type { PanelContext } from '@/lib/protocol';
import type { DetectedItem } from '@/lib/schemas';
import { itemKey } from '@/lib/site-profile';
import { useT } from './i18n';
import { ariaKeyShortcut } from './labels';
import { NoteComposer } from './NoteComposer';
import { NoteThreadView, type AnchorState } from './NoteThreadView';
import { usePanelStore, usePanelStoreApi } from './panel-store';
import type { NoteActions } from './use-note-actions';

/** Note ids are UUIDs: safe in an id, and unique under the section's own prefix. */
function noteDomId(prefix: string, noteId: string): string {
  return `${prefix}-note-${noteId}`;
}

export interface NotesSectionProps {
  context: PanelContext;
  currentItem: DetectedItem;
  now: number;
  isMac: boolean;
  actions: NoteActions;
  annotateButtonRef: RefObject<HTMLButtonElement | null>;
  composerBodyRef: RefObject<HTMLTextAreaElement | null>;
}

export function NotesSection({ context, currentItem, now, isMac, actions, annotateButtonRef, composerBodyRef }: NotesSectionProps) {
  const id = useId();
  const { t } = useT();
  const store = usePanelStoreApi();
  const annotate = usePanelStore((s) => s.annotate);
  const anchors = usePanelStore((s) => s.anchors);
  const selectedNoteId = usePanelStore((s) => s.selectedNoteId);
  const selectionCount = usePanelStore((s) => s.selectionCount);
  const openThreads = usePanelStore((s) => s.openThreads);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const notes = context.notes;

  // A note chosen on the page (or here) is brought into view in the list; focus stays where the person is.
  useEffect(() => {
    if (selectedNoteId === null) return;
    document.getElementById(noteDomId(id, selectedNoteId))?.scrollIntoView?.({ block: 'nearest' });
  }, [id, selectedNoteId, selectionCount]);

  // Only a report about the item on screen counts: one about the item before it says nothing about these notes.
  const report = anchors && anchors.itemKey === itemKey(currentItem) ? anchors : null;
  const anchorOf = (noteId: string): AnchorState =>
    report?.found.includes(noteId) ? 'found' : report?.missing.includes(noteId) ? 'missing' : 'unknown';

  const annotateKey = formatHotkey(context.hotkeys.annotate, isMac);
  const noAuditor = !context.auditorId;
  const capturing = annotate.kind === 'capturing';
  const count = notes.length;

  return (
    <section className="loupe-notes" aria-labelledby={`${id}-heading`} data-own-keys="">
      <div className="loupe-notes-head">
        <h2 id={`${id}-heading`} ref={headingRef} tabIndex={-1}>
          {count > 0 ? t('panel.notes.titleCount', { count }) : t('panel.notes.title')}
        </h2>
        <button
          ref={annotateButtonRef}
          type="button"
          aria-keyshortcuts={ariaKeyShortcut(context.hotkeys.annotate, isMac)}
          aria-describedby={noAuditor ? `${id}-no-auditor` : undefined}
          aria-disabled={noAuditor || capturing || undefined}
          title={t('panel.notes.annotateTitle', { key: annotateKey })}
          onClick={() => void actions.startAnnotate('panel')}
        >
          {t('panel.notes.annotate')} <kbd aria-hidden="true">{annotateKey}</kbd>
        </button>
      </div>
      {noAuditor && (
        <p id={`${id}-no-auditor`} className="loupe-hint">
          {t('panel.notes.noAuditor')}
        </p>
      )}

      {/* Always in the document, so what is written into it is announced. */}
      <p role="status" className={capturing ? 'loupe-capture' : 'visually-hidden'}>
        {capturing ? t('panel.notes.capturing') : ''}
      </p>
      {capturing && (
        <div className="loupe-actions">
          <button type="button" aria-keyshortcuts="Escape" onClick={() => actions.cancelAnnotate()}>
            {t('panel.notes.cancelAnnotate')}
          </button>
        </div>
      )}

      {annotate.kind === 'composing' && (
        <NoteComposer
          composer={annotate}
          tags={context.taxonomy.tags}
          isMac={isMac}
          bodyRef={composerBodyRef}
          onBody={(body) => store.getState().setComposerBody(body)}
          onTag={(tagId) => store.getState().setComposerTag(tagId)}
          onSave={() => void actions.saveComposer()}
          onCancel={actions.cancelComposer}
        />
      )}

      {count === 0 ? (
        <p className="loupe-quiet">{t('panel.notes.empty', { key: annotateKey })}</p>
      ) : (
        <ol className="loupe-notes-list" aria-label={t('panel.notes.list')}>
          {notes.map((thread) => (
            <NoteThreadView
              key={thread.note.id}
              thread={thread}
              auditorId={context.auditorId}
              tags={context.taxonomy.tags}
              now={now}
              isMac={isMac}
              anchor={anchorOf(thread.note.id)}
              selected={selectedNoteId === thread.note.id}
              open={openThreads.includes(thread.note.id)}
              domId={noteDomId(id, thread.note.id)}
              onOpenChange={(open) => store.getState().setThreadOpen(thread.note.id, open)}
              onShow={() => actions.showOnPage(thread.note.id)}
              onReply={(body) => actions.reply(thread.note.id, body)}
              onAcknowledge={() => actions.acknowledge(thread.note.id)}
              onDelete={actions.remove}
              onNoteDeleted={() => headingRef.current?.focus()}
            />
          ))}
        </ol>
      )}

      {count > 0 && (
        <div className="loupe-actions">
          <button type="button" onClick={actions.exportNotes}>
            {t('panel.notes.export')}
          </button>
        </div>
      )}
    </section>
  );
}
