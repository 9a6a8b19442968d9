/**
 * Annotate mode in happy-dom: the page's handlers must not run while the mentor points, a selection or a click
 * becomes a target, Esc cancels, and nothing is left behind. Real mouse selection and layout are the Chromium
 * e2e test's job; here selections are set through the Selection API between a dispatched press and release.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type Mock, type MockInstance } from 'vitest';
import { elementLabel, isLoupeNode, startCapture, type Capture, type CaptureTarget } from '../../lib/content/note-capture';
import { pageWordsFor } from '../../lib/i18n/page-words';

const PAGE = `
  <main>
    <p id="text">The user wrote a threatening message to another player.</p>
    <button id="approve" type="button"><svg id="icon"></svg><span id="approve-label">Approve</span></button>
    <a id="link" href="/next-item">Next item</a>
    <div id="own" data-own>Loupe's own words.</div>
    <input id="field" type="text" value="typed by someone">
  </main>`;

function byId(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} missing from the fixture`);
  return element;
}

/** Every event of these types the page's own listeners receive, on the element or delegated to the document. */
function pageListeners(types: readonly string[]) {
  const heard: string[] = [];
  for (const type of types) {
    document.addEventListener(type, (event) => heard.push(`${type}@${(event.target as Element).id || (event.target as Element).localName}`));
  }
  return heard;
}

const POINTER_TYPES = ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click', 'keydown'] as const;

function press(target: Element, init: MouseEventInit = {}) {
  const options = { bubbles: true, cancelable: true, composed: true, button: 0, ...init };
  target.dispatchEvent(new PointerEvent('pointerdown', options));
  target.dispatchEvent(new MouseEvent('mousedown', options));
}

function release(target: Element, init: MouseEventInit = {}) {
  const options = { bubbles: true, cancelable: true, composed: true, button: 0, ...init };
  target.dispatchEvent(new PointerEvent('pointerup', options));
  target.dispatchEvent(new MouseEvent('mouseup', options));
  const click = new MouseEvent('click', options);
  target.dispatchEvent(click);
  return click;
}

function key(target: EventTarget, keyName: string, init: KeyboardEventInit = {}) {
  const event = new KeyboardEvent('keydown', { key: keyName, bubbles: true, cancelable: true, composed: true, ...init });
  target.dispatchEvent(event);
  return event;
}

