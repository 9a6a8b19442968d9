/**
 * Shows mentors' inline notes on the labeling page (issue 5) without changing the page's DOM: the tool's own
 * scripts, its serialisers and its diffing renderers must see exactly the document they built. So no wrapping
 * spans, classes or attributes in the page. Text is painted with the CSS Custom Highlight API (its `::highlight()`
 * rule goes in as a constructed, adopted stylesheet, not a <style> element); elements, and text where that API is
 * missing, get boxes drawn from their client rects in an overlay of our own, in a closed shadow root on a host
 * outside <body> (single-page tools replace the body's children).
 *
 * The overlay never takes the mouse (`pointer-events: none`): hover is found by testing the pointer against the
 * anchored rects, because Highlight API text is not hit-testable. Keyboard users reach each note through a
 * focusable marker, in document order, that shows the same tooltip. Note bodies are typed in the panel iframe;
 * here they are only shown, inside the closed shadow root, as text.
 *
 * This file composes the layer: the highlights, when to measure and draw (scrolls, resizes, the pointer),
 * scrolling to a note. The host is overlay-host.ts; what is drawn per note is note-markers.ts; the tooltip is
 * note-tooltip.ts.
 */
import type { PageWords } from './page-text';
import {
  AMBER,
  anchorRects,
  BLUE,
  createNoteMarks,
  drawMarks,
  endFlash,
  FILL,
  FILL_STRONG,
  flashMarks,
  inDocumentOrder,
  MARKER_CSS,
  noteAt,
  noteMarkerLabel,
  overlayElement,
  type NoteMarks,
  type Rect,
} from './note-markers';
import { createNoteTooltip, TOOLTIP_CSS } from './note-tooltip';
import { mountOverlayHost } from './overlay-host';

export type NoteAnchor = { kind: 'text'; range: Range } | { kind: 'element'; element: Element };

export interface ShownNote {
  id: string;
  anchor: NoteAnchor;
  author: string;
  body: string;
  tagLabel?: string;
  replies?: number;
  acknowledged?: boolean;
}

export interface NoteLayer {
  /** `<loupe-notes>`, appended to `<html>`: what capture and the panel must treat as Loupe's own. */
  readonly host: HTMLElement;
  /** Replaces the notes shown (any order; markers follow document order). */
  show(notes: readonly ShownNote[]): void;
  /** The note selected in the panel gets a stronger style; `null` for none. */
  select(id: string | null): void;
  /** Scrolls the note's target into view, flashes it and focuses its marker. False when the note is not shown. */
  scrollToNote(id: string): boolean;
  /** Recomputes positions on the next frame: for layout changes nothing else reports (content moved above). */
  refresh(): void;
  /** Removes everything: host, highlights, the adopted stylesheet, listeners. Also on `signal` abort. */
  destroy(): void;
}

export interface NoteLayerOptions {
  doc: Document;
  win?: Window;
  signal?: AbortSignal;
  /** A marker got keyboard focus (not from `scrollToNote`): the panel can select that note. */
  onNoteFocus?(id: string): void;
  /** False draws text as overlay boxes even where the Highlight API exists (tests, or a page that fights it). */
  useHighlightApi?: boolean;
  /** Markers' accessible names in the user's language (from the worker); English by default. */
  words?: Pick<PageWords, 'noteMarker' | 'noteMarkerTagged'>;
}

const LAYER_CSS = MARKER_CSS + TOOLTIP_CSS;

/** What we use off the page's window; the Highlight API is optional (Firefox < 140, happy-dom). */
type PageWindow = Window &
  Pick<typeof globalThis, 'CSSStyleSheet' | 'requestAnimationFrame' | 'cancelAnimationFrame'> & {
    ResizeObserver?: typeof ResizeObserver;
    Highlight?: typeof Highlight;
    CSS?: { highlights?: HighlightRegistry };
  };

const ELEMENT_NODE = 1;

