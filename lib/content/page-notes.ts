/**
 * Mentors' notes on the labeling page (issue 5): anchors the notes the worker sends for the item on screen,
 * shows them through the note layer without touching the page's DOM, anchors them again as the page renders late,
 * re-renders or swaps items, and runs annotate mode. Everything here hangs off `signal`.
 *
 * Re-anchoring follows the page: a MutationObserver on the body (never on Loupe's own elements, which live under
 * <html>), debounced so a page that mutates continuously costs one anchoring pass per `REANCHOR_DEBOUNCE_MS`, at
 * most every `REANCHOR_MAX_WAIT_MS`, and backing off when a pass was slow. It observes only while there are notes.
 */
import type { PageWords } from './page-text';
import { anchorNotes } from '../notes/anchoring';
import { describeElement, describeForPeople, describeTextRange } from '../notes/describe-target';
import { isInsideLoupeElement } from '../notes/text-index';
import type { ProblemText } from '../problems';
import type { PageNote } from '../protocol';
import type { NoteTarget } from '../schemas';
import { startCapture } from './note-capture';
import { createNoteLayer, type ShownNote } from './note-layer';

export const REANCHOR_DEBOUNCE_MS = 150;
export const REANCHOR_MAX_WAIT_MS = 1_000;
/** A pass slower than this doubles the debounce (up to 8×), so a huge page is not re-read on every change. */
const SLOW_PASS_MS = 16;

export interface PageNotesOptions {
  doc: Document;
  win: Window;
  signal: AbortSignal;
  /** Which notes the page shows for `itemKey` and which it could not find. Called when that changes. */
  onAnchors(itemKey: string, found: string[], missing: string[]): void;
  /** Annotate mode ended: a target, or null with maybe the reason nothing could be pinned. */
  /** `problem`: why nothing could be pinned, in English and by key for the panel's language (lib/problems.ts). */
  onCaptured(target: NoteTarget | null, problem?: ProblemText): void;
  onNoteFocused(noteId: string): void;
  /** Keyboard focus back to the page, so Esc and Enter of annotate mode reach it rather than the panel. */
  returnFocus(): void;
  /** What annotate mode and the markers say on the page, in the user's language (from the worker's hello). */
  words?: PageWords;
}

export interface PageNotes {
  /** The notes for the item now on screen (the worker's list replaces any before). */
  setNotes(itemKey: string, notes: readonly PageNote[]): void;
  startCapture(): void;
  stopCapture(): void;
  /** Scroll to a note and mark it selected; null clears the selection. */
  showNote(noteId: string | null): void;
  /** True while annotate mode runs: the page's Loupe keys stand aside (Enter, Esc belong to it). */
  readonly capturing: boolean;
}

