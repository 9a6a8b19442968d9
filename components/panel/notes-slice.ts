/**
 * The notes part of the panel's UI state (issue 5): whether annotate mode runs on the page, the note being
 * written, which note is selected, which threads are open, and the page's last anchoring report. The notes
 * themselves are not here: the worker pushes them in the PanelContext. A slice of the panel's one store
 * (STYLE.md §4), so the verdict draft and the note composer never disagree about what the panel is doing.
 */
import type { NoteAnchors } from '@/lib/panel-client';
import type { NoteTarget } from '@/lib/schemas';

/** Where annotating was asked for: focus goes back there when it ends (see use-note-actions.ts). */
export type AnnotateOrigin = 'panel' | 'host';

export interface NoteComposerState {
  kind: 'composing';
  origin: AnnotateOrigin;
  target: NoteTarget;
  /** The item on screen when the mentor pointed at the target; null if Loupe had not read one. */
  itemKey: string | null;
  body: string;
  /** A tag id, or '' for none. */
  errorTag: string;
  saving: boolean;
  /** Why the last save failed, shown in the composer; what was typed stays. */
  error: string | null;
}

export type AnnotateState = { kind: 'idle' } | { kind: 'capturing'; origin: AnnotateOrigin } | NoteComposerState;

export interface NotesUiState {
  annotate: AnnotateState;
  /** The page's last report of which notes it found, for whichever item it was about (compare `itemKey`). */
  anchors: NoteAnchors | null;
  selectedNoteId: string | null;
  /** Increases on every selection, so the same note focused twice on the page is scrolled to twice. */
  selectionCount: number;
  /** Notes whose replies and reply box are shown. */
  openThreads: readonly string[];

  startCapture(origin: AnnotateOrigin): void;
  /** Annotate mode ended without a note (cancelled here or on the page, or it could not start). */
  endCapture(): void;
  /** The page reported a target. A second target while composing replaces the first and keeps the text. */
  openComposer(target: NoteTarget, itemKey: string | null, origin: AnnotateOrigin): void;
  setComposerBody(body: string): void;
  setComposerTag(tagId: string): void;
  startSavingNote(): void;
  noteSaveFailed(message: string): void;
  closeComposer(): void;
  setAnchors(anchors: NoteAnchors): void;
  /** Select a note (null clears) and open its thread. */
  selectNote(noteId: string | null): void;
  setThreadOpen(noteId: string, open: boolean): void;
}

type SetNotes = (partial: Partial<NotesUiState> | ((state: NotesUiState) => Partial<NotesUiState>)) => void;

export function createNotesSlice(set: SetNotes): NotesUiState {
  const composing = (state: NotesUiState, change: (c: NoteComposerState) => Partial<NoteComposerState>) =>
    state.annotate.kind === 'composing' ? { annotate: { ...state.annotate, ...change(state.annotate) } } : {};

  return {
    annotate: { kind: 'idle' },
    anchors: null,
    selectedNoteId: null,
    selectionCount: 0,
    openThreads: [],

    startCapture: (origin) => set({ annotate: { kind: 'capturing', origin } }),
    endCapture: () => set((s) => (s.annotate.kind === 'capturing' ? { annotate: { kind: 'idle' } } : {})),

    openComposer: (target, itemKey, origin) =>
      set((s) => {
        const before = s.annotate;
        if (before.kind === 'composing') {
          // Saving: the text is on its way with the first target; a late second one must not change what is sent.
          if (before.saving) return {};
          return { annotate: { ...before, target, itemKey, error: null } };
        }
        const from = before.kind === 'capturing' ? before.origin : origin;
        return { annotate: { kind: 'composing', origin: from, target, itemKey, body: '', errorTag: '', saving: false, error: null } };
      }),

    setComposerBody: (body) => set((s) => composing(s, () => ({ body }))),
    setComposerTag: (errorTag) => set((s) => composing(s, () => ({ errorTag }))),
    startSavingNote: () => set((s) => composing(s, () => ({ saving: true, error: null }))),
    noteSaveFailed: (error) => set((s) => composing(s, () => ({ saving: false, error }))),
    closeComposer: () => set((s) => (s.annotate.kind === 'composing' ? { annotate: { kind: 'idle' } } : {})),

    setAnchors: (anchors) => set({ anchors }),

    selectNote: (noteId) =>
      set((s) => ({
        selectedNoteId: noteId,
        selectionCount: s.selectionCount + 1,
        openThreads: noteId === null || s.openThreads.includes(noteId) ? s.openThreads : [...s.openThreads, noteId],
      })),

    setThreadOpen: (noteId, open) =>
      set((s) => {
        const has = s.openThreads.includes(noteId);
        if (has === open) return {};
        return { openThreads: open ? [...s.openThreads, noteId] : s.openThreads.filter((id) => id !== noteId) };
      }),
  };
}