export function createNoteLayer(options: NoteLayerOptions): NoteLayer {
  const { doc, signal, onNoteFocus, useHighlightApi = true } = options;
  const win = (options.win ?? doc.defaultView ?? window) as PageWindow;
  const { host, root } = mountOverlayHost(doc, 'loupe-notes', LAYER_CSS);
  const listeners = new AbortController();
  const on = { signal: listeners.signal };

  let entries: NoteMarks[] = [];
  const tooltip = createNoteTooltip({ doc, viewport, find: (id) => entries.find((e) => e.note.id === id) });
  const groups = overlayElement(doc, 'div', 'groups');
  const markers = overlayElement(doc, 'div', 'markers');
  root.append(groups, markers, tooltip.element);

  const highlights = startHighlights();
  let selectedId: string | null = null;
  let pointer: { x: number; y: number } | null = null;
  let frame = 0;
  let layoutDue = false;
  let quietFocus = false;
  let destroyed = false;

  const resizeObserver = win.ResizeObserver ? new win.ResizeObserver(() => scheduleFrame(true)) : null;

  /**
   * The page's highlight registry is shared by name, so ours carry a per-instance suffix: no clash with the tool's
   * own highlights or with a page rule aimed at `::highlight(loupe-…)`. Null where the API or adopting a document
   * sheet is unavailable; text is then drawn as boxes.
   */
  function startHighlights() {
    const registry = win.CSS?.highlights;
    const HighlightClass = win.Highlight;
    if (!useHighlightApi || !registry || !HighlightClass) return null;
    const name = `loupe-note-${Math.random().toString(36).slice(2, 10)}`;
    let sheet: CSSStyleSheet;
    try {
      sheet = new win.CSSStyleSheet();
      sheet.replaceSync(
        `::highlight(${name}) { background-color: ${FILL}; text-decoration: underline 2px ${AMBER}; }\n` +
          `::highlight(${name}-selected) { background-color: ${FILL_STRONG}; text-decoration: underline 3px ${BLUE}; }`,
      );
      doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
    } catch {
      return null; // Firefox refuses constructed sheets from content scripts (bug 1770592): draw boxes instead.
    }
    const normal = new HighlightClass();
    const selected = new HighlightClass();
    selected.priority = 1;
    registry.set(name, normal);
    registry.set(`${name}-selected`, selected);
    return {
      update(list: readonly NoteMarks[]) {
        normal.clear();
        selected.clear();
        for (const { note } of list) {
          if (note.anchor.kind === 'text') (note.id === selectedId ? selected : normal).add(note.anchor.range);
        }
      },
      remove() {
        if (registry.get(name) === normal) registry.delete(name);
        if (registry.get(`${name}-selected`) === selected) registry.delete(`${name}-selected`);
        // Others may have adopted sheets since: take ours out, leave theirs.
        doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
      },
    };
  }

  function viewport() {
    const { clientWidth, clientHeight } = doc.documentElement;
    return { width: clientWidth || win.innerWidth, height: clientHeight || win.innerHeight };
  }

  /** At most one frame of work queued, whatever fires: scrolls, resizes and mouse moves come far faster. */
  function scheduleFrame(withLayout: boolean) {
    if (destroyed) return;
    layoutDue ||= withLayout;
    if (frame) return;
    frame = win.requestAnimationFrame(() => {
      frame = 0;
      if (destroyed) return;
      if (layoutDue) layout();
      else hover();
    });
  }

  /** All reads, then all writes: one style recalculation per frame however many notes there are. */
  function layout() {
    layoutDue = false;
    for (const entry of entries) entry.rects = anchorRects(entry.note.anchor);
    for (const entry of entries) draw(entry);
    hover();
  }

  /** The content may have moved under a still pointer, so this runs after every layout too. */
  function hover() {
    tooltip.setHovered(pointer ? noteAt(entries, pointer.x, pointer.y) : null);
    tooltip.update();
  }

  function draw(entry: NoteMarks) {
    drawMarks(doc, entry, { selected: entry.note.id === selectedId, textPainted: highlights !== null });
  }

  function isInView(rects: Rect[]): boolean {
    const view = viewport();
    return rects.some((r) => r.bottom > 0 && r.top < view.height && r.right > 0 && r.left < view.width);
  }

  function scrollBehavior(): ScrollBehavior {
    return win.matchMedia?.('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth';
  }

  function scrollAnchorIntoView(anchor: NoteAnchor, block: ScrollLogicalPosition) {
    const behavior = scrollBehavior();
    if (anchor.kind === 'element') {
      anchor.element.scrollIntoView({ block, inline: 'nearest', behavior });
      return;
    }
    // A Range cannot scroll itself. Its start's element can, unless that element is taller than the viewport (a
    // long paragraph, the whole body): then the window is scrolled to the quote's own rect.
    const start = anchor.range.startContainer;
    const element = start.nodeType === ELEMENT_NODE ? (start as Element) : start.parentElement;
    if (!element) return;
    const view = viewport();
    const box = element.getBoundingClientRect();
    if (box.height <= view.height * 0.8) {
      element.scrollIntoView({ block, inline: 'nearest', behavior });
      return;
    }
    const rect = anchor.range.getBoundingClientRect();
    win.scrollBy({ top: rect.top - (view.height - rect.height) / 2, behavior });
  }

  function makeEntry(note: ShownNote): NoteMarks {
    const entry = createNoteMarks(doc, note, tooltip.element.id);
    const { group, marker } = entry;
    group.addEventListener('animationend', () => endFlash(entry, draw), on);
    marker.addEventListener('focus', () => {
      tooltip.setFocused(entry.note.id);
      if (!quietFocus) {
        // Tabbing to a marker brings its note on screen; the overlay is fixed, so focus alone would not.
        if (entry.rects.length > 0 && !isInView(entry.rects)) scrollAnchorIntoView(entry.note.anchor, 'nearest');
        onNoteFocus?.(entry.note.id);
      }
      tooltip.update();
    }, on);
    marker.addEventListener('blur', () => {
      tooltip.clearFocus(entry.note.id);
      tooltip.update();
    }, on);
    return entry;
  }

  function show(notes: readonly ShownNote[]) {
    if (destroyed) return;
    const previous = new Map(entries.map((entry) => [entry.note.id, entry]));
    entries = inDocumentOrder(doc, notes).map((note) => {
      const entry = previous.get(note.id) ?? makeEntry(note);
      previous.delete(note.id);
      entry.note = note;
      entry.marker.setAttribute('aria-label', noteMarkerLabel(note, options.words));
      return entry;
    });
    for (const gone of previous.values()) {
      gone.group.remove();
      gone.marker.remove();
    }
    // Appending in order moves existing nodes: the markers' tab order is the notes' document order.
    groups.append(...entries.map((e) => e.group));
    markers.append(...entries.map((e) => e.marker));
    tooltip.forgetContent(); // The note's text may have changed: refilled by the layout below.
    highlights?.update(entries);
    resizeObserver?.disconnect();
    if (resizeObserver) {
      resizeObserver.observe(doc.documentElement);
      for (const { note } of entries) {
        const { anchor } = note;
        const target = anchor.kind === 'element' ? anchor.element : anchor.range.commonAncestorContainer;
        const element = target.nodeType === ELEMENT_NODE ? (target as Element) : target.parentElement;
        if (element) resizeObserver.observe(element);
      }
    }
    layout();
  }

  function destroy() {
    if (destroyed) return;
    destroyed = true;
    listeners.abort();
    if (frame) win.cancelAnimationFrame(frame);
    resizeObserver?.disconnect();
    highlights?.remove();
    host.remove();
    entries = [];
  }

  // Scrolls of any scroller reach a capturing window listener even though `scroll` does not bubble.
  const passive = { capture: true, passive: true, signal: listeners.signal };
  win.addEventListener('scroll', () => scheduleFrame(true), passive);
  win.addEventListener('resize', () => scheduleFrame(true), passive);
  win.addEventListener(
    'mousemove',
    (event) => {
      pointer = { x: event.clientX, y: event.clientY };
      scheduleFrame(false);
    },
    passive,
  );
  // The pointer left the window, or went into an iframe (the panel's moves never reach the page).
  win.addEventListener(
    'mouseout',
    (event) => {
      const to = event.relatedTarget as Element | null;
      if (to !== null && to.localName !== 'iframe') return;
      pointer = null;
      hover();
    },
    passive,
  );
  // Esc dismisses the tooltip (WCAG 1.4.13) but is not swallowed: the page may close its own dialog with it.
  win.addEventListener(
    'keydown',
    (event) => {
      if (event.key === 'Escape' && !tooltip.element.hidden) tooltip.dismiss();
    },
    { capture: true, signal: listeners.signal },
  );
  signal?.addEventListener('abort', destroy, { once: true, signal: listeners.signal });
  if (signal?.aborted) destroy();

  return {
    host,
    show,
    select(id) {
      if (destroyed || id === selectedId) return;
      selectedId = id;
      highlights?.update(entries);
      for (const entry of entries) entry.group.classList.toggle('selected', entry.note.id === id);
    },
    scrollToNote(id) {
      const entry = entries.find((e) => e.note.id === id);
      if (!entry || destroyed) return false;
      scrollAnchorIntoView(entry.note.anchor, 'center');
      entry.rects = anchorRects(entry.note.anchor);
      flashMarks(entry, draw);
      if (!entry.marker.hidden) {
        // The panel asked for this note: telling it back (onNoteFocus) would only echo.
        quietFocus = true;
        try {
          entry.marker.focus({ preventScroll: true });
        } finally {
          quietFocus = false;
        }
      }
      scheduleFrame(true);
      return true;
    },
    refresh: () => scheduleFrame(true),
    destroy,
  };
}
