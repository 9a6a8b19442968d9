/**
 * Site setup's picker (issue 7): the user points, on the labeling page itself, at the element that shows a field
 * (the item id, the labeler…). With the mouse: the element under the pointer is outlined, a click picks it. With
 * the keyboard: Tab and Shift+Tab move the outline through the elements that show text, in reading order; ↑ widens
 * it to the parent, ↓ narrows it to the first child, ← and → move to the previous and next sibling; Enter picks;
 * Esc cancels. The outline is drawn in Loupe's own closed shadow root, as annotate mode draws its own
 * (`mountOverlayHost`, lib/content/note-layer.ts), so the page's DOM and styles are left as they were.
 *
 * Pointing must not operate the tool: clicking "Approve" to pick the decision must not approve the item. So every
 * press, release and click, and every key, is stopped on `window` in the capture phase, before the page's own
 * listeners, and the click's default (a link, a submit) is prevented. While the picker runs, its host element is
 * in the page, which is how the labeling script knows to leave its keys alone (site-picker-host.ts).
 */
import { elementLabel, isLoupeNode } from './note-capture';
import { mountOverlayHost, mountPickingOverlay, placeOutline } from './overlay-host';
import { SITE_PICKER_TAG } from './site-picker-host';

export interface SitePickerOptions {
  doc: Document;
  win?: Window;
  /** Aborting stops the picker without `onCancel`. */
  signal?: AbortSignal;
  /** What to point at, as the banner says it: "Click the element that shows the item id." */
  prompt: string;
  /**
   * The banner's other words in the reader's language, from the setup UI (this world carries no catalogs);
   * English without them. `outlined` holds `{label}`.
   */
  words?: Omit<PickerWordsText, 'prompt'>;
  /** Where keyboard users start (the element picked last time), if any. */
  initial?: Element | null;
  onPick(element: Element): void;
  /** Esc or the banner's Cancel button. The picker has already stopped. */
  onCancel(): void;
  /** Loupe's own nodes (the setup frame, the panel): never picked, and clicks on them pass. */
  isOwnElement?(node: Node): boolean;
}

export interface SitePicker {
  stop(): void;
  /** The element outlined now (under the pointer, or moved to by keyboard). */
  readonly candidate: Element | null;
}

/** The picker's words (lib/setup/setup-protocol.ts `PickerWords`, repeated here as a type so no zod comes in). */
export interface PickerWordsText {
  prompt: string;
  keys: string;
  cancel: string;
  nothingThere: string;
  nothingHighlighted: string;
  outlined: string;
}

/**
 * What the picker says when the setup UI sent no words of its own: English, as lib/i18n/catalogs/en/setup.ts says
 * it (`setup.picker.*`), which tests/unit/site-setup-picker.test.ts checks.
 */
export const PICKER_WORDS: Omit<PickerWordsText, 'prompt'> = {
  keys: 'Tab or arrows to move · Enter to pick · Esc to cancel',
  cancel: 'Cancel',
  nothingThere: 'Nothing to read there: point at the element that shows the value itself.',
  nothingHighlighted: 'Nothing is outlined yet: press Tab to move to an element, or click one.',
  outlined: 'Outlined: {label}',
};

/** Elements that never show a value of their own. */
const NEVER = new Set(['html', 'head', 'body', 'script', 'style', 'noscript', 'template', 'link', 'meta', 'title', 'br', 'hr', 'iframe']);

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
// Node.DOCUMENT_POSITION_* by number: the page's `Node` and this world's are not the same object.
const PRECEDING = 2;
const FOLLOWING = 4;
/** Subtrees that show nothing a value could be read from. */
const SKIPPED = 'script, style, noscript, template, head';

const PICKER_CSS = `
.banner { position: absolute; bottom: 16px; left: 0; right: 0; width: max-content; max-width: calc(100% - 24px);
  margin: 0 auto; display: flex; gap: 12px; align-items: center; box-sizing: border-box; padding: 8px 8px 8px 14px;
  background: #1f1f1f; color: #fff; border: 1px solid #e69f00; border-radius: 8px;
  box-shadow: 0 2px 12px rgb(0 0 0 / .4); font: 14px/1.4 system-ui, sans-serif; pointer-events: auto; }
.banner p { margin: 0; }
.banner .hint { color: #ddd; font-size: 12px; }
.banner button { font: inherit; padding: 2px 10px; border-radius: 5px; border: 1px solid #fff;
  background: transparent; color: #fff; cursor: pointer; }
.banner button:focus-visible { outline: 3px solid #56b4e9; outline-offset: 2px; }
.outline { position: absolute; left: 0; top: 0; box-sizing: border-box; border: 3px solid #e69f00;
  background: rgb(230 159 0 / .12); box-shadow: 0 0 0 1px #000, inset 0 0 0 1px #fff; }
.label { position: absolute; left: 0; top: 0; max-width: 60vw; padding: 1px 6px; background: #1f1f1f; color: #fff;
  font: 12px/1.5 system-ui, sans-serif; border-radius: 3px; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
[hidden] { display: none; }
`;

