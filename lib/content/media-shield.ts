/**
 * The media shield (issue 7, Wellbeing): Trust & Safety analysts look at harmful pictures and videos for hours, so
 * on a site where they turn it on, every picture of the labeling page is blurred (or greyed) until they choose to
 * see it: by resting the pointer on it for `HOLD_TO_SHOW_MS`, or all of the item's at once with a key. A new item
 * is shielded again.
 *
 * The page's DOM is never touched but for one attribute on <html> (the tool's scripts and diffing renderers must see
 * the document they built, as for notes in note-layer.ts): each picture gets a cover in a closed shadow root on a
 * host under <html>, placed over the picture's client rect, that blurs what is behind it with `backdrop-filter`.
 * Covers never take the pointer (`pointer-events: none`), so the tool's controls over and around pictures keep
 * working, and every listener here is passive: nothing the page receives is stopped or prevented. A click is not a
 * way to reveal: it belongs to the tool (a button over a thumbnail must not show the picture under it).
 *
 * What counts as a picture: <img> (so <picture>), <video>, <canvas>, and an element painted with a CSS
 * `url()` background that holds little text (a thumbnail, not a layout block whose text must stay readable), at
 * least `MIN_MEDIA_PX` square so the tool's icons stay sharp. Pictures are found as the page renders them: at
 * once in the MutationObserver's callback, which runs before the next paint, so a single-page tool's next item is
 * covered in the frame that first paints it, and again in a debounced full pass for style changes that reach a
 * picture from afar. A full page load is another matter: the content script starts at `document_idle`, after the
 * page's first paint, so until then the site's early stylesheet (public/media-shield/, registered at
 * `document_start` by lib/background/content-script-registration.ts) blurs or greys the same kinds of pictures with
 * `filter`. It applies only while the root lacks `SHIELD_READY_ATTRIBUTE`, which the shield sets once its own
 * covers are drawn: from then on revealing, and turning the shield off, work here alone.
 */
import type { MediaMode } from '../schemas';
import { mountOverlayHost, OVERLAY_Z_INDEX } from './overlay-host';

export type { MediaMode };

/**
 * Set on <html> once the early stylesheet may step aside (the covers are drawn, or the site shows its pictures). The
 * only mark Loupe leaves on the page's own elements: content-script CSS cannot be removed, only made not to match.
 */
export const SHIELD_READY_ATTRIBUTE = 'data-loupe-media-shield';

/** Lets the early stylesheet's pictures show (where no cover of ours replaces it); idempotent. */
export function releaseEarlyCover(doc: Document): void {
  // Only when missing: every attribute write on <html> is a style invalidation the page pays for.
  if (!doc.documentElement.hasAttribute(SHIELD_READY_ATTRIBUTE)) doc.documentElement.setAttribute(SHIELD_READY_ATTRIBUTE, '');
}

/** Smaller pictures are the tool's icons and avatars: shielding them would blur its controls for nothing. */
export const MIN_MEDIA_PX = 48;
/** Long enough not to fire as the pointer crosses a picture on its way elsewhere; a bar on the cover shows it. */
export const HOLD_TO_SHOW_MS = 700;
/** Bounds the work per frame (one rect each) on endless-scroll grids; covers are drawn only for those in view. */
const MAX_TRACKED = 1000;
/** Elements looked at per pass (one computed style each), so a huge page costs a bounded pass. */
const MAX_WALKED = 5000;
const RESCAN_DEBOUNCE_MS = 300;
/** A background picture with more text than a caption ("0:32", "3 photos") is a layout block, not a picture. */
const MAX_CAPTION_CHARS = 40;
const MEDIA_TAGS = new Set(['img', 'video', 'canvas']);
const SOURCE_ATTRIBUTES = ['src', 'srcset', 'poster'];
/** What can make an element a picture, or change which picture it shows. */
const WATCHED_ATTRIBUTES = [...SOURCE_ATTRIBUTES, 'style', 'class', 'hidden'];

/** Below the notes layer, so a note's outline round a picture is drawn over the blur, not blurred with it. */
const SHIELD_Z_INDEX = String(Number(OVERLAY_Z_INDEX) - 1);

