/**
 * The media shield (issue 7) in happy-dom: which elements it takes for pictures, where it draws their covers, how
 * holding the pointer, the reveal key and a new item change what is covered, and that the page is left as it was.
 * happy-dom has no layout, so client rects come from a small fake layout (rects per element, shifted by a fake
 * scroll). Whether the covers really blur, and let clicks through, only a browser can show: that is the e2e's job
 * (tests/e2e/media-shield.e2e.ts).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HOLD_TO_SHOW_MS, isMediaElement, MIN_MEDIA_PX, startMediaShield, type MediaShield } from '../../lib/content/media-shield';
import { listenForPageHotkeys } from '../../lib/content/page-hotkeys';
import { commandForKey, type PanelCommand } from '../../lib/hotkeys';
import { DEFAULT_HOTKEYS, hotkeysSchema, panelLayoutSchema, settingsSchema } from '../../lib/schemas';

const PAGE = `
  <main>
    <figure id="figure"><img id="photo" src="/media/a.svg" alt="reported picture"><figcaption>caption</figcaption></figure>
    <video id="clip" src="/media/clip.mp4"></video>
    <canvas id="drawing"></canvas>
    <div id="thumb" style="background-image: url('/media/thumb.jpg')"><span>0:32</span></div>
    <div id="banner" style="background-image: url('/media/texture.png')">
      <p>The policy for this queue says that graphic violence is removed unless it is newsworthy.</p>
      <button id="approve" type="button">Approve</button>
    </div>
    <div id="gradient" style="background-image: linear-gradient(red, blue)"></div>
    <img id="icon" src="/icons/flag.svg" alt="flag">
    <div id="pane" style="overflow: auto"><img id="in-pane" src="/media/b.svg" alt=""></div>
  </main>`;

const VIEWPORT = { width: 1000, height: 700 };

/** Rects per element in page coordinates; the viewport shows them shifted by `scrollY`. */
const layout = { rects: new Map<Element, DOMRect>(), scrollY: 0 };

function place(element: Element, x: number, y: number, width: number, height: number) {
  layout.rects.set(element, new DOMRect(x, y, width, height));
}

