/**
 * Site setup's picker (lib/content/site-picker.ts) in happy-dom: pointing never operates the page (no press,
 * click or key reaches its listeners), the keyboard moves an outline through the page and picks with Enter, Esc
 * cancels, and nothing is left behind. Layout and real input are the Chromium e2e test's job.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type Mock, type MockInstance } from 'vitest';
import { PICKER_WORDS, startSitePicker, type SitePicker } from '../../lib/content/site-picker';
import { isSitePicking, SITE_PICKER_TAG } from '../../lib/content/site-picker-host';
import { PICK_PROMPTS } from '../../lib/content/site-picker-session';
import { ITEM_FIELDS } from '../../lib/schemas';
import common from '../../lib/i18n/catalogs/en/common';
import setup from '../../lib/i18n/catalogs/en/setup';
import { loadTranslator } from '../../lib/i18n/load';
import type { MessageKey } from '../../lib/i18n/messages';
import { pickerWords } from '../../lib/setup/setup-text';

const PAGE = `
  <nav id="crumbs"><a id="home" href="/">Casebook</a> › <span id="queue">Spam · TH</span></nav>
  <h1 id="title">Case #4411</h1>
  <p id="byline">Reviewed by <b id="who">rev-kim</b></p>
  <p id="hidden" hidden>Not shown</p>
  <table><tr><th id="label">Decision</th><td id="cell"><span id="pill">Remove</span></td></tr></table>
  <div id="actions"><button id="approve" type="button"><span id="approve-label">Approve</span></button><a id="next" href="/next">Next</a></div>
  <div data-loupe-panel id="own">Loupe's own words</div>`;

function byId(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is not in the fixture`);
  return element;
}

function key(keyName: string, init: KeyboardEventInit = {}) {
  const event = new KeyboardEvent('keydown', { key: keyName, bubbles: true, cancelable: true, composed: true, ...init });
  (document.activeElement ?? document.body).dispatchEvent(event);
  return event;
}

function click(target: Element) {
  const options = { bubbles: true, cancelable: true, composed: true, button: 0 };
  const down = new MouseEvent('mousedown', options);
  target.dispatchEvent(new PointerEvent('pointerdown', options));
  target.dispatchEvent(down);
  target.dispatchEvent(new PointerEvent('pointerup', options));
  target.dispatchEvent(new MouseEvent('mouseup', options));
  const event = new MouseEvent('click', options);
  target.dispatchEvent(event);
  return { down, click: event };
}

let heard: string[];
let pageListeners: AbortController;
let picked: Element[];
let onCancel: Mock<() => void>;
let picker: SitePicker | undefined;
let shadowRoots: MockInstance<(init: ShadowRootInit) => ShadowRoot>;

beforeEach(() => {
  document.body.replaceChildren(document.createRange().createContextualFragment(PAGE));
  heard = [];
  pageListeners = new AbortController();
  for (const type of ['pointerdown', 'mousedown', 'mouseup', 'click', 'keydown', 'keyup']) {
    document.addEventListener(type, (event) => heard.push(`${type}@${(event.target as Element).id || (event.target as Element).localName}`), {
      signal: pageListeners.signal,
    });
  }
  picked = [];
  onCancel = vi.fn<() => void>();
  shadowRoots = vi.spyOn(HTMLElement.prototype, 'attachShadow');
});

afterEach(() => {
  pageListeners.abort();
  picker?.stop();
  picker = undefined;
});

function start(extra: Partial<Parameters<typeof startSitePicker>[0]> = {}) {
  picker = startSitePicker({ doc: document, prompt: 'Click the element that shows the item id.', onPick: (e) => picked.push(e), onCancel, ...extra });
  return picker;
}

function overlay(): ShadowRoot {
  const root = shadowRoots.mock.results.at(-1)?.value as ShadowRoot | undefined;
  if (!root) throw new Error('the picker attached no shadow root');
  return root;
}

const statusText = () => overlay().querySelector('[role="status"]')?.textContent;
const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

describe('the picker\u2019s words', () => {
  it('without words from the setup UI, says English, as the catalog does', () => {
    // The page's script carries no catalogs: its fallback must not drift from `setup.picker.*`.
    const { prompt: _prompt, ...english } = pickerWords('itemId');
    expect(PICKER_WORDS).toEqual(english);
    for (const field of ITEM_FIELDS) expect(PICK_PROMPTS[field]).toBe(pickerWords(field).prompt);
  });

  it('says what the setup UI sent, in the reader\u2019s language, filling in what is outlined', async () => {
    const words = pickerWords('labelerId', (await loadTranslator<'common' | 'setup', MessageKey<'common' | 'setup'>>('th', { common, setup })).t);
    start({ prompt: words.prompt, words, initial: byId('who') });
    expect(overlay().textContent).toContain('คลิกองค์ประกอบที่แสดงว่าใครติดป้ายกำกับรายการนี้');
    expect(overlay().querySelector('button')?.textContent).toBe('ยกเลิก');
    expect(statusText()).toBe('ไฮไลต์อยู่: b “rev-kim”');
    key('Escape');
    start({ prompt: words.prompt, words });
    key('Enter');
    expect(statusText()).toBe(words.nothingHighlighted);
  });
});

describe('pointing with the mouse', () => {
  it('draws in its own host outside <body>, says what to do, and leaves the page as it was', () => {
    const before = new XMLSerializer().serializeToString(document.body);
    start();
    const host = document.querySelector(SITE_PICKER_TAG);
    expect(host?.parentNode).toBe(document.documentElement);
    expect(isSitePicking(document)).toBe(true);
    expect(overlay().textContent).toContain('Click the element that shows the item id.');
    expect(statusText()).toBe(PICKER_WORDS.keys);
    expect(new XMLSerializer().serializeToString(document.body)).toBe(before);
    picker?.stop();
    expect(document.querySelector(SITE_PICKER_TAG)).toBeNull();
    expect(isSitePicking(document)).toBe(false);
  });

  it('picks the element clicked, and the page hears neither the press nor the click', () => {
    const onApprove = vi.fn();
    byId('approve').addEventListener('click', onApprove);
    start();
    const { down, click: event } = click(byId('approve-label'));
    expect(picked).toEqual([byId('approve-label')]);
    expect(onApprove).not.toHaveBeenCalled();
    expect(heard).toEqual([]);
    expect(event.defaultPrevented).toBe(true);
    expect(down.defaultPrevented).toBe(true); // no focus change, no text selection, no <select> opening
    expect(document.querySelector(SITE_PICKER_TAG)).toBeNull();
  });

  it('does not follow a link it picks', () => {
    start();
    expect(click(byId('next')).click.defaultPrevented).toBe(true);
    expect(picked).toEqual([byId('next')]);
  });

  it('says there is nothing to read when the page itself is clicked, and keeps pointing', () => {
    start();
    click(document.body);
    expect(picked).toEqual([]);
    expect(statusText()).toBe(PICKER_WORDS.nothingThere);
    expect(isSitePicking(document)).toBe(true);
    expect(heard).toEqual([]);
  });

  it('never picks Loupe\u2019s own elements', () => {
    start();
    click(byId('own'));
    expect(picked).toEqual([]);
  });

  it('outlines the element under the pointer on the next frame', async () => {
    vi.spyOn(byId('title'), 'getBoundingClientRect').mockReturnValue(new DOMRect(40, 200, 300, 30));
    start();
    byId('title').dispatchEvent(new MouseEvent('mousemove', { bubbles: true, composed: true }));
    await nextFrame();
    const outline = overlay().querySelector<HTMLElement>('.outline');
    expect(outline?.hidden).toBe(false);
    expect([outline?.style.transform, outline?.style.width, outline?.style.height]).toEqual(['translate(40px, 200px)', '300px', '30px']);
    expect(overlay().querySelector('.label')?.textContent).toBe('h1 “Case #4411”');
  });
});

describe('pointing with the keyboard', () => {
  it('Tab walks the elements that show text, in reading order, skipping hidden ones; Shift+Tab walks back', () => {
    start();
    const visited: Array<Element | null> = [];
    for (let i = 0; i < 7; i += 1) {
      key('Tab');
      visited.push(picker!.candidate);
    }
    expect(visited.map((element) => element?.id)).toEqual(['crumbs', 'home', 'queue', 'title', 'byline', 'who', 'label']);
    key('Tab', { shiftKey: true });
    expect(picker!.candidate).toBe(byId('who'));
    expect(statusText()).toBe('Outlined: b “rev-kim”');
  });

  it('arrows widen to the parent, narrow to the first child and move between siblings', () => {
    start({ initial: byId('pill') });
    key('ArrowUp');
    expect(picker!.candidate).toBe(byId('cell'));
    key('ArrowLeft');
    expect(picker!.candidate).toBe(byId('label'));
    key('ArrowRight');
    expect(picker!.candidate).toBe(byId('cell'));
    key('ArrowDown');
    expect(picker!.candidate).toBe(byId('pill'));
    // Never wider than the page's own content.
    for (let i = 0; i < 10; i += 1) key('ArrowUp');
    expect(picker!.candidate?.localName).not.toBe('body');
  });

  it('Enter picks what is outlined, and no key reaches the page', () => {
    start();
    key('Tab');
    key('Tab');
    key('Tab');
    key('Tab');
    const enter = key('Enter');
    expect(picked).toEqual([byId('title')]);
    expect(enter.defaultPrevented).toBe(true);
    expect(heard).toEqual([]);
  });

  it('keeps the page\u2019s own shortcuts quiet while pointing', () => {
    const tool = vi.fn();
    window.addEventListener('keydown', tool);
    start();
    key('a');
    key('n', { ctrlKey: true });
    expect(tool).not.toHaveBeenCalled();
    expect(heard).toEqual([]);
    window.removeEventListener('keydown', tool);
  });

  it('Enter with nothing outlined says how to outline something', () => {
    start();
    key('Enter');
    expect(picked).toEqual([]);
    expect(statusText()).toBe(PICKER_WORDS.nothingHighlighted);
  });

  it('starts from the element picked last time', () => {
    start({ initial: byId('byline') });
    key('Enter');
    expect(picked).toEqual([byId('byline')]);
  });

  it('Esc cancels, and the overlay goes', () => {
    start();
    key('Escape');
    expect(onCancel).toHaveBeenCalledOnce();
    expect(picked).toEqual([]);
    expect(document.querySelector(SITE_PICKER_TAG)).toBeNull();
    expect(heard).toEqual([]);
  });

  it('the banner\u2019s Cancel button cancels too', () => {
    start();
    overlay().querySelector('button')?.click();
    expect(onCancel).toHaveBeenCalledOnce();
    expect(isSitePicking(document)).toBe(false);
  });

  it('an aborted signal stops it without a cancel', () => {
    const controller = new AbortController();
    start({ signal: controller.signal });
    controller.abort();
    expect(isSitePicking(document)).toBe(false);
    expect(onCancel).not.toHaveBeenCalled();
    key('Tab');
    click(byId('title'));
    expect(heard).toEqual(['keydown@body', 'pointerdown@title', 'mousedown@title', 'mouseup@title', 'click@title']);
  });
});