// A dark veil under the blur keeps a bright picture from glowing through; the orange bar (the notes' amber)
// fills while the pointer rests, so the analyst sees a reveal coming and can move away.
const SHIELD_CSS = `
.c { position: absolute; left: 0; top: 0; box-sizing: border-box; overflow: hidden; pointer-events: none;
  display: flex; align-items: center; justify-content: center; background: rgb(40 40 40 / .3);
  backdrop-filter: blur(28px); }
.grey .c { background: none; backdrop-filter: grayscale(1); }
.c[hidden] { display: none; }
.c::before { content: ""; position: absolute; left: 0; bottom: 0; width: 100%; height: 4px; background: #e69f00;
  transform: scaleX(0); transform-origin: left; }
.c.hold::before { transform: none; transition: transform var(--hold) linear; }
.c span { max-width: 90%; padding: 3px 8px; border-radius: 4px; background: rgb(0 0 0 / .65); color: #fff;
  font: 12px/1.3 system-ui, sans-serif; text-align: center; }
.small span { display: none; }
@supports not (backdrop-filter: blur(1px)) {
  .c { background: #6b6b6b; } .grey .c { background: rgb(128 128 128 / .9); }
}
`;

export interface MediaShieldOptions {
  doc: Document;
  win?: Window;
  signal: AbortSignal;
  /** The site's choice, from its stored layout. */
  mode: MediaMode;
  holdMs?: number;
  /** Words on covers large enough to hold them, e.g. "Hold the pointer here to see it · Alt+V shows all". */
  hint?: string;
}

export interface MediaShield {
  /** The site's choice changed: 'shown' takes every cover and listener away. */
  setMode(mode: MediaMode): void;
  /** The item on screen (its id): a different one is shielded again, whatever was revealed before. */
  setItem(key: string): void;
  /** Shows every picture of the item (also those that appear later), or shields them all again. */
  toggleRevealAll(): void;
  /** True while the site's pictures are shielded (blurred or grey). */
  readonly active: boolean;
}

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

interface Tracked {
  element: Element;
  /** Ancestors that clip it (overflow not visible): a picture scrolled out of a pane is not covered outside it. */
  clippers: Element[];
  radius: string;
  cover?: HTMLDivElement;
  /** Where its cover is, in viewport coordinates; null when it has none (revealed, small, out of view). */
  box: Box | null;
}

type PageWindow = Window & Pick<typeof globalThis, 'MutationObserver'> & { ResizeObserver?: typeof ResizeObserver };

/** Whether `element` shows a picture the analyst may need shielding from (its size is checked when drawn). */
export function isMediaElement(element: Element, win: Window): boolean {
  if (MEDIA_TAGS.has(element.localName)) return true;
  if (element.localName === 'body' || element.localName === 'html') return false;
  return (
    win.getComputedStyle(element).backgroundImage.includes('url(') &&
    (element.textContent ?? '').trim().length <= MAX_CAPTION_CHARS
  );
}

/**
 * Which picture an element shows, so that a revealed <img> whose `src` the tool swaps (a carousel, the next item
 * in the same element) is shielded again. A canvas's drawing cannot be told apart; the item change covers it.
 */
function sourceOf(element: Element, win: Window): string {
  if (!MEDIA_TAGS.has(element.localName)) return win.getComputedStyle(element).backgroundImage;
  const own = SOURCE_ATTRIBUTES.map((name) => element.getAttribute(name) ?? '');
  return [...own, element.querySelector('source')?.getAttribute('src') ?? ''].join(' ');
}

function clippersOf(element: Element, win: Window): Element[] {
  const clippers: Element[] = [];
  for (let parent = element.parentElement; parent && parent.localName !== 'body'; parent = parent.parentElement) {
    const { overflow, overflowX, overflowY } = win.getComputedStyle(parent);
    if (/auto|scroll|hidden|clip/.test(`${overflow} ${overflowX} ${overflowY}`)) clippers.push(parent);
  }
  return clippers;
}

/** The part of the element on screen, or null when it is too small to shield or not on screen at all. */
function visibleBox(element: Element, clippers: readonly Element[], width: number, height: number): Box | null {
  const rect = element.getBoundingClientRect();
  if (rect.width < MIN_MEDIA_PX || rect.height < MIN_MEDIA_PX) return null;
  let [left, top, right, bottom] = [Math.max(rect.left, 0), Math.max(rect.top, 0), Math.min(rect.right, width), Math.min(rect.bottom, height)];
  for (const clipper of clippers) {
    const clip = clipper.getBoundingClientRect();
    [left, top, right, bottom] = [Math.max(left, clip.left), Math.max(top, clip.top), Math.min(right, clip.right), Math.min(bottom, clip.bottom)];
  }
  return right > left && bottom > top ? { left, top, width: right - left, height: bottom - top } : null;
}

