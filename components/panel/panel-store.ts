/**
 * The panel's UI state: the draft verdict being typed, drafts stashed when the page moved to another item, what
 * the last save or undo said, and whether help is open; the notes slice (notes-slice.ts) adds annotate mode and
 * the note composer. Records are not here: the worker owns them and pushes a
 * PanelContext. One store per <Panel> (createPanelStore), so tests and StrictMode remounts never share a draft.
 */
import { createContext, useContext } from 'react';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { Audit, DetectedItem, Severity, Verdict, VerdictInput } from '@/lib/schemas';
import { createNotesSlice, type NotesUiState } from './notes-slice';

export interface Draft {
  /** `siteId:itemId` of the item the draft was started on; null before any item was read. */
  key: string | null;
  item: DetectedItem | null;
  /** When the item was first shown (from the context), for durationMs. */
  shownAt: number | null;
  verdict: Verdict | null;
  errorTags: string[];
  severity: Severity | null;
  correctedDecision: string;
  note: string;
}

/** A dirty draft left behind when the page moved to another item, waiting for "Save to …" or "Discard". */
export interface StashedDraft extends Draft {
  key: string;
  item: DetectedItem;
  /** When the analyst left the item: the end of the time spent on it. */
  stashedAt: number;
}

export type DraftTextField = 'correctedDecision' | 'note';

export type Notice = { kind: 'status' | 'alert'; text: string } | null;

export interface LastSaved {
  audit: Audit;
  /** Until when (epoch ms, by the panel's `now`) the verdict may be taken back. */
  undoUntil: number;
}

export interface PanelUiState extends NotesUiState {
  draft: Draft;
  stashes: StashedDraft[];
  /** The key of the draft (current or stashed) whose save is in flight; blocks a second submit. */
  savingKey: string | null;
  undoing: boolean;
  /** The last saved verdict while it can still be taken back. */
  lastSaved: LastSaved | null;
  /** What the last save, undo or check said: "Saved" is announced, failures are alerts. */
  notice: Notice;
  helpOpen: boolean;
  tagQuery: string;

  chooseVerdict(verdict: Verdict): void;
  /** Toggles a tag; a tag on a draft without a verdict (or marked correct) makes it incorrect. */
  toggleTag(tagId: string): void;
  setSeverity(severity: Severity | null): void;
  setText(field: DraftTextField, value: string): void;
  /** A context arrived: keep, reset, stash or restore the draft so it stays with the item it was started on. */
  showItem(key: string, item: DetectedItem, shownAt: number | null, now: number): void;
  discardStash(key: string): void;
  /** `saying` is the status shown meanwhile ("Saving…" in the panel's language), as for the other steps below. */
  startSaving(key: string, saying: string): void;
  /** The worker committed the verdict on `key`: clear that draft and remember the audit for undo. */
  saveSucceeded(key: string, lastSaved: LastSaved, saying: string): void;
  /** Nothing typed is lost: the draft stays as it was. */
  saveFailed(message: string): void;
  startUndo(saying: string): void;
  undoFinished(notice: Notice, stillUndoable: boolean): void;
  expireUndo(auditId: string): void;
  setNotice(notice: Notice): void;
  setHelpOpen(open: boolean): void;
  setTagQuery(query: string): void;
}

export function emptyDraft(key: string | null = null, item: DetectedItem | null = null, shownAt: number | null = null): Draft {
  return { key, item, shownAt, verdict: null, errorTags: [], severity: null, correctedDecision: '', note: '' };
}

/** Anything chosen or typed that has not been saved. */
export function isDirty(draft: Draft): boolean {
  return (
    draft.verdict !== null ||
    draft.errorTags.length > 0 ||
    draft.severity !== null ||
    draft.correctedDecision !== '' ||
    draft.note !== ''
  );
}

/** An alert answers the last attempt; changing the draft starts a new one. What was saved stays said. */
function clearAlert(notice: Notice): Notice {
  return notice?.kind === 'alert' ? null : notice;
}

