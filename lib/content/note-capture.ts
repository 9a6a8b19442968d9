/**
 * Annotate mode (issue 5): the mentor points at what a note is about, on the labeling page itself. Selecting text
 * (mouse, or keyboard then Enter) gives a text target; clicking an element, or Enter on a focused one, gives an
 * element target; Esc cancels. One target per run: then every listener and the overlay go away.
 *
 * Pointing must not operate the tool: a click on "Approve" while annotating must not approve the item. So the
 * press, the release and the click are stopped on `window` in the capture phase, before any page listener, and the
 * click's default (following a link, submitting, toggling) is prevented. The press's default is kept: it is what
 * starts a text selection.
 */
import { ENGLISH_PAGE_WORDS, type PageWords } from './page-text';
import { isInsideLoupeElement } from '../notes/text-index';
import type { NoteAnchor } from './note-layer';
import { mountOverlayHost, mountPickingOverlay, placeOutline } from './overlay-host';

export type CaptureTarget = NoteAnchor;

export interface CaptureOptions {
  doc: Document;
  win?: Window;
  /** Aborting stops capture without `onCancel` (the page is going away). */
  signal?: AbortSignal;
  onTarget(target: CaptureTarget): void;
  /** Esc, or the banner's Cancel button. Capture has already stopped. */
  onCancel(): void;
  /** Loupe's own nodes: never a target, and clicks on them pass. Defaults to `isLoupeNode`. */
  isOwnElement?(node: Node): boolean;
  /** The label shown on the outlined element. Defaults to `elementLabel`. */
  describe?(element: Element): string;
  /** The banner's words in the user's language (from the worker); English by default. */
  words?: Pick<PageWords, 'captureBanner' | 'captureBannerSelection' | 'cancel'>;
}

export interface Capture {
  stop(): void;
  /** Takes the page's current text selection as the target (a panel button's "Use selection"). False if none. */
  confirmSelection(): boolean;
}

/** The panel iframe and Loupe's overlay hosts: the elements Loupe itself puts on a page. */

const ELEMENT_NODE = 1;
const NAME_CHARS = 40;

/** Loupe's own elements (panel, notes layer, this banner) are never a target: one list, in lib/notes/text-index. */
export const isLoupeNode = isInsideLoupeElement;

// A click lands on the innermost node (the icon in a button, the <b> in a link); the mentor means the control or
// the picture. Controls first, so an <svg> icon inside a button gives the button.
const CONTROLS =
  'button, a[href], label, select, textarea, input, summary, [role="button"], [role="link"], [role="checkbox"], ' +
  '[role="radio"], [role="switch"], [role="tab"], [role="menuitem"], [role="option"]';
const MEDIA = 'img, picture, video, audio, canvas, svg';

/**
 * A short name for the element under the pointer: `button “Approve”`, `img “Reported photo”`, `div.media-panel`.
 * The default for `CaptureOptions.describe`; the note's stored description may come from a fuller one.
 */
export function elementLabel(element: Element): string {
  const kind = element.getAttribute('role') || element.localName;
  const input = element.localName === 'input' ? (element as HTMLInputElement) : null;
  // Never a text field's value: that is what someone typed, not what the field is called.
  const buttonValue = input && ['button', 'submit', 'reset'].includes(input.type) ? input.value : '';
  const raw =
    element.getAttribute('aria-label') ||
    element.getAttribute('alt') ||
    element.getAttribute('title') ||
    element.getAttribute('placeholder') ||
    buttonValue ||
    (input || element.localName === 'textarea' || element.localName === 'select' ? '' : element.textContent) ||
    '';
  const name = raw.replace(/\s+/g, ' ').trim();
  if (name) return `${kind} “${name.length > NAME_CHARS ? `${name.slice(0, NAME_CHARS).trimEnd()}…` : name}”`;
  if (element.id) return `${kind}#${element.id}`;
  const className = element.classList[0];
  return className ? `${kind}.${className}` : kind;
}

