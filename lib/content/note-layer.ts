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
 */

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
}

/** Just below the panel iframe (2147483646, panel-frame.ts), above anything a page is likely to stack. */
export const OVERLAY_Z_INDEX = '2147483645';
/** A quote may run over many lines; beyond this many rects per note the rest is not drawn, to bound each frame. */
const MAX_RECTS_PER_NOTE = 64;
const MARKER_LABEL_CHARS = 60;
const TOOLTIP_BODY_CHARS = 600;

// Okabe–Ito orange and blue: told apart under every common colour-vision deficiency. A dark ring and a light
// ring around boxes keep them visible on light and dark pages alike; selection also changes thickness and fill,
// so it does not rest on colour alone.
const AMBER = '#e69f00';
const BLUE = '#0072b2';
const FILL = 'rgb(255 191 0 / .35)';
const FILL_STRONG = 'rgb(255 191 0 / .6)';

const HOST_STYLE: ReadonlyArray<readonly [string, string]> = [
  // `all` first so the page's rules for unknown elements (`html > * { … }`) cannot reach in; inline and
  // !important because the page's stylesheets otherwise beat `:host`.
  ['all', 'initial'],
  ['display', 'block'],
  ['position', 'fixed'],
  ['inset', '0'],
  ['pointer-events', 'none'],
  ['z-index', OVERLAY_Z_INDEX],
  ['contain', 'strict'],
  ['visibility', 'visible'],
  ['opacity', '1'],
];

const LAYER_CSS = `
.box { position: absolute; left: 0; top: 0; box-sizing: border-box; pointer-events: none; }
.mark { background: ${FILL}; box-shadow: inset 0 -2px ${AMBER}; }
.outline { border: 2px solid ${AMBER}; background: rgb(255 191 0 / .08);
  box-shadow: 0 0 0 1px rgb(0 0 0 / .7), inset 0 0 0 1px rgb(255 255 255 / .8); }
.selected .mark { background: ${FILL_STRONG}; box-shadow: inset 0 -3px ${BLUE}; }
.selected .outline { border: 4px double ${BLUE}; background: rgb(255 191 0 / .18); }
.flash .box { animation: loupe-flash .5s ease-in-out 3; }
@keyframes loupe-flash { 50% { background: rgb(255 191 0 / .8); box-shadow: 0 0 0 4px ${AMBER}; } }
.marker { position: absolute; left: 0; top: 0; width: 18px; height: 18px; margin: 0; padding: 0;
  border: 2px solid #000; border-radius: 50%; background: ${AMBER}; opacity: 0; pointer-events: none; }
.marker:focus { opacity: 1; outline: 3px solid #fff; outline-offset: 0; box-shadow: 0 0 0 5px ${BLUE}; }
.tip { position: absolute; left: 0; top: 0; box-sizing: border-box; max-width: min(320px, 90vw); padding: 8px 10px;
  background: #1f1f1f; color: #fff; border: 1px solid ${AMBER}; border-radius: 6px;
  box-shadow: 0 2px 10px rgb(0 0 0 / .4); font: 13px/1.4 system-ui, sans-serif; pointer-events: none;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.tip[hidden] { display: none; }
.tip-head { font-weight: 600; }
.tip-tag { display: inline-block; margin-left: 6px; padding: 0 6px; border-radius: 9px; background: ${AMBER};
  color: #000; font-weight: 600; font-size: 12px; }
.tip-body { margin-top: 4px; }
.tip-meta { margin-top: 4px; color: #c8c8c8; font-size: 12px; }
`;

export interface OverlayHost {
  host: HTMLElement;
  root: ShadowRoot;
}

/**
 * A full-viewport, click-through host with a closed shadow root, appended to `<html>`. Shared with annotate mode
 * (note-capture.ts). Closed, so the page's scripts cannot walk into it; its styles come in as a constructed sheet
 * (CSSOM is not subject to the page's `style-src`), with a <style> inside the shadow root where a browser refuses
 * constructed sheets from a content script (Firefox, bug 1770592).
 */
export function mountOverlayHost(doc: Document, tagName: string, css: string): OverlayHost {
  const host = doc.createElement(tagName);
  for (const [property, value] of HOST_STYLE) host.style.setProperty(property, value, 'important');
  const root = host.attachShadow({ mode: 'closed' });
  try {
    const sheet = new ((doc.defaultView ?? window) as PageWindow).CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = doc.createElement('style');
    style.textContent = css;
    root.append(style);
  }
  doc.documentElement.append(host);
  return { host, root };
}

/** "Note by Ana (Wrong policy): The first words of the…", for a marker's accessible name. */
export function noteMarkerLabel(note: Pick<ShownNote, 'author' | 'body' | 'tagLabel'>): string {
  const words = note.body.replace(/\s+/g, ' ').trim();
  const head = words.length > MARKER_LABEL_CHARS ? `${words.slice(0, MARKER_LABEL_CHARS).replace(/\s+\S*$/, '')}…` : words;
  const tag = note.tagLabel ? ` (${note.tagLabel})` : '';
  return `Note by ${note.author}${tag}: ${head}`;
}

interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
  width: number;
  height: number;
}

interface Entry {
  note: ShownNote;
  group: HTMLDivElement;
  marker: HTMLButtonElement;
  boxes: HTMLDivElement[];
  rects: Rect[];
  flashing: boolean;
}

/** What we use off the page's window; the Highlight API is optional (Firefox < 140, happy-dom). */
type PageWindow = Window &
  Pick<typeof globalThis, 'CSSStyleSheet' | 'requestAnimationFrame' | 'cancelAnimationFrame'> & {
    ResizeObserver?: typeof ResizeObserver;
    Highlight?: typeof Highlight;
    CSS?: { highlights?: HighlightRegistry };
  };

const ELEMENT_NODE = 1;

function anchorRects(anchor: NoteAnchor): Rect[] {
  if (anchor.kind === 'element') {
    if (!anchor.element.isConnected) return [];
    const rect = anchor.element.getBoundingClientRect();
    return rect.width > 0 || rect.height > 0 ? [rect] : [];
  }
  if (!anchor.range.startContainer.isConnected || anchor.range.collapsed) return [];
  const rects: Rect[] = [];
  for (const rect of Array.from(anchor.range.getClientRects())) {
    // Empty rects mark line ends and element boundaries the range only touches.
    if (rect.width > 0 && rect.height > 0) rects.push(rect);
    if (rects.length === MAX_RECTS_PER_NOTE) break;
  }
  return rects;
}

/** Where the anchor starts, as a collapsed range: for sorting notes into document order. */
function anchorStart(doc: Document, anchor: NoteAnchor): Range | null {
  try {
    const range = doc.createRange();
    if (anchor.kind === 'element') range.setStartBefore(anchor.element);
    else range.setStart(anchor.range.startContainer, anchor.range.startOffset);
    return range;
  } catch {
    return null; // A detached element has no position; it sorts last.
  }
}

function inDocumentOrder(doc: Document, notes: readonly ShownNote[]): ShownNote[] {
  const starts = new Map(notes.map((note) => [note, anchorStart(doc, note.anchor)]));
  return [...notes].sort((a, b) => {
    const sa = starts.get(a);
    const sb = starts.get(b);
    if (!sa || !sb) return sa ? -1 : sb ? 1 : 0;
    try {
      return sa.compareBoundaryPoints(Range.START_TO_START, sb);
    } catch {
      return 0; // Different roots (one in a detached subtree): no order to keep.
    }
  });
}

