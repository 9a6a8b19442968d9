/**
 * The tooltip that shows a note's author, error tag, body and replies over the labeling page (issue 5), for the
 * note the pointer is over or whose marker has keyboard focus (focus wins). It follows WCAG 1.4.13: Esc dismisses
 * it without moving the pointer or focus, and it stays dismissed until another note is pointed at or focused.
 * The body is set as text, never markup: it is what a mentor typed.
 *
 * State changes and drawing are separate calls (`setHovered`… then `update`), so the layer decides when the
 * tooltip is placed: once per frame, after the marks are measured.
 */
import type { ShownNote } from './note-layer';
import { AMBER, overlayElement, type Rect } from './note-markers';

const TOOLTIP_ID = 'loupe-note-tip';
const TOOLTIP_BODY_CHARS = 600;

/** The tooltip's rules, for the layer's shadow root. */
export const TOOLTIP_CSS = `
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

export interface NoteTooltipOptions {
  doc: Document;
  /** The viewport's size now, for keeping the tooltip on screen. */
  viewport(): { width: number; height: number };
  /** A shown note and its target's rects as last measured (the first is where the tooltip lines up). */
  find(id: string): { note: ShownNote; rects: readonly Rect[] } | undefined;
}

export interface NoteTooltip {
  /** The `role="tooltip"` element, hidden until a note is pointed at or focused; markers name it by id. */
  readonly element: HTMLDivElement;
  /** The note under the pointer, or null. Moving to another note (or off) brings a dismissed tooltip back. */
  setHovered(id: string | null): void;
  /** A note's marker got focus: its tooltip shows even if it was dismissed. */
  setFocused(id: string): void;
  /** A note's marker lost focus. */
  clearFocus(id: string): void;
  /** Esc: hides the tooltip now, until the pointer or focus moves to another note. */
  dismiss(): void;
  /** The notes' text may have changed: fill and measure again when next shown. */
  forgetContent(): void;
  /** Shows, fills and places the tooltip for the note focused or hovered, or hides it. */
  update(): void;
}

export function createNoteTooltip(options: NoteTooltipOptions): NoteTooltip {
  const { doc, viewport, find } = options;
  const tip = overlayElement(doc, 'div', 'tip');
  tip.id = TOOLTIP_ID;
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;

  let focusedId: string | null = null;
  let hoveredId: string | null = null;
  let dismissedId: string | null = null;
  let tipFor: { id: string; width: number; height: number } | null = null;

  function fill(note: ShownNote) {
    const head = overlayElement(doc, 'div', 'tip-head', note.author);
    if (note.tagLabel) head.append(overlayElement(doc, 'span', 'tip-tag', note.tagLabel));
    const body = note.body.length > TOOLTIP_BODY_CHARS ? `${note.body.slice(0, TOOLTIP_BODY_CHARS)}…` : note.body;
    const meta: string[] = [];
    if (note.replies) meta.push(note.replies === 1 ? '1 reply' : `${note.replies} replies`);
    if (note.acknowledged) meta.push('Acknowledged');
    tip.replaceChildren(head, overlayElement(doc, 'div', 'tip-body', body));
    if (meta.length > 0) tip.append(overlayElement(doc, 'div', 'tip-meta', meta.join(' · ')));
  }

  function update() {
    const id = focusedId ?? hoveredId;
    const entry = id !== null && id !== dismissedId ? find(id) : undefined;
    const anchorRect = entry?.rects[0];
    if (!entry || !anchorRect) {
      tip.hidden = true;
      tipFor = null;
      return;
    }
    if (tipFor?.id !== entry.note.id) {
      fill(entry.note);
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

  return {
    element: tip,
    setHovered(id) {
      if (id === hoveredId) return;
      hoveredId = id;
      // Esc dismissed one note's tooltip; moving to another (or off) brings tooltips back.
      if (dismissedId !== null && dismissedId !== focusedId && dismissedId !== id) dismissedId = null;
    },
    setFocused(id) {
      focusedId = id;
      dismissedId = null;
    },
    clearFocus(id) {
      if (focusedId === id) focusedId = null;
    },
    dismiss() {
      dismissedId = focusedId ?? hoveredId;
      update();
    },
    forgetContent() {
      tipFor = null;
    },
    update,
  };
}