function select(element: Element, quote: string) {
  const text = element.firstChild as Text;
  const start = text.data.indexOf(quote);
  document.getSelection()?.setBaseAndExtent(text, start, text, start + quote.length);
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

let capture: Capture | undefined;
let heard: string[];
let targets: CaptureTarget[];
let onCancel: Mock<() => void>;
let shadowRoots: MockInstance<(init: ShadowRootInit) => ShadowRoot>;

beforeEach(() => {
  document.body.replaceChildren(document.createRange().createContextualFragment(PAGE));
  document.getSelection()?.removeAllRanges();
  heard = pageListeners(POINTER_TYPES);
  targets = [];
  onCancel = vi.fn<() => void>();
  shadowRoots = vi.spyOn(HTMLElement.prototype, 'attachShadow');
});

afterEach(() => {
  capture?.stop();
  capture = undefined;
});

function start(extra: { isOwnElement?(node: Node): boolean; signal?: AbortSignal } = {}) {
  capture = startCapture({ doc: document, onTarget: (target) => targets.push(target), onCancel, ...extra });
  return capture;
}

function overlay(): ShadowRoot {
  const root = shadowRoots.mock.results.at(-1)?.value as ShadowRoot | undefined;
  if (!root) throw new Error('capture attached no shadow root');
  return root;
}

describe('startCapture', () => {
  it('says what to do in a banner outside <body>, leaving the page as it was', () => {
    const before = new XMLSerializer().serializeToString(document.body);
    start();
    const host = document.querySelector('loupe-capture');
    expect(host?.parentNode).toBe(document.documentElement);
    expect(overlay().querySelector('[role="status"]')?.textContent).toContain(
      'Select text or click an element to annotate · Esc to cancel',
    );
    expect(new XMLSerializer().serializeToString(document.body)).toBe(before);
  });

  it('speaks the user\u2019s language when the worker sent its words', () => {
    const capture = startCapture({ doc: document, onTarget: () => undefined, onCancel: () => undefined, words: pageWordsFor('vi') });
    expect(overlay().querySelector('[role="status"] span')?.textContent).toBe(pageWordsFor('vi').captureBanner);
    expect(overlay().querySelector('.banner button')?.textContent).toBe('Hủy');
    capture.stop();
  });

  it('takes a clicked element without the page hearing the press, the release or the click', () => {
    const onPageButton = vi.fn();
    byId('approve').addEventListener('click', onPageButton);
    start();
    press(byId('approve-label'));
    const click = release(byId('approve-label'));

    expect(onPageButton).not.toHaveBeenCalled();
    expect(heard).toEqual([]);
    expect(click.defaultPrevented).toBe(true);
    // The label's <span> was clicked; the mentor meant the button.
    expect(targets).toEqual([{ kind: 'element', element: byId('approve') }]);
    expect(document.querySelector('loupe-capture')).toBeNull();

    // Afterwards the page works as before.
    byId('approve').click();
    expect(onPageButton).toHaveBeenCalledTimes(1);
  });

  it('takes the button, not its icon', () => {
    start();
    press(byId('icon'));
    release(byId('icon'));
    expect(targets).toEqual([{ kind: 'element', element: byId('approve') }]);
  });

  it('does not follow a clicked link', () => {
    start();
    press(byId('link'));
    const click = release(byId('link'));
    expect(click.defaultPrevented).toBe(true);
    expect(targets).toEqual([{ kind: 'element', element: byId('link') }]);
  });

  it('ignores a click on the page itself and keeps capturing', () => {
    start();
    press(document.body);
    release(document.body);
    expect(targets).toEqual([]);
    expect(document.querySelector('loupe-capture')).not.toBeNull();
  });

  it('takes text selected with the mouse, and swallows the click that ends that press', () => {
    const onPageText = vi.fn();
    byId('text').addEventListener('click', onPageText);
    start();
    press(byId('text'));
    select(byId('text'), 'threatening message');
    const click = release(byId('text'));

    expect(targets).toHaveLength(1);
    const [target] = targets;
    expect(target?.kind).toBe('text');
    expect(target?.kind === 'text' && target.range.toString()).toBe('threatening message');
    expect(onPageText).not.toHaveBeenCalled();
    expect(click.defaultPrevented).toBe(true);
    expect(heard).toEqual([]);

    // The next, separate click is the page's again.
    press(byId('text'));
    release(byId('text'));
    expect(onPageText).toHaveBeenCalledTimes(1);
  });

  it('does not take a selection that was already there before the press as new', () => {
    select(byId('text'), 'threatening');
    start();
    press(byId('approve'));
    release(byId('approve'));
    expect(targets).toEqual([{ kind: 'element', element: byId('approve') }]);
  });

  it('never takes text or clicks inside Loupe’s own elements, and lets those clicks through', () => {
    const isOwnElement = (node: Node) => (node.nodeType === 1 ? (node as Element) : node.parentElement)?.closest('[data-own]') != null;
    start({ isOwnElement });
    press(byId('own'));
    select(byId('own'), 'own words');
    const click = release(byId('own'));
    expect(targets).toEqual([]);
    expect(click.defaultPrevented).toBe(false);
    expect(heard).toContain('click@own');
  });

  it('takes text selected with the keyboard on Enter, before the page sees the key', () => {
    start();
    select(byId('text'), 'another player');
    const enter = key(document.body, 'Enter');
    expect(enter.defaultPrevented).toBe(true);
    expect(heard).toEqual([]);
    expect(targets.map((t) => (t.kind === 'text' ? t.range.toString() : t.kind))).toEqual(['another player']);
  });

  it('takes the focused element on Enter when nothing is selected', () => {
    start();
    byId('link').focus();
    key(byId('link'), 'Enter');
    expect(targets).toEqual([{ kind: 'element', element: byId('link') }]);
  });

  it('leaves Enter to the page when there is nothing to take, and Enter with a modifier always', () => {
    start();
    expect(key(document.body, 'Enter').defaultPrevented).toBe(false);
    select(byId('text'), 'user');
    expect(key(document.body, 'Enter', { ctrlKey: true }).defaultPrevented).toBe(false);
    expect(targets).toEqual([]);
  });

  it('offers Enter in the banner once text is selected', async () => {
    start();
    const status = overlay().querySelector('[role="status"]');
    select(byId('text'), 'user');
    await new Promise((resolve) => setTimeout(resolve, 0)); // selectionchange is queued as a task.
    expect(status?.textContent).toContain('Enter to annotate the selected text');
  });

  it('cancels on Esc without the page hearing it, and restores the page', () => {
    const onPageButton = vi.fn();
    byId('approve').addEventListener('click', onPageButton);
    start();
    const esc = key(document.body, 'Escape');
    expect(esc.defaultPrevented).toBe(true);
    expect(heard).toEqual([]);
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(targets).toEqual([]);
    expect(document.querySelector('loupe-capture')).toBeNull();
    press(byId('approve'));
    release(byId('approve'));
    expect(onPageButton).toHaveBeenCalledTimes(1);
  });

  it('cancels from the banner’s Cancel button', () => {
    start();
    overlay().querySelector<HTMLButtonElement>('.banner button')?.click();
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(document.querySelector('loupe-capture')).toBeNull();
  });

  it('outlines and names the element under the pointer, on the next frame', async () => {
    const rect = new DOMRect(40, 200, 90, 30);
    vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
      return this.id === 'approve' ? rect : new DOMRect();
    });
    start();
    const root = overlay();
    byId('approve-label').dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: 50, clientY: 210 }));
    await nextFrame();
    const outline = root.querySelector<HTMLElement>('.outline');
    expect(root.querySelector('.label')?.textContent).toBe('button “Approve”');
    expect(outline?.hidden).toBe(false);
    expect([outline?.style.transform, outline?.style.width, outline?.style.height]).toEqual(['translate(40px, 200px)', '90px', '30px']);

    // While a button is held the mentor is selecting text: no outline.
    byId('approve-label').dispatchEvent(new MouseEvent('mousemove', { bubbles: true, buttons: 1 }));
    await nextFrame();
    expect(outline?.hidden).toBe(true);
  });

  it('labels the outline with the describer it is given', async () => {
    vi.spyOn(Element.prototype, 'getBoundingClientRect').mockReturnValue(new DOMRect(0, 0, 10, 10));
    capture = startCapture({ doc: document, onTarget: () => undefined, onCancel, describe: (element) => `the ${element.id}` });
    byId('link').dispatchEvent(new MouseEvent('mousemove', { bubbles: true }));
    await nextFrame();
    expect(overlay().querySelector('.label')?.textContent).toBe('the link');
  });

  it('hands back the current selection on confirmSelection, and answers false without one', () => {
    const running = start();
    expect(running.confirmSelection()).toBe(false);
    select(byId('text'), 'message');
    expect(running.confirmSelection()).toBe(true);
    expect(targets.map((t) => t.kind === 'text' && t.range.toString())).toEqual(['message']);
  });

  it.each([
    ['stop()', (running: Capture) => running.stop()],
    ['its signal aborting', (_running: Capture, controller: AbortController) => controller.abort()],
  ])('stops on %s without calling onCancel, and the page hears clicks again', (_how, stopIt) => {
    const controller = new AbortController();
    const running = start({ signal: controller.signal });
    stopIt(running, controller);
    expect(document.querySelector('loupe-capture')).toBeNull();
    press(byId('approve'));
    release(byId('approve'));
    expect(heard).toContain('click@approve');
    expect(targets).toEqual([]);
    expect(onCancel).not.toHaveBeenCalled();
  });
});

