/**
 * What the note layer draws for each note (issue 5), in its closed shadow root: boxes over the target (an outline
 * round an element; a mark over text where the CSS Custom Highlight API is missing, or while a note flashes) and a
 * focusable marker button, so keyboard users reach every note in document order. Kept apart from the layer, which
 * decides when to measure and draw; here is only how one note's marks are made, placed and found under the pointer.
 *
 * Boxes are drawn from the target's client rects, never by touching the page's DOM (see note-layer.ts).
 */
import { ENGLISH_PAGE_WORDS, fillPageText, type PageWords } from './page-text';
import type { NoteAnchor, ShownNote } from './note-layer';

/** A quote may run over many lines; beyond this many rects per note the rest is not drawn, to bound each frame. */
const MAX_RECTS_PER_NOTE = 64;
const MARKER_LABEL_CHARS = 60;

// Okabe–Ito orange and blue: told apart under every common colour-vision deficiency. A dark ring and a light
// ring around boxes keep them visible on light and dark pages alike; selection also changes thickness and fill,
// so it does not rest on colour alone. The highlights and the tooltip use the same colours, so all read as one.
export const AMBER = '#e69f00';
export const BLUE = '#0072b2';
export const FILL = 'rgb(255 191 0 / .35)';
export const FILL_STRONG = 'rgb(255 191 0 / .6)';

/** The marks' rules, for the layer's shadow root. */
export const MARKER_CSS = `
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
`;

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
  width: number;
  height: number;
}

/** One note's marks: its boxes (in `group`), its marker, and where its target was last measured. */
export interface NoteMarks {
  note: ShownNote;
  group: HTMLDivElement;
  marker: HTMLButtonElement;
  boxes: HTMLDivElement[];
  rects: Rect[];
  flashing: boolean;
}

export interface DrawOptions {
  /** The note selected in the panel: a stronger style. */
  selected: boolean;
  /** The Highlight API paints text targets: their boxes are drawn only to flash. */
  textPainted: boolean;
}

/** "Note by Ana (Wrong policy): The first words of the…", for a marker's accessible name, in the user's language. */
export function noteMarkerLabel(
  note: Pick<ShownNote, 'author' | 'body' | 'tagLabel'>,
  text: Pick<PageWords, 'noteMarker' | 'noteMarkerTagged'> = ENGLISH_PAGE_WORDS,
): string {
  const words = note.body.replace(/\s+/g, ' ').trim();
  const head = words.length > MARKER_LABEL_CHARS ? `${words.slice(0, MARKER_LABEL_CHARS).replace(/\s+\S*$/, '')}…` : words;
  return note.tagLabel
    ? fillPageText(text.noteMarkerTagged, { author: note.author, tag: note.tagLabel, text: head })
    : fillPageText(text.noteMarker, { author: note.author, text: head });
}

/** Where the target is on screen now (viewport coordinates); empty when it is not rendered. */
export function anchorRects(anchor: NoteAnchor): Rect[] {
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

/** The notes in the order their targets start in the page: the order of the markers, so the tab order. */
export function inDocumentOrder(doc: Document, notes: readonly ShownNote[]): ShownNote[] {
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

/** The smallest note under the point: nested targets (a word inside a highlighted element) stay reachable. */
export function noteAt(list: readonly NoteMarks[], x: number, y: number): string | null {
  let best: { id: string; area: number } | null = null;
  for (const { note, rects } of list) {
    for (const rect of rects) {
      const area = rect.width * rect.height;
      if (contains(rect, x, y) && (!best || area < best.area)) best = { id: note.id, area };
    }
  }
  return best?.id ?? null;
}

/** An element of the overlay, with its class and maybe its text (never markup: note bodies are the mentor's). */
export function overlayElement<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A note's empty marks: nothing drawn, nothing measured; the marker names the tooltip as its description. */
export function createNoteMarks(doc: Document, note: ShownNote, tooltipId: string): NoteMarks {
  const group = overlayElement(doc, 'div', 'group');
  const marker = overlayElement(doc, 'button', 'marker');
  marker.type = 'button';
  marker.setAttribute('aria-describedby', tooltipId);
  return { note, group, marker, boxes: [], rects: [], flashing: false };
}

/** Places the boxes and the marker over the rects last measured. Writes only: measuring is the caller's. */
export function drawMarks(doc: Document, marks: NoteMarks, options: DrawOptions): void {
  const { note, rects, group, marker } = marks;
  const isText = note.anchor.kind === 'text';
  // Text painted by the Highlight API needs boxes only to flash.
  const drawn = !isText ? rects.slice(0, 1) : !options.textPainted || marks.flashing ? rects : [];
  while (marks.boxes.length > drawn.length) marks.boxes.pop()?.remove();
  while (marks.boxes.length < drawn.length) {
    const box = overlayElement(doc, 'div', `box ${isText ? 'mark' : 'outline'}`);
    group.append(box);
    marks.boxes.push(box);
  }
  drawn.forEach((rect, index) => {
    const box = marks.boxes[index];
    if (!box) return;
    box.style.transform = `translate(${rect.left}px, ${rect.top}px)`;
    box.style.width = `${rect.width}px`;
    box.style.height = `${rect.height}px`;
  });
  group.classList.toggle('selected', options.selected);
  const first = rects[0];
  // A target that is not rendered (display: none, removed) has nothing to point at: its marker leaves the tab order.
  marker.hidden = !first;
  if (first) marker.style.transform = `translate(${first.left - 9}px, ${first.top - 9}px)`;
}

/** Flashes the note's boxes; `drawMarks` is called (with `flashing` set) before the animation starts. */
export function flashMarks(marks: NoteMarks, draw: (marks: NoteMarks) => void): void {
  marks.group.classList.remove('flash');
  marks.flashing = true;
  draw(marks);
  void marks.group.offsetWidth; // Restart the animation when the same note is flashed again.
  marks.group.classList.add('flash');
}

/** The end of a flash (the boxes' animation bubbles to the group): no timer to clear. */
export function endFlash(marks: NoteMarks, draw: (marks: NoteMarks) => void): void {
  marks.flashing = false;
  marks.group.classList.remove('flash');
  draw(marks);
}