export function startPageNotes(options: PageNotesOptions): PageNotes {
  const { doc, win, signal } = options;
  const layer = createNoteLayer({ doc, win, signal, onNoteFocus: options.onNoteFocused, ...(options.words ? { words: options.words } : {}) });
  let current: { itemKey: string; notes: readonly PageNote[] } | null = null;
  let lastReport = '';
  let capture: { stop(): void } | undefined;
  let debounce = REANCHOR_DEBOUNCE_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstPendingAt: number | undefined;
  let lastChangeAt = 0;
  let selected: string | null = null;
  /** What the last pass anchored, to tell whether a later change to the page touched any of it. */
  let anchored: Array<{ range: Range; text: string } | { element: Element }> = [];
  let missingCount = 0;

  const root = () => doc.body;

  /**
   * True while every note was found and every anchor is still in the page as it was: a change elsewhere (a
   * ticking clock, a live counter) then costs this check (microseconds for 50 notes), not a pass (milliseconds).
   */
  function stillAnchored(): boolean {
    if (missingCount > 0) return false;
    return anchored.every((anchor) =>
      'element' in anchor
        ? anchor.element.isConnected
        : anchor.range.startContainer.isConnected && anchor.range.endContainer.isConnected && anchor.range.toString() === anchor.text,
    );
  }

  function reanchorIfMoved(): void {
    if (stillAnchored()) {
      timer = undefined;
      firstPendingAt = undefined;
      return;
    }
    anchorNow();
  }

  function anchorNow(): void {
    timer = undefined;
    firstPendingAt = undefined;
    if (signal.aborted || !current || !root()) return;
    const started = win.performance.now();
    const anchors = anchorNotes(
      current.notes.map((note) => ({ id: note.id, target: note.target })),
      root()!,
    );
    const shown: ShownNote[] = [];
    const found: string[] = [];
    const missing: string[] = [];
    for (const note of current.notes) {
      const anchor = anchors.get(note.id);
      if (!anchor) {
        missing.push(note.id);
        continue;
      }
      found.push(note.id);
      shown.push({
        id: note.id,
        anchor: anchor.kind === 'text' ? { kind: 'text', range: anchor.range } : { kind: 'element', element: anchor.element },
        author: note.authorId,
        body: note.body,
        ...(note.tagLabel ? { tagLabel: note.tagLabel } : {}),
        replies: note.replies,
        acknowledged: note.acknowledged,
      });
    }
    layer.show(shown);
    anchored = shown.map(({ anchor }) => (anchor.kind === 'text' ? { range: anchor.range, text: anchor.range.toString() } : { element: anchor.element }));
    missingCount = missing.length;
    if (selected && found.includes(selected)) layer.select(selected);
    const elapsed = win.performance.now() - started;
    debounce = elapsed > SLOW_PASS_MS ? Math.min(debounce * 2, REANCHOR_DEBOUNCE_MS * 8) : REANCHOR_DEBOUNCE_MS;
    const report = `${current.itemKey}|${found.join(',')}|${missing.join(',')}`;
    if (report !== lastReport) {
      lastReport = report;
      options.onAnchors(current.itemKey, found, missing);
    }
  }

  /** Debounced, but never put off past the max wait: a page that never stops changing still gets its notes. */
  function dueIn(now: number): number {
    return Math.max(0, Math.min(lastChangeAt + debounce, (firstPendingAt ?? now) + REANCHOR_MAX_WAIT_MS) - now);
  }

  /**
   * On a page that mutates every frame this runs 60 times a second, so it only notes the time: the pending timer
   * looks at it when it fires and waits out the rest. Clearing and setting a timer on every change was half of
   * the notes' own main-thread time on such a page (issue 6, tests/bench/notes.perf.ts).
   */
  function scheduleAnchor(): void {
    if (!current || current.notes.length === 0) return;
    const at = Date.now();
    lastChangeAt = at;
    firstPendingAt ??= at;
    timer ??= setTimeout(onTimer, dueIn(at));
  }

  function onTimer(): void {
    const wait = dueIn(Date.now());
    if (wait > 0) {
      timer = setTimeout(onTimer, wait);
      return;
    }
    reanchorIfMoved();
  }

  const observer = new MutationObserver((records) => {
    // Mutations inside Loupe's own elements (none under <body> today, but a page may move them) are not the page.
    if (records.every((record) => isInsideLoupeElement(record.target))) return;
    scheduleAnchor();
  });
  const observe = () => {
    const body = root();
    if (body) observer.observe(body, { childList: true, subtree: true, characterData: true });
  };
  signal.addEventListener(
    'abort',
    () => {
      observer.disconnect();
      if (timer !== undefined) clearTimeout(timer);
      capture?.stop();
    },
    { once: true },
  );

  function stopCapture(): void {
    capture?.stop();
    capture = undefined;
  }

  return {
    setNotes(itemKey, notes) {
      current = { itemKey, notes };
      observer.disconnect();
      if (notes.length > 0) observe();
      if (timer !== undefined) clearTimeout(timer);
      anchorNow();
    },
    startCapture() {
      if (capture || !root()) return;
      options.returnFocus();
      capture = startCapture({
        doc,
        win,
        signal,
        isOwnElement: isInsideLoupeElement,
        describe: (element) => describeForPeople(element),
        ...(options.words ? { words: options.words } : {}),
        onTarget: (target) => {
          capture = undefined;
          const body = root();
          if (!body) return options.onCaptured(null, { key: 'pin.noContent', message: 'The page has no content to pin a note to.' });
          const described = target.kind === 'text' ? describeTextRange(target.range, body) : describeElement(target.element, body);
          if (described.ok) options.onCaptured(described.target);
          else options.onCaptured(null, { message: described.message, key: described.key, ...(described.params ? { params: described.params } : {}) });
        },
        onCancel: () => {
          capture = undefined;
          options.onCaptured(null);
        },
      });
    },
    stopCapture,
    showNote(noteId) {
      selected = noteId;
      layer.select(noteId);
      if (noteId) layer.scrollToNote(noteId);
    },
    get capturing() {
      return capture !== undefined;
    },
  };
}
