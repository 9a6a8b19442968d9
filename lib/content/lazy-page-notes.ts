/**
 * Mentors' notes on the page, with their code loaded only when it has work to do (issue 6). Most items have no
 * notes, and on those the page never evaluates anchoring, the note layer or annotate mode, and never has its text
 * indexed. The first list that holds a note, or annotate mode starting, asks the worker to inject the notes bundle
 * (lib/content/notes-bundle.ts); what the worker says meanwhile waits, and is applied in order once it is in.
 * From then on every call goes straight to page-notes.ts.
 */
import type { ProblemText } from '../problems';
import type { PageNote } from '../protocol';
import { injectedNotesBundle } from './notes-bundle';
import type { PageNotes, PageNotesOptions } from './page-notes';

export interface LazyPageNotesOptions extends PageNotesOptions {
  /** Asks the worker to inject the notes bundle into this page's content-script world; resolves once it ran. */
  injectBundle(): Promise<unknown>;
  /** The world the bundle registers itself in: this content script's global (tests pass their own). */
  world?: object;
}

/** Shown in the panel when annotate mode was asked for and the notes code could not be loaded. */
export const NOTES_UNAVAILABLE: ProblemText = {
  key: 'pin.unavailable',
  message: 'Loupe could not load annotate mode on this page: reload the page, then try again.',
};

export function startLazyPageNotes(options: LazyPageNotesOptions): PageNotes {
  const { injectBundle, world, ...pageOptions } = options;
  const { signal } = pageOptions;
  let notes: PageNotes | undefined;
  let loading = false;
  // What the worker asked for before the bundle was in: only the latest of each counts.
  let pendingList: { itemKey: string; notes: readonly PageNote[] } | undefined;
  let pendingShow: string | null | undefined;
  let pendingCapture = false;

  async function load(): Promise<void> {
    if (notes || loading || signal.aborted) return;
    loading = true;
    try {
      // Already there when the session restarted (settings changed) in the same page: no second injection.
      if (!injectedNotesBundle(world)) await injectBundle();
      const bundle = injectedNotesBundle(world);
      if (!bundle) throw new Error('the notes bundle ran but did not register itself');
      if (signal.aborted) return;
      notes = bundle.startPageNotes(pageOptions);
    } catch (error) {
      // The worker refused (site disabled meanwhile) or the extension was reloaded. A later list with notes tries
      // again; annotate mode, asked for now, is told it failed, so the panel does not wait for a pick that won't come.
      console.warn('Loupe could not load its notes:', error instanceof Error ? error.message : error);
      if (pendingCapture) {
        pendingCapture = false;
        options.onCaptured(null, NOTES_UNAVAILABLE);
      }
      return;
    } finally {
      loading = false;
    }
    if (pendingList) notes.setNotes(pendingList.itemKey, pendingList.notes);
    if (pendingShow !== undefined) notes.showNote(pendingShow);
    if (pendingCapture) notes.startCapture();
    pendingList = undefined;
    pendingShow = undefined;
    pendingCapture = false;
  }

  return {
    setNotes(itemKey, list) {
      if (notes) return notes.setNotes(itemKey, list);
      pendingList = { itemKey, notes: list };
      // An item without notes needs none of the code: nothing to anchor, nothing to show, nothing to report.
      if (list.length > 0) void load();
    },
    startCapture() {
      if (notes) return notes.startCapture();
      // At once, not when the bundle is in: Esc and Enter of annotate mode must reach the page.
      options.returnFocus();
      pendingCapture = true;
      void load();
    },
    stopCapture() {
      if (notes) notes.stopCapture();
      else pendingCapture = false;
    },
    showNote(noteId) {
      if (notes) notes.showNote(noteId);
      else pendingShow = noteId;
    },
    get capturing() {
      // While annotate mode is on its way the page's Loupe keys stand aside already, as they will once it runs.
      return notes ? notes.capturing : pendingCapture;
    },
  };
}