const CAPTURE_CSS = `
.banner { position: absolute; bottom: 16px; left: 0; right: 0; width: max-content; max-width: calc(100% - 24px);
  margin: 0 auto; display: flex; gap: 12px; align-items: center; box-sizing: border-box; padding: 8px 8px 8px 14px;
  background: #1f1f1f; color: #fff; border: 1px solid #e69f00; border-radius: 8px;
  box-shadow: 0 2px 12px rgb(0 0 0 / .4); font: 14px/1.4 system-ui, sans-serif; }
.banner button { pointer-events: auto; font: inherit; padding: 2px 10px; border-radius: 5px; border: 1px solid #fff;
  background: transparent; color: #fff; cursor: pointer; }
.banner button:focus-visible { outline: 3px solid #0072b2; outline-offset: 2px; }
.outline { position: absolute; left: 0; top: 0; box-sizing: border-box; border: 2px dashed #0072b2;
  box-shadow: 0 0 0 1px #fff, inset 0 0 0 1px #fff; }
.label { position: absolute; left: 0; top: 0; max-width: 60vw; padding: 1px 6px; background: #0072b2; color: #fff;
  font: 12px/1.5 system-ui, sans-serif; border-radius: 3px; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
[hidden] { display: none; }
`;

interface SelectionPoint {
  anchorNode: Node | null;
  anchorOffset: number;
  focusNode: Node | null;
  focusOffset: number;
}

function samePoint(a: SelectionPoint | null, b: SelectionPoint | null): boolean {
  return (
    a !== null &&
    b !== null &&
    a.anchorNode === b.anchorNode &&
    a.anchorOffset === b.anchorOffset &&
    a.focusNode === b.focusNode &&
    a.focusOffset === b.focusOffset
  );
}