export function createPanelStore(): StoreApi<PanelUiState> {
  return createStore<PanelUiState>()((set) => ({
    ...createNotesSlice(set),
    draft: emptyDraft(),
    stashes: [],
    savingKey: null,
    undoing: false,
    lastSaved: null,
    notice: null,
    helpOpen: false,
    tagQuery: '',

    chooseVerdict: (verdict) => set((s) => ({ draft: { ...s.draft, verdict }, notice: clearAlert(s.notice) })),

    toggleTag: (tagId) =>
      set((s) => {
        const has = s.draft.errorTags.includes(tagId);
        const errorTags = has ? s.draft.errorTags.filter((t) => t !== tagId) : [...s.draft.errorTags, tagId];
        const verdict = !has && (s.draft.verdict === null || s.draft.verdict === 'correct') ? 'incorrect' : s.draft.verdict;
        return { draft: { ...s.draft, errorTags, verdict }, notice: clearAlert(s.notice) };
      }),

    setSeverity: (severity) => set((s) => ({ draft: { ...s.draft, severity } })),

    setText: (field, value) => set((s) => ({ draft: { ...s.draft, [field]: value } })),

    showItem: (key, item, shownAt, now) =>
      set((s) => {
        if (s.draft.key === key || s.draft.key === null) {
          // Same item (fields such as the labeler may have been read later): keep the draft, refresh what was read.
          return { draft: { ...s.draft, key, item, shownAt } };
        }
        let stashes = s.stashes;
        if (isDirty(s.draft) && s.draft.item && s.draft.key) {
          const left: StashedDraft = { ...s.draft, key: s.draft.key, item: s.draft.item, stashedAt: now };
          stashes = [...stashes.filter((d) => d.key !== left.key), left];
        }
        // An alert about the item left behind ("pick a tag") would read as if it were about this one.
        const notice = clearAlert(s.notice);
        // Back on an item whose draft was stashed: pick it up again rather than ask for it to be saved elsewhere.
        const back = stashes.find((d) => d.key === key);
        if (back) {
          const { stashedAt: _stashedAt, ...draft } = back;
          return { draft: { ...draft, item, shownAt }, stashes: stashes.filter((d) => d !== back), tagQuery: '', notice };
        }
        return { draft: emptyDraft(key, item, shownAt), stashes, tagQuery: '', notice };
      }),

    discardStash: (key) => set((s) => ({ stashes: s.stashes.filter((d) => d.key !== key) })),

    startSaving: (key, saying) => set({ savingKey: key, notice: { kind: 'status', text: saying } }),

    saveSucceeded: (key, lastSaved, saying) =>
      set((s) => ({
        savingKey: null,
        lastSaved,
        notice: { kind: 'status', text: saying },
        draft: s.draft.key === key ? emptyDraft(s.draft.key, s.draft.item, s.draft.shownAt) : s.draft,
        stashes: s.stashes.filter((d) => d.key !== key),
      })),

    saveFailed: (message) => set({ savingKey: null, notice: { kind: 'alert', text: message } }),

    startUndo: (saying) => set({ undoing: true, notice: { kind: 'status', text: saying } }),

    undoFinished: (notice, stillUndoable) =>
      set((s) => ({ undoing: false, notice, lastSaved: stillUndoable ? s.lastSaved : null })),

    expireUndo: (auditId) =>
      set((s) => (s.lastSaved?.audit.id === auditId ? { lastSaved: null } : {})),

    setNotice: (notice) => set({ notice }),
    setHelpOpen: (helpOpen) => set({ helpOpen }),
    setTagQuery: (tagQuery) => set({ tagQuery }),
  }));
}

export const PanelStoreContext = createContext<StoreApi<PanelUiState> | null>(null);

export function usePanelStoreApi(): StoreApi<PanelUiState> {
  const store = useContext(PanelStoreContext);
  if (!store) throw new Error('usePanelStore needs a <PanelStoreContext.Provider> (rendered by <Panel>).');
  return store;
}

export function usePanelStore<T>(selector: (state: PanelUiState) => T): T {
  return useStore(usePanelStoreApi(), selector);
}

/** The longest time-on-item the schema accepts; anything longer (a tab left open overnight) says nothing. */
const MAX_DURATION_MS = 86_400_000;

/**
 * What the worker receives for a draft. A correct verdict carries no error tags, severity or corrected decision:
 * those describe an error, and counting them on a correct label would skew root-cause reports. Empty optional
 * text is left out (the schema refuses blank strings).
 */
export function verdictInputOf(draft: Draft, endedAt: number): VerdictInput {
  if (!draft.verdict) throw new Error('verdictInputOf needs a draft with a verdict');
  const isError = draft.verdict !== 'correct';
  const input: VerdictInput = { verdict: draft.verdict, errorTags: isError ? [...new Set(draft.errorTags)] : [] };
  if (isError && draft.severity) input.severity = draft.severity;
  const corrected = draft.correctedDecision.trim();
  if (isError && corrected) input.correctedDecision = corrected;
  const note = draft.note.trim();
  if (note) input.note = note;
  if (draft.shownAt !== null) {
    const duration = Math.max(0, Math.round(endedAt - draft.shownAt));
    if (duration <= MAX_DURATION_MS) input.durationMs = duration;
  }
  return input;
}