function byId(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} missing from the fixture`);
  return element;
}

function fakeLayout() {
  vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
    const rect = layout.rects.get(this);
    return rect ? new DOMRect(rect.x, rect.y - layout.scrollY, rect.width, rect.height) : new DOMRect();
  });
  vi.spyOn(document.documentElement, 'clientWidth', 'get').mockReturnValue(VIEWPORT.width);
  vi.spyOn(document.documentElement, 'clientHeight', 'get').mockReturnValue(VIEWPORT.height);
}

/** The closed shadow root the shield attaches, kept from the `attachShadow` call. */
function spyShadowRoots() {
  const attach = vi.spyOn(HTMLElement.prototype, 'attachShadow');
  return (host: Element): ShadowRoot => {
    const index = attach.mock.contexts.indexOf(host as HTMLElement);
    const root = attach.mock.results[index]?.value as ShadowRoot | undefined;
    if (!root) throw new Error('no shadow root attached to this host');
    return root;
  };
}

let shadowOf: (host: Element) => ShadowRoot;
let controller: AbortController;
let shield: MediaShield;

const host = () => document.documentElement.querySelector(':scope > loupe-media');

/** Each cover on screen as [left, top, width, height], read back from how it was placed. */
function covers(): Array<[number, number, number, number]> {
  const element = host();
  if (!element) return [];
  return Array.from(shadowOf(element).querySelectorAll<HTMLElement>('.c'))
    .filter((cover) => !cover.hidden)
    .map((cover) => {
      const [, x = '', y = ''] = /translate\(([-\d.]+)px, ([-\d.]+)px\)/.exec(cover.style.transform) ?? [];
      return [Number(x), Number(y), parseFloat(cover.style.width), parseFloat(cover.style.height)] as [number, number, number, number];
    })
    .sort((a, b) => a[1] - b[1] || a[0] - b[0]);
}

function coverAt(x: number, y: number): HTMLElement | undefined {
  const element = host();
  if (!element) return undefined;
  return Array.from(shadowOf(element).querySelectorAll<HTMLElement>('.c')).find((cover) => {
    const [, left = '', top = ''] = /translate\(([-\d.]+)px, ([-\d.]+)px\)/.exec(cover.style.transform) ?? [];
    return !cover.hidden && Number(left) <= x && Number(top) <= y && x < Number(left) + parseFloat(cover.style.width) && y < Number(top) + parseFloat(cover.style.height);
  });
}

function pointTo(x: number, y: number) {
  window.dispatchEvent(new PointerEvent('pointermove', { clientX: x, clientY: y, bubbles: true }));
}

/** Lets the MutationObserver's callback run, then the frame it asked for. */
async function afterRender() {
  await Promise.resolve();
  await vi.advanceTimersByTimeAsync(20);
}

function start(mode: 'shown' | 'blurred' | 'grey' = 'blurred', holdMs?: number) {
  shield = startMediaShield({ doc: document, win: window, signal: controller.signal, mode, ...(holdMs ? { holdMs } : {}) });
}

const PHOTO: [number, number, number, number] = [20, 100, 480, 300];
const CLIP: [number, number, number, number] = [520, 100, 320, 180];
const DRAWING: [number, number, number, number] = [20, 420, 200, 120];
const THUMB: [number, number, number, number] = [240, 420, 96, 64];

beforeEach(() => {
  vi.useFakeTimers();
  document.body.replaceChildren(document.createRange().createContextualFragment(PAGE));
  layout.rects.clear();
  layout.scrollY = 0;
  place(byId('photo'), ...PHOTO);
  place(byId('clip'), ...CLIP);
  place(byId('drawing'), ...DRAWING);
  place(byId('thumb'), ...THUMB);
  place(byId('banner'), 20, 560, 800, 120);
  place(byId('gradient'), 360, 420, 100, 100);
  place(byId('icon'), 480, 420, 24, 24);
  // A pane 80px tall at y = 600 whose picture runs past its bottom edge (680) and the viewport's (700).
  place(byId('pane'), 860, 600, 120, 80);
  place(byId('in-pane'), 860, 620, 120, 200);
  fakeLayout();
  shadowOf = spyShadowRoots();
  controller = new AbortController();
});

afterEach(() => {
  controller.abort();
  vi.useRealTimers();
});

describe('isMediaElement', () => {
  it.each([
    ['photo', true],
    ['clip', true],
    ['drawing', true],
    ['thumb', true],
    ['icon', true], // a picture too: its size keeps it uncovered
    ['banner', false],
    ['gradient', false],
    ['figure', false],
    ['approve', false],
  ])('#%s → %s', (id, expected) => {
    expect(isMediaElement(byId(id), window)).toBe(expected);
  });

  it('never takes the body for a picture, whatever its background', () => {
    document.body.style.backgroundImage = "url('/texture.png')";
    expect(isMediaElement(document.body, window)).toBe(false);
  });
});

describe('startMediaShield', () => {
  it('covers every picture of at least MIN_MEDIA_PX on screen, clipped to the viewport and to its scrolling pane', () => {
    start();
    expect(MIN_MEDIA_PX).toBe(48);
    expect(covers()).toEqual([PHOTO, CLIP, DRAWING, THUMB, [860, 620, 120, 60]]);
  });

  it('mounts nothing while the site shows media, and takes it all away when turned off again', () => {
    start('shown');
    expect(host()).toBeNull();
    expect(shield.active).toBe(false);
    shield.setMode('grey');
    expect(host()?.parentElement).toBe(document.documentElement);
    expect(shadowOf(host()!).querySelector('.grey')).not.toBeNull();
    expect(covers()).toHaveLength(5);
    shield.setMode('blurred');
    expect(shadowOf(host()!).querySelector('.grey')).toBeNull();
    expect(shield.active).toBe(true);
    shield.setMode('shown');
    expect(host()).toBeNull();
    expect(shield.active).toBe(false);
  });

  it('costs a page that shows media nothing: no observer, no listener, no style read (issue 6)', async () => {
    const Original = window.MutationObserver;
    let observersMade = 0;
    window.MutationObserver = class extends Original {
      constructor(callback: MutationCallback) {
        super(callback);
        observersMade += 1;
      }
    };
    const styles = vi.spyOn(window, 'getComputedStyle');
    const listeners = vi.spyOn(window, 'addEventListener');
    try {
      start('shown');
      shield.setItem('MQ-1');
      shield.toggleRevealAll();
      byId('photo').setAttribute('src', '/other.png');
      await afterRender();
      expect(observersMade).toBe(0);
      expect(styles).not.toHaveBeenCalled();
      expect(listeners).not.toHaveBeenCalled();
      shield.setMode('blurred');
      expect(observersMade).toBe(1); // What is counted, when it does start.
    } finally {
      window.MutationObserver = Original;
      styles.mockRestore();
      listeners.mockRestore();
    }
  });

  it('leaves the page as the tool built it', async () => {
    const serialize = (node: Node) => new XMLSerializer().serializeToString(node);
    const before = serialize(document.body);
    start();
    pointTo(100, 200);
    await vi.advanceTimersByTimeAsync(HOLD_TO_SHOW_MS);
    shield.toggleRevealAll();
    expect(serialize(document.body)).toBe(before);
    expect(document.head.childNodes).toHaveLength(0);
  });

  it('follows a scroll', async () => {
    start();
    layout.scrollY = 80;
    window.dispatchEvent(new Event('scroll'));
    await vi.advanceTimersByTimeAsync(20);
    expect(covers()[0]).toEqual([20, 20, 480, 300]);
    // The picture that is now partly above the viewport is covered down from its top edge.
    layout.scrollY = 150;
    window.dispatchEvent(new Event('scroll'));
    await vi.advanceTimersByTimeAsync(20);
    expect(covers()[0]).toEqual([20, 0, 480, 250]);
  });

  it('reveals the picture the pointer rests on after HOLD_TO_SHOW_MS, showing the hold as it runs', async () => {
    start();
    pointTo(100, 200);
    expect(coverAt(100, 200)?.classList.contains('hold')).toBe(true);
    await vi.advanceTimersByTimeAsync(HOLD_TO_SHOW_MS - 1);
    expect(coverAt(100, 200)).toBeDefined();
    pointTo(110, 210); // moving within the same picture does not start over
    await vi.advanceTimersByTimeAsync(1);
    expect(coverAt(100, 200)).toBeUndefined();
    expect(covers()).toEqual([CLIP, DRAWING, THUMB, [860, 620, 120, 60]]);
  });

  it('does not reveal a picture the pointer only crossed', async () => {
    start();
    pointTo(100, 200);
    await vi.advanceTimersByTimeAsync(HOLD_TO_SHOW_MS / 2);
    pointTo(600, 50); // off every picture
    expect(coverAt(100, 200)?.classList.contains('hold')).toBe(false);
    await vi.advanceTimersByTimeAsync(HOLD_TO_SHOW_MS * 2);
    expect(covers()).toHaveLength(5);
    // Leaving the window (or entering the panel's iframe) also stops the hold.
    pointTo(100, 200);
    window.dispatchEvent(new PointerEvent('pointerout', { relatedTarget: null }));
    await vi.advanceTimersByTimeAsync(HOLD_TO_SHOW_MS * 2);
    expect(covers()).toHaveLength(5);
  });

  it('takes a custom hold time', async () => {
    start('blurred', 200);
    pointTo(100, 200);
    await vi.advanceTimersByTimeAsync(200);
    expect(coverAt(100, 200)).toBeUndefined();
  });

  it('shields a revealed picture again when the tool swaps what it shows', async () => {
    start();
    pointTo(100, 200);
    await vi.advanceTimersByTimeAsync(HOLD_TO_SHOW_MS);
    pointTo(5, 5);
    expect(coverAt(100, 200)).toBeUndefined();
    byId('photo').setAttribute('src', '/media/next.svg');
    await afterRender();
    expect(coverAt(100, 200)).toBeDefined();
  });

  it('reveals all of the item by key, shields them again on the second press, and on a new item', async () => {
    start();
    shield.setItem('MQ-1');
    shield.toggleRevealAll();
    expect(covers()).toEqual([]);
    // Pictures the item shows later are shown too.
    const late = document.createElement('img');
    byId('figure').append(late);
    place(late, 20, 700 - 60, 60, 60);
    await afterRender();
    expect(covers()).toEqual([]);
    shield.toggleRevealAll();
    expect(covers()).toHaveLength(6);

    shield.toggleRevealAll();
    shield.setItem('MQ-1'); // the same item read again: nothing changes
    expect(covers()).toEqual([]);
    shield.setItem('MQ-2');
    expect(covers()).toHaveLength(6);
  });

  it('keeps what was revealed when the layout changes otherwise, and shields it again on a change of shield', async () => {
    start();
    pointTo(100, 200);
    await vi.advanceTimersByTimeAsync(HOLD_TO_SHOW_MS);
    shield.setMode('blurred'); // the panel was folded: the same layout's media comes again
    expect(coverAt(100, 200)).toBeUndefined();
    shield.setMode('grey');
    expect(coverAt(100, 200)).toBeDefined();
  });

  it('forgets what was revealed on a new item', async () => {
    start();
    shield.setItem('MQ-1');
    pointTo(100, 200);
    await vi.advanceTimersByTimeAsync(HOLD_TO_SHOW_MS);
    expect(coverAt(100, 200)).toBeUndefined();
    shield.setItem('MQ-2');
    expect(coverAt(100, 200)).toBeDefined();
  });

  it('covers pictures the page adds before the frame that paints them', async () => {
    start();
    const added = document.createElement('div');
    added.append(document.createRange().createContextualFragment('<img id="next" src="/media/c.svg"><img id="tiny" src="/icons/x.svg">'));
    byId('figure').after(added);
    place(added.querySelector('#next')!, 520, 300, 200, 100);
    place(added.querySelector('#tiny')!, 720, 300, 16, 16);
    await afterRender();
    expect(covers()).toContainEqual([520, 300, 200, 100]);
    expect(covers()).toHaveLength(6);

    // Removed from the page: its cover goes with it.
    added.remove();
    await afterRender();
    expect(covers()).toHaveLength(5);
  });

  it('picks up a background picture given later by a style change', async () => {
    start();
    const gradient = byId('gradient');
    gradient.style.backgroundImage = "url('/media/late.jpg')";
    await afterRender();
    expect(covers()).toContainEqual([360, 420, 100, 100]);
  });

  it('lets every pointer event through to the page, unprevented', () => {
    start();
    const seen: string[] = [];
    for (const type of ['pointermove', 'pointerdown', 'click']) {
      document.addEventListener(type, (event) => seen.push(`${type}:${String(event.defaultPrevented)}`));
    }
    const photo = byId('photo');
    photo.dispatchEvent(new PointerEvent('pointermove', { clientX: 100, clientY: 200, bubbles: true, cancelable: true }));
    photo.dispatchEvent(new PointerEvent('pointerdown', { clientX: 100, clientY: 200, bubbles: true, cancelable: true }));
    photo.dispatchEvent(new MouseEvent('click', { clientX: 100, clientY: 200, bubbles: true, cancelable: true }));
    expect(seen).toEqual(['pointermove:false', 'pointerdown:false', 'click:false']);
  });

  it('removes everything when its signal aborts', () => {
    start();
    expect(host()).not.toBeNull();
    controller.abort();
    expect(host()).toBeNull();
    shield.setMode('blurred');
    expect(host()).toBeNull();
  });
});

describe('the shield in settings and keys', () => {
  it('has keys of its own, with defaults for settings saved before it existed', () => {
    const press = (key: string, code: string) => ({ key, code, altKey: true, ctrlKey: false, metaKey: false, shiftKey: false });
    expect(commandForKey(press('b', 'KeyB'), DEFAULT_HOTKEYS, [], false)).toEqual({ kind: 'shield-media' });
    expect(commandForKey(press('v', 'KeyV'), DEFAULT_HOTKEYS, [], false)).toEqual({ kind: 'reveal-media' });
    const saved = { correct: '1', incorrect: '2', unsure: '3', save: 'Enter', undo: 'Mod+z', help: '?', togglePanel: 'Alt+l' };
    expect(hotkeysSchema.parse(saved)).toMatchObject({ shieldMedia: 'Alt+b', revealMedia: 'Alt+v' });
  });

  it('leaves the reveal key to the page while there is nothing to reveal', () => {
    const commands: PanelCommand[] = [];
    let shielded = false;
    listenForPageHotkeys({
      win: window,
      hotkeys: DEFAULT_HOTKEYS,
      tags: [],
      isMac: false,
      onCommand: (command) => commands.push(command),
      isIdle: (command) => command.kind === 'reveal-media' && !shielded,
      signal: controller.signal,
    });
    const press = () => {
      const event = new KeyboardEvent('keydown', { key: 'v', code: 'KeyV', altKey: true, bubbles: true, cancelable: true });
      document.body.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(press()).toBe(false);
    expect(commands).toEqual([]);
    shielded = true;
    expect(press()).toBe(true);
    expect(commands).toEqual([{ kind: 'reveal-media' }]);
  });

  it('refuses a shield key another command already has', () => {
    const result = settingsSchema.safeParse({ hotkeys: { ...DEFAULT_HOTKEYS, revealMedia: 'Alt+n' } });
    expect(result.success).toBe(false);
  });

  it('keeps the choice in the site layout, where layouts stored before it still parse', () => {
    expect(panelLayoutSchema.parse({ side: 'left', collapsed: false })).toEqual({ side: 'left', collapsed: false });
    expect(panelLayoutSchema.parse({ side: 'left', collapsed: false, media: 'grey' }).media).toBe('grey');
    expect(panelLayoutSchema.safeParse({ side: 'left', collapsed: false, media: 'hidden' }).success).toBe(false);
  });
});