export function startCapture(options: CaptureOptions): Capture {
  const { doc, signal, onTarget, onCancel, isOwnElement = isLoupeNode, describe = elementLabel, words = ENGLISH_PAGE_WORDS } = options;
  const win = (options.win ?? doc.defaultView ?? window) as Window & Pick<typeof globalThis, 'requestAnimationFrame' | 'cancelAnimationFrame'>;
  const listeners = new AbortController();
  const { host, root } = mountOverlayHost(doc, 'loupe-capture', CAPTURE_CSS);

  const bannerText = doc.createElement('span');
  bannerText.textContent = words.captureBanner;
  const { banner, cancelButton, outline, label } = mountPickingOverlay(doc, root, bannerText, words.cancel);
  banner.setAttribute('role', 'status');

  let stopped = false;
  let frame = 0;
  let pointedAt: EventTarget | null = null;
  let outlined: Element | null = null;
  let selectionAtPress: SelectionPoint | null = null;

  const isOwn = (target: EventTarget | null) =>
    target !== null && 'nodeType' in target && (target === host || isOwnElement(target as Node));
  /** An event in our overlay (the banner's button) reaches `window` retargeted to the host; the path says so. */
  const isOwnEvent = (event: Event) => isOwn(event.target) || event.composedPath().includes(host);

  function stop() {
    if (stopped) return;
    stopped = true;
    listeners.abort();
    if (frame) win.cancelAnimationFrame(frame);
    host.remove();
  }

  function selectionPoint(): SelectionPoint | null {
    const selection = doc.getSelection();
    if (!selection || selection.rangeCount === 0) return null;
    const { anchorNode, anchorOffset, focusNode, focusOffset } = selection;
    return { anchorNode, anchorOffset, focusNode, focusOffset };
  }

  /** The page's non-empty text selection, outside Loupe's elements and text fields (whose text no quote reaches). */
  function selectedRange(): Range | null {
    const selection = doc.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (range.toString().trim() === '') return null;
    for (const node of [range.startContainer, range.endContainer, range.commonAncestorContainer]) {
      if (isOwn(node)) return null;
    }
    return range.cloneRange();
  }

  /** The element a click or a focus on `target` means, or null for none (the page itself, Loupe's own). */
  function pickElement(target: EventTarget | null): Element | null {
    if (!target || !('nodeType' in target) || (target as Node).nodeType !== ELEMENT_NODE) return null;
    const element = target as Element;
    const picked = element.closest(CONTROLS) ?? element.closest(MEDIA) ?? element;
    if (picked === doc.documentElement || picked === doc.body || isOwn(picked)) return null;
    return picked;
  }

  function finish(target: CaptureTarget) {
    stop();
    onTarget(target);
  }

  function cancel() {
    stop();
    onCancel();
  }

  function updateBanner() {
    bannerText.textContent = selectedRange() ? words.captureBannerSelection : words.captureBanner;
  }

  function drawOutline() {
    const element = pickElement(pointedAt);
    const rect = element?.isConnected ? element.getBoundingClientRect() : null;
    if (!element || !rect || (rect.width === 0 && rect.height === 0)) {
      outline.hidden = true;
      label.hidden = true;
      outlined = null;
      return;
    }
    if (element !== outlined) {
      outlined = element;
      label.textContent = describe(element);
    }
    placeOutline(outline, label, rect, 'inside');
  }

  function scheduleOutline() {
    if (frame || stopped) return;
    frame = win.requestAnimationFrame(() => {
      frame = 0;
      if (!stopped) drawOutline();
    });
  }

  /**
   * A text selection ends at the release, but the browser still sends the click that belongs to that press (on the
   * common ancestor when the drag crossed elements). It must not reach the page either; it comes before any next
   * press, which ends the wait if no click came.
   */
  function swallowTrailingClick() {
    const wait = new AbortController();
    const opts = { capture: true, signal: wait.signal };
    win.addEventListener('click', (event) => {
      event.preventDefault();
      event.stopImmediatePropagation();
      wait.abort();
    }, opts);
    win.addEventListener('mousedown', () => wait.abort(), opts);
    signal?.addEventListener('abort', () => wait.abort(), { once: true, signal: wait.signal });
  }

  const capture = { capture: true, signal: listeners.signal };
  const passive = { ...capture, passive: true };

  // The page hears nothing of the press and release. Their defaults stay: focus, and starting a text selection.
  for (const type of ['pointerdown', 'pointerup', 'touchstart', 'touchend'] as const) {
    win.addEventListener(type, (event) => {
      if (!isOwnEvent(event)) event.stopImmediatePropagation();
    }, capture);
  }
  win.addEventListener('mousedown', (event) => {
    if (isOwnEvent(event)) return;
    event.stopImmediatePropagation();
    selectionAtPress = selectionPoint();
    // A <select> opens on the press, before any click could be stopped.
    if (pickElement(event.target)?.localName === 'select') event.preventDefault();
  }, capture);
  win.addEventListener('mouseup', (event) => {
    if (isOwnEvent(event)) return;
    event.stopImmediatePropagation();
    if (event.button !== 0) return;
    const range = selectedRange();
    // An old selection still standing after a press on something unselectable is not what the mentor just did.
    if (!range || samePoint(selectionPoint(), selectionAtPress)) return;
    swallowTrailingClick();
    finish({ kind: 'text', range });
  }, capture);
  for (const type of ['click', 'auxclick', 'dblclick'] as const) {
    win.addEventListener(type, (event) => {
      if (isOwnEvent(event)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      if (type !== 'click' || event.button !== 0) return;
      const element = pickElement(event.target);
      if (element) finish({ kind: 'element', element });
    }, capture);
  }

  win.addEventListener('keydown', (event) => {
    if (event.isComposing) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopImmediatePropagation();
      cancel();
      return;
    }
    if (event.key !== 'Enter' || event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
    if (isOwnEvent(event)) return; // Enter on the banner's Cancel button is the button's.
    const range = selectedRange();
    const element = range ? null : pickElement(doc.activeElement);
    if (!range && !element) return;
    event.preventDefault(); // Also keeps the keypress that would submit a form.
    event.stopImmediatePropagation();
    finish(range ? { kind: 'text', range } : { kind: 'element', element: element as Element });
  }, capture);

  win.addEventListener('mousemove', (event) => {
    // While a button is held the mentor is selecting text; an element outline would only flicker over it.
    pointedAt = event.buttons === 0 ? event.target : null;
    scheduleOutline();
  }, passive);
  // Keyboard users see the focused element outlined: Enter takes it.
  doc.addEventListener('focusin', (event) => {
    pointedAt = event.target;
    scheduleOutline();
  }, capture);
  win.addEventListener('scroll', scheduleOutline, passive);
  win.addEventListener('resize', scheduleOutline, passive);
  doc.addEventListener('selectionchange', updateBanner, { signal: listeners.signal });
  cancelButton.addEventListener('click', cancel, { signal: listeners.signal });

  signal?.addEventListener('abort', stop, { once: true, signal: listeners.signal });
  if (signal?.aborted) stop();
  else {
    updateBanner();
    pointedAt = doc.activeElement;
    scheduleOutline();
  }

  return {
    stop,
    confirmSelection() {
      if (stopped) return false;
      const range = selectedRange();
      if (range) finish({ kind: 'text', range });
      return range !== null;
    },
  };
}