function contains(rect: Rect, x: number, y: number): boolean {
  return x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom;
}

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function createNoteLayer(options: NoteLayerOptions): NoteLayer {
  const { doc, signal, onNoteFocus, useHighlightApi = true } = options;
  const win = (options.win ?? doc.defaultView ?? window) as PageWindow;
  const { host, root } = mountOverlayHost(doc, 'loupe-notes', LAYER_CSS);
  const listeners = new AbortController();
  const on = { signal: listeners.signal };

  const tip = el(doc, 'div', 'tip');
  tip.id = 'loupe-note-tip';
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;
  const groups = el(doc, 'div', 'groups');
  const markers = el(doc, 'div', 'markers');
  root.append(groups, markers, tip);

  const highlights = startHighlights();
  let entries: Entry[] = [];
  let selectedId: string | null = null;
  let focusedId: string | null = null;
  let hoveredId: string | null = null;
  let dismissedId: string | null = null;
  let tipFor: { id: string; width: number; height: number } | null = null;
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
      update(list: readonly Entry[]) {
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
    const id = pointer ? noteAt(pointer.x, pointer.y) : null;
    if (id !== hoveredId) {
      hoveredId = id;
      // Esc dismissed one note's tooltip; moving to another (or off) brings tooltips back.
      if (dismissedId !== null && dismissedId !== focusedId && dismissedId !== id) dismissedId = null;
    }
    updateTip();
  }

  function draw(entry: Entry) {
    const { note, rects, group, marker } = entry;
    const isText = note.anchor.kind === 'text';
    // Text painted by the Highlight API needs boxes only to flash.
    const drawn = !isText ? rects.slice(0, 1) : !highlights || entry.flashing ? rects : [];
    while (entry.boxes.length > drawn.length) entry.boxes.pop()?.remove();
    while (entry.boxes.length < drawn.length) {
      const box = el(doc, 'div', `box ${isText ? 'mark' : 'outline'}`);
      group.append(box);
      entry.boxes.push(box);
    }
    drawn.forEach((rect, index) => {
      const box = entry.boxes[index];
      if (!box) return;
      box.style.transform = `translate(${rect.left}px, ${rect.top}px)`;
      box.style.width = `${rect.width}px`;
      box.style.height = `${rect.height}px`;
    });
    group.classList.toggle('selected', note.id === selectedId);
    const first = rects[0];
    // A target that is not rendered (display: none, removed) has nothing to point at: its marker leaves the tab order.
    marker.hidden = !first;
    if (first) marker.style.transform = `translate(${first.left - 9}px, ${first.top - 9}px)`;
  }

  /** The smallest note under the point: nested targets (a word inside a highlighted element) stay reachable. */
  function noteAt(x: number, y: number): string | null {
    let best: { id: string; area: number } | null = null;
    for (const { note, rects } of entries) {
      for (const rect of rects) {
        const area = rect.width * rect.height;
        if (contains(rect, x, y) && (!best || area < best.area)) best = { id: note.id, area };
      }
    }
    return best?.id ?? null;
  }

  function fillTip(note: ShownNote) {
    const head = el(doc, 'div', 'tip-head', note.author);
    if (note.tagLabel) head.append(el(doc, 'span', 'tip-tag', note.tagLabel));
    const body = note.body.length > TOOLTIP_BODY_CHARS ? `${note.body.slice(0, TOOLTIP_BODY_CHARS)}…` : note.body;
    const meta: string[] = [];
    if (note.replies) meta.push(note.replies === 1 ? '1 reply' : `${note.replies} replies`);
    if (note.acknowledged) meta.push('Acknowledged');
    tip.replaceChildren(head, el(doc, 'div', 'tip-body', body));
    if (meta.length > 0) tip.append(el(doc, 'div', 'tip-meta', meta.join(' · ')));
  }

  function updateTip() {
    const id = focusedId ?? hoveredId;
    const entry = id !== null && id !== dismissedId ? entries.find((e) => e.note.id === id) : undefined;
    const anchorRect = entry?.rects[0];
    if (!entry || !anchorRect) {
      tip.hidden = true;
      tipFor = null;
      return;
    }
    if (tipFor?.id !== entry.note.id) {
      fillTip(entry.note);
      tip.hidden = false;
      // Measured once per note shown, not per frame: the content does not change while it is up.
      tipFor = { id: entry.note.id, width: tip.offsetWidth, height: tip.offsetHeight };
    }
    // Below the whole target, else above it, so the tooltip never hides what the note is about; a target taller
    // than the room left gets it just under its first line.
    const view = viewport();
    const gap = 6;
    const height = tipFor.height;
    const targetTop = Math.min(...entry.rects.map((r) => r.top));
    const targetBottom = Math.max(...entry.rects.map((r) => r.bottom));
    let top = targetBottom + gap;
    if (top + height > view.height - 8) top = targetTop - gap - height;
    if (top < 8) top = Math.max(8, Math.min(anchorRect.bottom + gap, view.height - height - 8));
    const left = Math.max(8, Math.min(anchorRect.left, view.width - tipFor.width - 8));
    tip.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
  }

  function dismissTip() {
    dismissedId = focusedId ?? hoveredId;
    updateTip();
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

  function flash(entry: Entry) {
    entry.group.classList.remove('flash');
    entry.flashing = true;
    draw(entry);
    void entry.group.offsetWidth; // Restart the animation when the same note is flashed again.
    entry.group.classList.add('flash');
  }

  function makeEntry(note: ShownNote): Entry {
    const group = el(doc, 'div', 'group');
    const marker = el(doc, 'button', 'marker');
    marker.type = 'button';
    marker.setAttribute('aria-describedby', tip.id);
    const entry: Entry = { note, group, marker, boxes: [], rects: [], flashing: false };
    // The flash ends with the boxes' animation (it bubbles): no timer to clear.
    group.addEventListener('animationend', () => {
      entry.flashing = false;
      group.classList.remove('flash');
      draw(entry);
    }, on);
    marker.addEventListener('focus', () => {
      focusedId = entry.note.id;
      dismissedId = null;
      if (!quietFocus) {
        // Tabbing to a marker brings its note on screen; the overlay is fixed, so focus alone would not.
        if (entry.rects.length > 0 && !isInView(entry.rects)) scrollAnchorIntoView(entry.note.anchor, 'nearest');
        onNoteFocus?.(entry.note.id);
      }
      updateTip();
    }, on);
    marker.addEventListener('blur', () => {
      if (focusedId === entry.note.id) focusedId = null;
      updateTip();
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
      entry.marker.setAttribute('aria-label', noteMarkerLabel(note));
      return entry;
    });
    for (const gone of previous.values()) {
      gone.group.remove();
      gone.marker.remove();
    }
    // Appending in order moves existing nodes: the markers' tab order is the notes' document order.
    groups.append(...entries.map((e) => e.group));
    markers.append(...entries.map((e) => e.marker));
    tipFor = null; // The note's text may have changed: refilled by the layout below.
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
      if (event.key === 'Escape' && !tip.hidden) dismissTip();
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
      flash(entry);
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