describe('isLoupeNode', () => {
  it('knows the panel iframe and the overlay hosts, and nothing of the page', () => {
    const panel = document.createElement('iframe');
    panel.setAttribute('data-loupe-panel', '');
    const notes = document.createElement('loupe-notes');
    document.documentElement.append(panel, notes);
    expect([isLoupeNode(panel), isLoupeNode(notes), isLoupeNode(byId('text')), isLoupeNode(byId('text').firstChild as Text)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    panel.remove();
    notes.remove();
  });
});

describe('elementLabel', () => {
  const fragment = (markup: string) => {
    const element = document.createRange().createContextualFragment(markup).firstElementChild;
    if (!element) throw new Error('no element');
    return element;
  };
  it.each([
    ['<button> Approve\n item </button>', 'button “Approve item”'],
    ['<button aria-label="Reject"><svg></svg></button>', 'button “Reject”'],
    ['<img alt="Reported photo" src="x.png">', 'img “Reported photo”'],
    ['<input type="text" value="what someone typed">', 'input'],
    ['<input type="text" placeholder="Reason" value="what someone typed">', 'input “Reason”'],
    ['<input type="submit" value="Send">', 'input “Send”'],
    ['<div role="tab">Policy</div>', 'tab “Policy”'],
    ['<div class="media-panel extra"></div>', 'div.media-panel'],
    ['<div id="viewer"></div>', 'div#viewer'],
    [`<p>${'long text '.repeat(10)}</p>`, 'p “long text long text long text long text…”'],
  ])('%s → %s', (markup, description) => {
    expect(elementLabel(fragment(markup))).toBe(description);
  });
});