function contains(box: Box | null, x: number, y: number): boolean {
  return !!box && x >= box.left && x < box.left + box.width && y >= box.top && y < box.top + box.height;
}

export function startMediaShield(options: MediaShieldOptions): MediaShield {
  const { doc, signal, holdMs = HOLD_TO_SHOW_MS, hint = 'Hold the pointer here to see it' } = options;
  const win = (options.win ?? doc.defaultView ?? window) as PageWindow;
  let tracked = new Map<Element, Tracked>();
  /** Revealed pictures, each with the source it showed then. */
  let revealed = new WeakMap<Element, string>();
  let revealAll = false;
  let mode: MediaMode = 'shown';
  let item = '';
  let pointer: { x: number; y: number } | null = null;
  let holding: Tracked | undefined;
  let holdTimer: ReturnType<typeof setTimeout> | undefined;
  let rescanTimer: ReturnType<typeof setTimeout> | undefined;
  let frame = 0;
  let active:
    | { host: HTMLElement; layer: HTMLDivElement; listeners: AbortController; mutations: MutationObserver; resizes?: ResizeObserver }
    | undefined;

  const isRevealed = (element: Element) => {
    const source = revealed.get(element);
    return revealAll || (source !== undefined && source === sourceOf(element, win));
  };

  function track(element: Element) {
    if (tracked.has(element) || tracked.size >= MAX_TRACKED) return;
    tracked.set(element, { element, clippers: clippersOf(element, win), radius: win.getComputedStyle(element).borderRadius, box: null });
    active?.resizes?.observe(element);
  }

  function untrack(element: Element) {
    tracked.get(element)?.cover?.remove();
    tracked.delete(element);
    active?.resizes?.unobserve(element);
  }

  /** Tracks the pictures in `root`'s subtree, looking at no more than `budget` elements; returns what is left. */
  function scan(root: Element, budget: number): number {
    const walker = doc.createTreeWalker(root, 1 /* NodeFilter.SHOW_ELEMENT */);
    for (let node: Node | null = root; node && budget > 0; node = walker.nextNode(), budget -= 1) {
      if (isMediaElement(node as Element, win)) track(node as Element);
    }
    return budget;
  }

  function rescan() {
    for (const [element, entry] of tracked) {
      if (isMediaElement(element, win)) entry.clippers = clippersOf(element, win);
      else untrack(element);
    }
    scan(doc.body ?? doc.documentElement, MAX_WALKED);
    schedule();
  }

  function onMutations(records: MutationRecord[]) {
    let budget = MAX_WALKED;
    const changed = new Set<Element>();
    for (const record of records) {
      if (record.type === 'attributes') changed.add(record.target as Element);
      else for (const node of record.addedNodes) if (node.nodeType === 1 && budget > 0) budget = scan(node as Element, budget);
    }
    for (const element of changed) if (isMediaElement(element, win)) track(element);
    schedule();
    clearTimeout(rescanTimer);
    rescanTimer = setTimeout(rescan, RESCAN_DEBOUNCE_MS);
  }

  function schedule() {
    if (active && !frame) frame = win.requestAnimationFrame(layout);
  }

  /** All reads, then all writes: one style recalculation per frame however many pictures there are. */
  function layout() {
    frame = 0;
    if (!active) return;
    const { clientWidth, clientHeight } = doc.documentElement;
    const [width, height] = [clientWidth || win.innerWidth, clientHeight || win.innerHeight];
    for (const [element, entry] of tracked) {
      if (!element.isConnected) untrack(element);
      else if (isRevealed(element) || element.checkVisibility?.({ visibilityProperty: true }) === false) entry.box = null;
      else entry.box = visibleBox(element, entry.clippers, width, height);
    }
    for (const entry of tracked.values()) draw(entry, active.layer);
    hover();
  }

  function draw(entry: Tracked, layer: HTMLDivElement) {
    const { box } = entry;
    if (!box) {
      entry.cover?.classList.remove('hold');
      if (entry.cover) entry.cover.hidden = true;
      return;
    }
    let { cover } = entry;
    if (!cover) {
      cover = entry.cover = doc.createElement('div');
      cover.className = 'c';
      const words = doc.createElement('span');
      words.textContent = hint;
      cover.append(words);
      layer.append(cover);
    }
    cover.hidden = false;
    cover.classList.toggle('small', box.width < 160 || box.height < 80);
    Object.assign(cover.style, {
      transform: `translate(${box.left}px, ${box.top}px)`,
      width: `${box.width}px`,
      height: `${box.height}px`,
      borderRadius: entry.radius,
    });
  }

  const shieldedAt = (x: number, y: number) => [...tracked.values()].filter((entry) => contains(entry.box, x, y));

  /** Starts the hold timer for the picture under the pointer, or cancels it when the pointer left that picture. */
  function hover() {
    const under = pointer ? shieldedAt(pointer.x, pointer.y)[0] : undefined;
    if (under === holding) return;
    clearTimeout(holdTimer);
    holding?.cover?.classList.remove('hold');
    holding = under;
    if (!under) return;
    under.cover?.classList.add('hold');
    holdTimer = setTimeout(() => {
      holding = undefined;
      // Every shielded picture under the pointer: a thumbnail inside a blurred card must not stay blurred by it.
      if (pointer) for (const entry of shieldedAt(pointer.x, pointer.y)) revealed.set(entry.element, sourceOf(entry.element, win));
      layout();
    }, holdMs);
  }

  function start() {
    revealAll = false;
    revealed = new WeakMap(); // Turned on again: what was revealed before is shielded too.
    const { host, root } = mountOverlayHost(doc, 'loupe-media', SHIELD_CSS);
    host.style.setProperty('z-index', SHIELD_Z_INDEX, 'important');
    const layer = doc.createElement('div');
    layer.setAttribute('aria-hidden', 'true'); // Covers say nothing a screen reader needs: the picture's alt stays.
    layer.style.setProperty('--hold', `${holdMs}ms`);
    root.append(layer);
    const listeners = new AbortController();
    const mutations = new win.MutationObserver(onMutations);
    mutations.observe(doc.body ?? doc.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: WATCHED_ATTRIBUTES });
    const resizes = win.ResizeObserver ? new win.ResizeObserver(schedule) : undefined;
    resizes?.observe(doc.documentElement);
    active = { host, layer, listeners, mutations, ...(resizes ? { resizes } : {}) };

    // Passive and capturing on the window: nothing the page listens for is delayed, stopped or prevented.
    const passive = { capture: true, passive: true, signal: listeners.signal };
    for (const type of ['scroll', 'resize', 'transitionend', 'animationend']) win.addEventListener(type, schedule, passive);
    doc.addEventListener('load', schedule, passive); // An <img> loading moves what is below it; it never bubbles.
    win.addEventListener(
      'pointermove',
      (event) => {
        pointer = { x: event.clientX, y: event.clientY };
        hover();
      },
      passive,
    );
    // Out of the window, or into an iframe (the panel's moves never reach the page).
    win.addEventListener(
      'pointerout',
      (event) => {
        const to = event.relatedTarget as Element | null;
        if (to !== null && to.localName !== 'iframe') return;
        pointer = null;
        hover();
      },
      passive,
    );
    scan(doc.body ?? doc.documentElement, MAX_WALKED);
    layout();
  }

  function stop() {
    if (!active) return;
    active.listeners.abort();
    active.mutations.disconnect();
    active.resizes?.disconnect();
    active.host.remove();
    active = undefined;
    win.cancelAnimationFrame(frame);
    frame = 0;
    clearTimeout(holdTimer);
    clearTimeout(rescanTimer);
    holding = undefined;
    tracked = new Map();
  }

  function shieldAgain() {
    revealAll = false;
    revealed = new WeakMap();
    if (active) layout(); // At once: the next item's pictures are on screen in this frame.
  }

  function setMode(next: MediaMode) {
    if (signal.aborted || next === mode) return;
    mode = next;
    if (next === 'shown') return stop();
    if (!active) start();
    else shieldAgain(); // Blurred to grey is a choice to be shielded: what was revealed is shielded too.
    active?.layer.classList.toggle('grey', next === 'grey');
  }

  signal.addEventListener('abort', stop, { once: true });
  setMode(options.mode);
  // In the same task as the covers' first layout: no frame is painted between the one cover and the other.
  releaseEarlyCover(doc);

  return {
    setMode,
    setItem(key) {
      if (key === item) return;
      item = key;
      shieldAgain();
    },
    toggleRevealAll() {
      if (!active) return;
      if (revealAll) return shieldAgain();
      revealAll = true;
      layout();
    },
    get active() {
      return active !== undefined;
    },
  };
}