/** A DOM node, or null for `window` and other targets (by shape: the page's and our world's `Node` differ). */
function asNode(target: EventTarget | null): Node | null {
  return target !== null && 'nodeType' in target ? (target as Node) : null;
}

/** The element's own text (not its descendants'): what makes it worth stopping on with Tab. */
function hasOwnText(element: Element): boolean {
  for (const child of element.childNodes) {
    if (child.nodeType === TEXT_NODE && child.textContent?.trim()) return true;
  }
  return false;
}

/** Hidden elements are skipped by Tab; `checkVisibility` where the browser has it (Chrome 105+). */
function isShown(element: Element): boolean {
  if (element.closest('[hidden], [aria-hidden="true"]')) return false;
  const check = (element as Element & { checkVisibility?: (options?: object) => boolean }).checkVisibility;
  return check ? check.call(element, { visibilityProperty: true }) : true;
}

export function startSitePicker(options: SitePickerOptions): SitePicker {
  const { doc, signal, prompt, onPick, onCancel } = options;
  const text = options.words ?? PICKER_WORDS;
  const isOwnElement = options.isOwnElement ?? isLoupeNode;
  const win = (options.win ?? doc.defaultView ?? window) as Window & Pick<typeof globalThis, 'requestAnimationFrame' | 'cancelAnimationFrame'>;
  const listeners = new AbortController();
  const { host, root } = mountOverlayHost(doc, SITE_PICKER_TAG, PICKER_CSS);

  const words = doc.createElement('div');
  const promptLine = doc.createElement('p');
  promptLine.textContent = prompt;
  // A live region: screen reader users hear what is outlined as they move, and why a pick found nothing.
  const status = doc.createElement('p');
  status.className = 'hint';
  status.setAttribute('role', 'status');
  status.textContent = text.keys;
  words.append(promptLine, status);
  const { cancelButton, outline, label } = mountPickingOverlay(doc, root, words, text.cancel);

  let stopped = false;
  let frame = 0;
  let candidate: Element | null = null;

  const isOwn = (node: Node | null): boolean => node !== null && (node === host || isOwnElement(node));
  /** An event in our overlay reaches `window` retargeted to the host; its path says so. */
  const isOwnEvent = (event: Event) => event.composedPath().includes(host) || isOwn(asNode(event.target));

  /** What a pick on `target` means: the element itself, unless it can hold no value (the page, Loupe's own). */
  function pickable(target: EventTarget | null): Element | null {
    const node = asNode(target);
    if (!node) return null;
    const element = node.nodeType === ELEMENT_NODE ? (node as Element) : node.parentElement;
    if (!element || NEVER.has(element.localName) || isOwn(element)) return null;
    return element;
  }

  function stop() {
    if (stopped) return;
    stopped = true;
    listeners.abort();
    if (frame) win.cancelAnimationFrame(frame);
    host.remove();
  }

  function say(text: string) {
    status.textContent = text;
  }

  function draw() {
    const rect = candidate?.isConnected ? candidate.getBoundingClientRect() : null;
    if (!candidate || !rect) {
      outline.hidden = true;
      label.hidden = true;
      return;
    }
    placeOutline(outline, label, rect, 'below');
  }

  function scheduleDraw() {
    if (frame || stopped) return;
    frame = win.requestAnimationFrame(() => {
      frame = 0;
      if (!stopped) draw();
    });
  }

  function outlineElement(element: Element | null, announce: boolean) {
    if (element === candidate) return;
    candidate = element;
    label.textContent = element ? elementLabel(element) : '';
    if (announce && element) say(text.outlined.replace('{label}', () => elementLabel(element)));
    scheduleDraw();
  }

  function pick(element: Element | null) {
    if (!element) {
      say(text.nothingThere);
      return;
    }
    stop();
    onPick(element);
  }

  function cancel() {
    stop();
    onCancel();
  }

  // ---- keyboard moves ----------------------------------------------------------------------------------------

  /** The elements that show text of their own, in document order (what Tab stops on). */
  function textElements(): Element[] {
    const body = doc.body ?? doc.documentElement;
    const found: Element[] = [];
    for (const element of Array.from(body.querySelectorAll('*'))) {
      if (NEVER.has(element.localName) || isOwn(element) || element.closest(SKIPPED)) continue;
      if (hasOwnText(element) && isShown(element)) found.push(element);
    }
    return found;
  }

  /** The next (or previous) of those after `from`, in document order; the first (or last) without one. */
  function textElementAfter(from: Element | null, backwards: boolean): Element | null {
    const elements = textElements();
    if (!from) return (backwards ? elements.at(-1) : elements[0]) ?? null;
    if (backwards) {
      for (let i = elements.length - 1; i >= 0; i -= 1) {
        const element = elements[i]!;
        if (element !== from && from.compareDocumentPosition(element) & PRECEDING) return element;
      }
      return null;
    }
    return elements.find((element) => element !== from && from.compareDocumentPosition(element) & FOLLOWING) ?? null;
  }

  function move(key: string, shift: boolean): Element | null {
    const from = candidate?.isConnected ? candidate : null;
    switch (key) {
      case 'Tab':
        return textElementAfter(from, shift) ?? from;
      case 'ArrowUp':
        return pickable(from?.parentElement ?? null) ?? from;
      case 'ArrowDown':
        return from ? (Array.from(from.children).find((child) => pickable(child) && isShown(child)) ?? from) : textElementAfter(null, false);
      case 'ArrowLeft':
      case 'ArrowRight': {
        let sibling = from ? (key === 'ArrowLeft' ? from.previousElementSibling : from.nextElementSibling) : null;
        while (sibling && !(pickable(sibling) && isShown(sibling))) {
          sibling = key === 'ArrowLeft' ? sibling.previousElementSibling : sibling.nextElementSibling;
        }
        return sibling ?? from;
      }
      default:
        return from;
    }
  }

  // ---- listeners ---------------------------------------------------------------------------------------------

  const capture = { capture: true, signal: listeners.signal };

  // The page hears nothing of the pointer while the user picks. The press's default goes too: no focus moves, no
  // text selection starts, no <select> opens.
  for (const type of ['pointerdown', 'pointerup', 'mousedown', 'mouseup', 'touchstart', 'touchend', 'auxclick', 'dblclick', 'contextmenu'] as const) {
    win.addEventListener(type, (event) => {
      if (isOwnEvent(event)) return;
      event.stopImmediatePropagation();
      if (type === 'mousedown' || type === 'pointerdown' || type === 'auxclick' || type === 'dblclick') event.preventDefault();
    }, capture);
  }
  win.addEventListener('click', (event) => {
    if (isOwnEvent(event)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (event.button === 0) pick(pickable(event.target));
  }, capture);
  win.addEventListener('mousemove', (event) => {
    if (isOwnEvent(event)) return;
    outlineElement(pickable(event.target), false);
  }, { ...capture, passive: true });

  const MOVES = new Set(['Tab', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight']);
  win.addEventListener('keydown', (event) => {
    if (event.isComposing) return;
    // Keys on the banner's Cancel button are the button's (Enter, Space, Tab away from it).
    if (isOwnEvent(event)) return;
    // No page shortcut runs while the user points: a stray "a" must not approve the item.
    event.stopImmediatePropagation();
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      cancel();
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      if (candidate?.isConnected) pick(candidate);
      else say(text.nothingHighlighted);
    } else if (MOVES.has(event.key)) {
      event.preventDefault();
      const next = move(event.key, event.shiftKey);
      if (next) {
        outlineElement(next, true);
        next.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
      }
    }
  }, capture);
  for (const type of ['keyup', 'keypress'] as const) {
    win.addEventListener(type, (event) => {
      if (!isOwnEvent(event)) event.stopImmediatePropagation();
    }, capture);
  }
  win.addEventListener('scroll', scheduleDraw, { ...capture, passive: true });
  win.addEventListener('resize', scheduleDraw, { ...capture, passive: true });
  cancelButton.addEventListener('click', cancel, { signal: listeners.signal });

  signal?.addEventListener('abort', stop, { once: true, signal: listeners.signal });
  if (signal?.aborted) stop();
  else if (options.initial?.isConnected && pickable(options.initial)) outlineElement(options.initial, true);

  return {
    stop,
    get candidate() {
      return candidate;
    },
  };
}
