/**
 * What the panel does with mentors' notes (issue 5), whichever way it is asked: annotate mode on the page (button,
 * the panel's key, or the key relayed from the page), the composer that opens when the page reports a target,
 * replies, acknowledgements, deletes, "show on page", and the Web Annotation export. Every request goes through
 * `client`; the store only records how it went. Mounted with the panel (not with the notes section), so a target
 * reported while the panel is folded is not lost.
 */
import { useEffect, useEffectEvent, useRef, type RefObject } from 'react';
import { toAnnotationCollection } from '@/lib/notes/web-annotation';
import type { PageNoteEvent, PanelClient } from '@/lib/panel-client';
import { describeFailure, describeProblem } from '@/lib/problems';
import type { PanelContext } from '@/lib/protocol';
import type { DetectedItem } from '@/lib/schemas';
import { itemKey } from '@/lib/site-profile';
import { useT } from './i18n';
import { messageOf } from './labels';
import { notesExportFileName, recordsOf } from './note-words';
import type { AnnotateOrigin } from './notes-slice';
import { usePanelStoreApi } from './panel-store';

/** Saves a finished file: a link with `download` by default, a capture in tests. */
export type SaveFile = (fileName: string, text: string) => void;

export function downloadJsonLd(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/ld+json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The download has started reading the blob by the time the event loop comes back here.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export interface NoteActionsOptions {
  client: PanelClient;
  context: PanelContext | null;
  currentItem: DetectedItem | null;
  /** Where focus goes back when annotating ends and what had focus before is gone. */
  annotateButtonRef: RefObject<HTMLButtonElement | null>;
  /** The composer's text field, focused again when annotate is asked for while a note is being written. */
  composerBodyRef: RefObject<HTMLTextAreaElement | null>;
  saveFile: SaveFile;
}

/** A request's outcome for the component that made it: null when it went through, else what to show. */
export type NoteRequestResult = string | null;

export function useNoteActions({ client, context, currentItem, annotateButtonRef, composerBodyRef, saveFile }: NoteActionsOptions) {
  const store = usePanelStoreApi();
  const { t } = useT();
  const unreachable = t('panel.notes.unreachable');
  /** What had focus in the panel when annotating was asked for there. */
  const returnToRef = useRef<HTMLElement | null>(null);

  function alert(text: string) {
    store.getState().setNotice({ kind: 'alert', text });
  }

  function announce(text: string) {
    store.getState().setNotice({ kind: 'status', text });
  }

  function unfold() {
    // A note cannot be written in the folded strip: annotating unfolds the panel.
    if (!context?.layout.collapsed) return;
    client.setLayout({ ...context.layout, collapsed: false }).then(
      (reply) => {
        if (!reply.ok) alert(describeFailure(reply.error, { t }));
      },
      (failure: unknown) => alert(messageOf(failure, unreachable)),
    );
  }

  /**
   * Focus goes back where annotating was asked for: into the panel, to what had focus (or the Annotate button),
   * or to the labeling page when it was the page's key, so the mentor's next keys reach the page again.
   */
  function restoreFocus(origin: AnnotateOrigin) {
    const previous = returnToRef.current;
    returnToRef.current = null;
    if (origin === 'host') {
      client.returnFocus().catch(() => undefined);
      return;
    }
    (previous?.isConnected ? previous : annotateButtonRef.current)?.focus();
  }

  async function startAnnotate(origin: AnnotateOrigin) {
    if (!context) return;
    const state = store.getState();
    if (!context.auditorId) {
      alert(t('panel.notes.needAuditor'));
      return;
    }
    if (!currentItem) {
      alert(t('panel.notes.noItem'));
      return;
    }
    if (state.annotate.kind === 'composing') {
      // Already writing one: back to it rather than lose it.
      composerBodyRef.current?.focus();
      if (origin === 'host') client.takeFocus().catch(() => undefined);
      return;
    }
    if (state.annotate.kind === 'capturing') return;

    const active = document.activeElement;
    returnToRef.current = origin === 'panel' && active instanceof HTMLElement && active !== document.body ? active : null;
    state.startCapture(origin);
    unfold();
    const failed = (message: string) => {
      // Only if annotate mode is still what the panel shows: the page may already have answered.
      if (store.getState().annotate.kind !== 'capturing') return;
      store.getState().endCapture();
      alert(message);
    };
    try {
      const reply = await client.capture('start');
      if (!reply.ok) failed(describeFailure(reply.error, { t }));
    } catch (failure) {
      failed(messageOf(failure, unreachable));
    }
  }

  /** Stops annotate mode if it runs; false when there was nothing to stop (Escape then means something else). */
  function cancelAnnotate(): boolean {
    const state = store.getState();
    if (state.annotate.kind !== 'capturing') return false;
    const { origin } = state.annotate;
    state.endCapture();
    announce(t('panel.notes.annotateCancelled'));
    client.capture('stop').then(
      (reply) => {
        if (!reply.ok) alert(describeFailure(reply.error, { t }));
      },
      (failure: unknown) => alert(messageOf(failure, unreachable)),
    );
    restoreFocus(origin);
    return true;
  }

  function onPageNoteEvent(event: PageNoteEvent) {
    const state = store.getState();
    if (event.kind === 'note-focused') {
      state.selectNote(event.noteId);
      return;
    }
    if (event.target === null) {
      // A cancel nobody here asked for (a late echo) needs no word. Focus stays on the page, where Esc was pressed.
      if (state.annotate.kind !== 'capturing') return;
      state.endCapture();
      returnToRef.current = null;
      if (event.problem) alert(describeProblem(event.problem, { t }));
      else announce(t('panel.notes.annotateCancelled'));
      return;
    }
    state.openComposer(event.target, currentItem ? itemKey(currentItem) : null, 'host');
    unfold();
    // The mentor pointed on the page, which has keyboard focus: the note is typed here next.
    client.takeFocus().catch(() => undefined);
    composerBodyRef.current?.focus();
  }

  async function saveComposer() {
    const state = store.getState();
    const composer = state.annotate;
    if (composer.kind !== 'composing' || composer.saving) return;
    const body = composer.body.trim();
    const refuse = (message: string) => {
      state.noteSaveFailed(message);
      composerBodyRef.current?.focus();
    };
    if (!body) return refuse(t('panel.composer.empty'));
    if (!currentItem) return refuse(t('panel.composer.noItem'));
    if (composer.itemKey !== null && composer.itemKey !== itemKey(currentItem)) {
      // The target was read off the item that was on screen then: pinned to this one, it would point at nothing.
      return refuse(t('panel.composer.otherItem', { item: currentItem.itemId }));
    }
    state.startSavingNote();
    let reply: Awaited<ReturnType<PanelClient['saveNote']>>;
    try {
      reply = await client.saveNote({
        item: currentItem,
        target: composer.target,
        body,
        ...(composer.errorTag ? { errorTag: composer.errorTag } : {}),
      });
    } catch (failure) {
      store.getState().noteSaveFailed(messageOf(failure, unreachable));
      return;
    }
    if (!reply.ok) {
      store.getState().noteSaveFailed(describeFailure(reply.error, { t }));
      return;
    }
    store.getState().closeComposer();
    announce(t('panel.composer.saved'));
    restoreFocus(composer.origin);
  }

  function cancelComposer() {
    const state = store.getState();
    const composer = state.annotate;
    if (composer.kind !== 'composing' || composer.saving) return;
    state.closeComposer();
    announce(composer.body.trim() ? t('panel.composer.discarded') : t('panel.notes.annotateCancelled'));
    restoreFocus(composer.origin);
  }

  function showOnPage(noteId: string) {
    store.getState().selectNote(noteId);
    client.showNote(noteId).catch(() => undefined);
  }

  async function send(request: () => ReturnType<PanelClient['replyToNote']>, done: string): Promise<NoteRequestResult> {
    try {
      const reply = await request();
      if (!reply.ok) return describeFailure(reply.error, { t });
    } catch (failure) {
      return messageOf(failure, unreachable);
    }
    announce(done);
    return null;
  }

  function reply(noteId: string, body: string): Promise<NoteRequestResult> {
    const text = body.trim();
    if (!text) return Promise.resolve(t('panel.reply.empty'));
    return send(() => client.replyToNote(noteId, { body: text }), t('panel.reply.sent'));
  }

  function acknowledge(noteId: string): Promise<NoteRequestResult> {
    return send(() => client.replyToNote(noteId, { acknowledged: true }), t('panel.note.acknowledged'));
  }

  async function remove(noteId: string, what: 'note' | 'reply'): Promise<NoteRequestResult> {
    const result = await send(() => client.deleteNote(noteId), what === 'note' ? t('panel.note.deleted') : t('panel.reply.deleted'));
    if (result === null && store.getState().selectedNoteId === noteId) store.getState().selectNote(null);
    return result;
  }

  function exportNotes() {
    if (!context || !currentItem) return;
    const collection = toAnnotationCollection(recordsOf(context.notes), {
      label: t('panel.notes.exportLabel', { item: currentItem.itemId, site: context.siteName }),
    });
    const fileName = notesExportFileName(currentItem.siteId, currentItem.itemId);
    saveFile(fileName, JSON.stringify(collection, null, 2));
    announce(t('panel.notes.exported', { file: fileName }));
  }

  // Declared after what they call (the compiler's rule): the listeners see the latest render's values.
  const onPageEvent = useEffectEvent((event: PageNoteEvent) => onPageNoteEvent(event));
  useEffect(() => client.onPageNoteEvent((event) => onPageEvent(event)), [client]);
  useEffect(() => client.onAnchors((anchors) => store.getState().setAnchors(anchors)), [client, store]);
  // The report the page made before this panel attached (or before the worker restarted) comes with the context.
  // A live report for the same item is newer than the context's copy, so it is never replaced by it.
  const contextAnchors = context?.anchors ?? null;
  useEffect(() => {
    if (!contextAnchors) return;
    const { anchors } = store.getState();
    if (anchors?.itemKey !== contextAnchors.itemKey) store.getState().setAnchors(contextAnchors);
  }, [contextAnchors, store]);

  return {
    startAnnotate,
    cancelAnnotate,
    saveComposer,
    cancelComposer,
    showOnPage,
    reply,
    acknowledge,
    remove,
    exportNotes,
  };
}

export type NoteActions = ReturnType<typeof useNoteActions>;
