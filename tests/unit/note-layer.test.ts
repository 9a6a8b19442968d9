/**
 * The in-page note layer in happy-dom. happy-dom has no layout and no CSS Custom Highlight API, so client rects
 * come from a small fake layout (rects per element, shifted by a fake scroll), and the Highlight API path runs
 * against an in-memory registry with the real API's shape. What only a browser can show (painting, real rects,
 * smooth scrolling) is the Chromium e2e test's job.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNoteLayer, type NoteLayer, type ShownNote } from '../../lib/content/note-layer';
import { noteMarkerLabel } from '../../lib/content/note-markers';
import { pageWordsFor } from '../../lib/i18n/page-words';

const PAGE = `
  <main class="item">
    <p id="first">The user wrote a threatening message to another player.</p>
    <div id="media"><button id="approve" type="button"><span>Approve</span></button></div>
    <p id="second">Second paragraph, with the policy reference.</p>
    <p id="hidden" style="display:none">Not rendered.</p>
  </main>`;

/** Rects per element in page coordinates; what the viewport shows is shifted by `scrollY`. */
const layout = { rects: new Map<Element, DOMRect[]>(), scrollY: 0 };

function place(element: Element, ...rects: Array<[number, number, number, number]>) {
  layout.rects.set(element, rects.map(([x, y, w, h]) => new DOMRect(x, y, w, h)));
}

function inViewport(rect: DOMRect): DOMRect {
  return new DOMRect(rect.x, rect.y - layout.scrollY, rect.width, rect.height);
}

function fakeLayout() {
  const rangeRects = vi.spyOn(Range.prototype, 'getClientRects').mockImplementation(function (this: Range) {
    const start = this.startContainer;
    const element = start.nodeType === Node.ELEMENT_NODE ? (start as Element) : start.parentElement;
    return (element ? (layout.rects.get(element) ?? []) : []).map(inViewport) as unknown as DOMRectList;
  });
  vi.spyOn(Range.prototype, 'getBoundingClientRect').mockImplementation(function (this: Range) {
    return Array.from(this.getClientRects())[0] ?? new DOMRect();
  });
  vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
    const rect = layout.rects.get(this)?.[0];
    return rect ? inViewport(rect) : new DOMRect();
  });
  return { rangeRects };
}

/** The closed shadow root a layer attaches, kept from the `attachShadow` call. */
function spyShadowRoots() {
  const attach = vi.spyOn(HTMLElement.prototype, 'attachShadow');
  return (host: Element): ShadowRoot => {
    const index = attach.mock.contexts.indexOf(host as HTMLElement);
    const root = attach.mock.results[index]?.value as ShadowRoot | undefined;
    if (!root) throw new Error('no shadow root attached to this host');
    return root;
  };
}

function textRange(element: Element, quote: string): Range {
  const text = element.firstChild as Text;
  const start = text.data.indexOf(quote);
  const range = document.createRange();
  range.setStart(text, start);
  range.setEnd(text, start + quote.length);
  return range;
}

function byId(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} missing from the fixture`);
  return element;
}

/** The page as the tool built it: body markup, <html>'s attributes, what is in <head>. */
function pageSnapshot() {
  return {
    body: new XMLSerializer().serializeToString(document.body),
    htmlAttributes: Array.from(document.documentElement.attributes, (a) => `${a.name}=${a.value}`),
    head: new XMLSerializer().serializeToString(document.head),
  };
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

function notes(): ShownNote[] {
  return [
    {
      id: 'n-second',
      anchor: { kind: 'text', range: textRange(byId('second'), 'policy reference') },
      author: 'Bea',
      body: 'Cite the section.',
    },
    {
      id: 'n-button',
      anchor: { kind: 'element', element: byId('approve') },
      author: 'Ana',
      body: 'This should not have been approved.',
      tagLabel: 'Over-enforcement',
      replies: 2,
      acknowledged: true,
    },
    {
      id: 'n-first',
      anchor: { kind: 'text', range: textRange(byId('first'), 'threatening message') },
      author: 'Ana',
      body: 'A threat of violence: this falls under the violent speech policy, section 2, and should have been removed.',
      tagLabel: 'Missed violation',
    },
  ];
}

let layer: NoteLayer | undefined;
let shadowOf: (host: Element) => ShadowRoot;

beforeEach(() => {
  document.body.replaceChildren(document.createRange().createContextualFragment(PAGE));
  layout.rects.clear();
  layout.scrollY = 0;
  place(byId('first'), [20, 100, 300, 18], [20, 118, 120, 18]);
  place(byId('approve'), [20, 200, 90, 30]);
  place(byId('second'), [20, 300, 200, 18]);
  shadowOf = spyShadowRoots();
});

afterEach(() => {
  layer?.destroy();
  layer = undefined;
});

function parts(host: HTMLElement) {
  const root = shadowOf(host);
  return {
    root,
    marks: () => Array.from(root.querySelectorAll<HTMLElement>('.mark')),
    outlines: () => Array.from(root.querySelectorAll<HTMLElement>('.outline')),
    markers: () => Array.from(root.querySelectorAll<HTMLButtonElement>('button.marker')),
    tip: () => root.querySelector<HTMLElement>('[role="tooltip"]') as HTMLElement,
    group: (index: number) => root.querySelectorAll<HTMLElement>('.group')[index] as HTMLElement,
  };
}

describe('createNoteLayer without the Highlight API (the overlay fallback)', () => {
  it('leaves the page exactly as it was: body, <html> attributes and <head>', async () => {
    fakeLayout();
    const before = pageSnapshot();
    layer = createNoteLayer({ doc: document });
    layer.show(notes());
    layer.select('n-first');
    window.dispatchEvent(new MouseEvent('mousemove', { clientX: 30, clientY: 105 }));
    await nextFrame();
    layer.scrollToNote('n-button');
    await nextFrame();
    expect(pageSnapshot()).toEqual(before);
    // Its one element sits outside <body>, where tools that re-render the body do not reach it.
    expect(layer.host.parentNode).toBe(document.documentElement);
    expect(layer.host.localName).toBe('loupe-notes');
    expect(layer.host.shadowRoot).toBeNull();
  });

  it('draws a box on every line of a text target and an outline around an element target', () => {
    fakeLayout();
    layer = createNoteLayer({ doc: document });
    layer.show(notes());
    const { marks, outlines } = parts(layer.host);
    expect(marks().map((box) => [box.style.transform, box.style.width, box.style.height])).toEqual([
      ['translate(20px, 100px)', '300px', '18px'],
      ['translate(20px, 118px)', '120px', '18px'],
      ['translate(20px, 300px)', '200px', '18px'],
    ]);
    expect(outlines().map((box) => box.style.transform)).toEqual(['translate(20px, 200px)']);
  });

  it('puts one marker per note in document order, named for screen readers', () => {
    fakeLayout();
    layer = createNoteLayer({ doc: document });
    layer.show(notes());
    const labels = parts(layer.host).markers().map((marker) => marker.getAttribute('aria-label'));
    expect(labels).toEqual([
      'Note by Ana (Missed violation): A threat of violence: this falls under the violent speech…',
      'Note by Ana (Over-enforcement): This should not have been approved.',
      'Note by Bea: Cite the section.',
    ]);
  });

  it('takes a marker out of the tab order while its target is not rendered', () => {
    fakeLayout();
    layer = createNoteLayer({ doc: document });
    layer.show([{ id: 'gone', anchor: { kind: 'text', range: textRange(byId('hidden'), 'Not rendered') }, author: 'Ana', body: 'x' }]);
    const [marker] = parts(layer.host).markers();
    expect(marker?.hidden).toBe(true);
    expect(parts(layer.host).marks()).toHaveLength(0);
  });

  it('shows the note when its marker gets keyboard focus, tells the panel, and hides it on Esc and on blur', () => {
    fakeLayout();
    const onNoteFocus = vi.fn();
    layer = createNoteLayer({ doc: document, onNoteFocus });
    layer.show(notes());
    const { markers, tip } = parts(layer.host);
    expect(tip().hidden).toBe(true);

    markers()[1]?.focus();
    expect(onNoteFocus).toHaveBeenCalledWith('n-button');
    expect(tip().hidden).toBe(false);
    expect(tip().textContent).toContain('Ana');
    expect(tip().textContent).toContain('Over-enforcement');
    expect(tip().textContent).toContain('This should not have been approved.');
    expect(tip().textContent).toContain('2 replies · Acknowledged');
    // Below the button (200 + 30 + 6), left-aligned with it.
    expect(tip().style.transform).toBe('translate(20px, 236px)');

    const esc = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    document.body.dispatchEvent(esc);
    expect(tip().hidden).toBe(true);
    expect(esc.defaultPrevented).toBe(false); // The page may close its own dialog with the same Esc.

    markers()[0]?.focus();
    expect(tip().hidden).toBe(false);
    expect(tip().textContent).toContain('Missed violation');
    markers()[0]?.blur();
    expect(tip().hidden).toBe(true);
  });

  it.each([
    ['below the whole quote, not over its second line', [[20, 100, 300, 18], [20, 118, 120, 18]], 'translate(20px, 142px)'],
    ['above a quote at the bottom of the viewport', [[40, 700, 300, 18]], 'translate(40px, 614px)'],
    ['under the first line of a quote with no room above or below', [[20, 10, 300, 18], [20, 28, 300, 722]], 'translate(20px, 34px)'],
    ['inside the viewport for a quote at its right edge', [[1000, 100, 20, 18]], 'translate(776px, 124px)'],
  ] as const)('places the tooltip %s', (_where, rects, transform) => {
    fakeLayout();
    vi.spyOn(HTMLElement.prototype, 'offsetWidth', 'get').mockReturnValue(240);
    vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockReturnValue(80);
    vi.spyOn(document.documentElement, 'clientWidth', 'get').mockReturnValue(1024);
    vi.spyOn(document.documentElement, 'clientHeight', 'get').mockReturnValue(768);
    place(byId('first'), ...(rects as unknown as Array<[number, number, number, number]>));
    layer = createNoteLayer({ doc: document });
    layer.show(notes());
    const { markers, tip } = parts(layer.host);
    markers()[0]?.focus();
    expect(tip().style.transform).toBe(transform);
  });

  it('shows the note under the pointer, the smallest one when targets nest, once per frame', async () => {
    fakeLayout();
    layer = createNoteLayer({ doc: document });
    place(byId('media'), [0, 90, 400, 200]);
    layer.show([
      { id: 'outer', anchor: { kind: 'element', element: byId('media') }, author: 'Dee', body: 'Outer.' },
      { id: 'inner', anchor: { kind: 'text', range: textRange(byId('first'), 'user') }, author: 'Cy', body: 'Inner.' },
    ]);
    const { tip } = parts(layer.host);

    window.dispatchEvent(new MouseEvent('mousemove', { clientX: 50, clientY: 250 }));
    expect(tip().hidden).toBe(true); // Not before the frame.
    await nextFrame();
    expect(tip().textContent).toContain('Outer.');

    window.dispatchEvent(new MouseEvent('mousemove', { clientX: 50, clientY: 105 }));
    await nextFrame();
    expect(tip().textContent).toContain('Inner.');

    window.dispatchEvent(new MouseEvent('mousemove', { clientX: 600, clientY: 600 }));
    await nextFrame();
    expect(tip().hidden).toBe(true);
  });

  it('keeps a tooltip dismissed with Esc down until the pointer moves to another note', async () => {
    fakeLayout();
    layer = createNoteLayer({ doc: document });
    layer.show(notes());
    const { tip } = parts(layer.host);
    window.dispatchEvent(new MouseEvent('mousemove', { clientX: 30, clientY: 105 }));
    await nextFrame();
    expect(tip().hidden).toBe(false);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(tip().hidden).toBe(true);
    window.dispatchEvent(new MouseEvent('mousemove', { clientX: 31, clientY: 120 }));
    await nextFrame();
    expect(tip().hidden).toBe(true);
    window.dispatchEvent(new MouseEvent('mousemove', { clientX: 30, clientY: 305 }));
    await nextFrame();
    expect(tip().hidden).toBe(false);
    expect(tip().textContent).toContain('Cite the section.');
  });

  it('follows scrolling with one layout per frame, however many scroll events came', async () => {
    const { rangeRects } = fakeLayout();
    layer = createNoteLayer({ doc: document });
    layer.show(notes());
    rangeRects.mockClear();
    layout.scrollY = 80;
    for (let i = 0; i < 10; i += 1) byId('media').dispatchEvent(new Event('scroll'));
    await nextFrame();
    expect(rangeRects).toHaveBeenCalledTimes(2); // Two text notes, read once each.
    const { marks, outlines } = parts(layer.host);
    expect(marks()[0]?.style.transform).toBe('translate(20px, 20px)');
    expect(outlines()[0]?.style.transform).toBe('translate(20px, 120px)');
  });

  it('styles the note selected in the panel apart from the others', () => {
    fakeLayout();
    layer = createNoteLayer({ doc: document });
    layer.show(notes());
    const { group } = parts(layer.host);
    layer.select('n-button');
    expect([0, 1, 2].map((i) => group(i).classList.contains('selected'))).toEqual([false, true, false]);
    layer.select(null);
    expect([0, 1, 2].map((i) => group(i).classList.contains('selected'))).toEqual([false, false, false]);
  });

  it('drops the markers and boxes of notes no longer shown and keeps the others', () => {
    fakeLayout();
    layer = createNoteLayer({ doc: document });
    layer.show(notes());
    const { markers, marks, outlines } = parts(layer.host);
    const kept = markers()[1];
    layer.show(notes().filter((note) => note.id === 'n-button'));
    expect(markers()).toEqual([kept]);
    expect(marks()).toHaveLength(0);
    expect(outlines()).toHaveLength(1);
  });
});

describe('scrollToNote', () => {
  it.each([
    ['smooth', false],
    ['auto', true],
  ] as const)('scrolls the target to the centre (%s when reduced motion is %s), flashes it, focuses its marker', (behavior, reduced) => {
    fakeLayout();
    vi.spyOn(window, 'matchMedia').mockImplementation(
      (query) => ({ matches: reduced && query.includes('prefers-reduced-motion'), media: query }) as MediaQueryList,
    );
    const scrolled = vi.spyOn(Element.prototype, 'scrollIntoView');
    const onNoteFocus = vi.fn();
    layer = createNoteLayer({ doc: document, onNoteFocus });
    layer.show(notes());
    const { root, group, markers } = parts(layer.host);

    expect(layer.scrollToNote('n-button')).toBe(true);
    expect(scrolled).toHaveBeenCalledWith({ block: 'center', inline: 'nearest', behavior });
    expect(scrolled.mock.contexts[0]).toBe(byId('approve'));
    expect(group(1).classList.contains('flash')).toBe(true);
    expect(root.activeElement).toBe(markers()[1]);
    expect(onNoteFocus).not.toHaveBeenCalled(); // The panel asked: no echo back to it.

    group(1).querySelector('.box')?.dispatchEvent(new Event('animationend', { bubbles: true }));
    expect(group(1).classList.contains('flash')).toBe(false);
  });

  it('scrolls the window to a quote inside an element taller than the viewport', () => {
    fakeLayout();
    place(byId('second'), [20, 2000, 200, 18]);
    const tall = vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
      return this.id === 'second' ? new DOMRect(0, 0, 800, 5000) : new DOMRect();
    });
    const scrollBy = vi.spyOn(window, 'scrollBy').mockImplementation(() => undefined);
    const scrolled = vi.spyOn(Element.prototype, 'scrollIntoView');
    layer = createNoteLayer({ doc: document });
    layer.show(notes());
    layer.scrollToNote('n-second');
    expect(tall).toHaveBeenCalled();
    expect(scrolled).not.toHaveBeenCalled();
    const height = document.documentElement.clientHeight || window.innerHeight;
    expect(scrollBy).toHaveBeenCalledWith({ top: 2000 - (height - 18) / 2, behavior: 'smooth' });
  });

  it('answers false for a note that is not shown', () => {
    fakeLayout();
    layer = createNoteLayer({ doc: document });
    layer.show(notes());
    expect(layer.scrollToNote('nope')).toBe(false);
  });
});

/** The CSS Custom Highlight API's shape: a registry of named sets of ranges. */
class FakeHighlight extends Set<AbstractRange> {
  priority = 0;
  constructor(...ranges: AbstractRange[]) {
    super(ranges);
  }
}

describe('createNoteLayer with the Highlight API', () => {
  let registry: Map<string, FakeHighlight>;
  const pageWindow = window as unknown as { Highlight?: unknown };

  beforeEach(() => {
    registry = new Map();
    pageWindow.Highlight = FakeHighlight;
    // happy-dom's window.CSS is a getter that builds a new object on each read.
    vi.spyOn(window, 'CSS', 'get').mockReturnValue({ highlights: registry } as unknown as typeof CSS);
  });
  afterEach(() => {
    delete pageWindow.Highlight;
  });

  const rangesOf = (highlight: FakeHighlight | undefined) => Array.from(highlight ?? [], (range) => (range as Range).toString());

  it('paints text through named highlights and a style adopted by the document, not the page DOM', () => {
    fakeLayout();
    const before = pageSnapshot();
    const sheetsBefore = document.adoptedStyleSheets.length;
    layer = createNoteLayer({ doc: document });
    layer.show(notes());
    expect(pageSnapshot()).toEqual(before);
    expect(document.adoptedStyleSheets).toHaveLength(sheetsBefore + 1);

    const [normalName, selectedName] = [...registry.keys()];
    expect(normalName).toMatch(/^loupe-note-[a-z0-9]+$/);
    expect(selectedName).toBe(`${normalName}-selected`);
    expect(rangesOf(registry.get(normalName ?? ''))).toEqual(['threatening message', 'policy reference']);
    expect(registry.get(selectedName ?? '')?.priority).toBe(1);
    // No boxes over highlighted text; elements still get their outline.
    expect(parts(layer.host).marks()).toHaveLength(0);
    expect(parts(layer.host).outlines()).toHaveLength(1);

    layer.select('n-second');
    expect(rangesOf(registry.get(normalName ?? ''))).toEqual(['threatening message']);
    expect(rangesOf(registry.get(selectedName ?? ''))).toEqual(['policy reference']);
  });

  it('draws boxes over highlighted text only while flashing it', () => {
    fakeLayout();
    layer = createNoteLayer({ doc: document });
    layer.show(notes());
    const { marks, group } = parts(layer.host);
    layer.scrollToNote('n-first');
    expect(marks()).toHaveLength(2);
    group(0).querySelector('.box')?.dispatchEvent(new Event('animationend', { bubbles: true }));
    expect(marks()).toHaveLength(0);
  });

  it('takes out on destroy its highlights, its stylesheet (leaving others adopted since) and its host', async () => {
    const { rangeRects } = fakeLayout();
    const pageSheet = new CSSStyleSheet();
    registry.set('page-own', new FakeHighlight());
    layer = createNoteLayer({ doc: document });
    layer.show(notes());
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, pageSheet];
    const adopted = document.adoptedStyleSheets.length;

    byId('media').dispatchEvent(new Event('scroll')); // A frame is pending when the layer goes.
    rangeRects.mockClear();
    layer.destroy();
    await nextFrame();

    expect([...registry.keys()]).toEqual(['page-own']);
    expect(document.adoptedStyleSheets).toHaveLength(adopted - 1);
    expect(document.adoptedStyleSheets).toContain(pageSheet);
    expect(document.querySelector('loupe-notes')).toBeNull();
    expect(rangeRects).not.toHaveBeenCalled();
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((sheet) => sheet !== pageSheet);
  });

  it('draws text as boxes when told not to use the API', () => {
    fakeLayout();
    layer = createNoteLayer({ doc: document, useHighlightApi: false });
    layer.show(notes());
    expect(registry.size).toBe(0);
    expect(parts(layer.host).marks()).toHaveLength(3);
  });
});

describe('the layer’s lifetime', () => {
  it('is removed when its signal aborts, and stops listening', async () => {
    const { rangeRects } = fakeLayout();
    const controller = new AbortController();
    const created = createNoteLayer({ doc: document, signal: controller.signal });
    created.show(notes());
    controller.abort();
    expect(document.querySelector('loupe-notes')).toBeNull();
    rangeRects.mockClear();
    window.dispatchEvent(new Event('resize'));
    window.dispatchEvent(new MouseEvent('mousemove', { clientX: 30, clientY: 105 }));
    await nextFrame();
    expect(rangeRects).not.toHaveBeenCalled();
    created.show(notes()); // A late call after navigation does nothing rather than throwing.
    expect(document.querySelector('loupe-notes')).toBeNull();
  });
});

describe('noteMarkerLabel', () => {
  it.each([
    [{ author: 'Ana', body: 'Short.' }, 'Note by Ana: Short.'],
    [{ author: 'Ana', body: '  spaced\n\nout  ', tagLabel: 'Wrong policy' }, 'Note by Ana (Wrong policy): spaced out'],
    [{ author: 'Bo', body: 'word '.repeat(30) }, `Note by Bo: ${'word '.repeat(12).trim()}…`],
  ])('%j', (note, label) => {
    expect(noteMarkerLabel(note)).toBe(label);
  });

  it('reads in the language of the words it is given', () => {
    const km = pageWordsFor('km');
    expect(noteMarkerLabel({ author: 'Dara', body: 'ខុស' }, km)).toBe('កំណត់ចំណាំរបស់ Dara៖ ខុស');
    expect(noteMarkerLabel({ author: 'Dara', body: 'ខុស', tagLabel: 'Wrong policy' }, km)).toBe('កំណត់ចំណាំរបស់ Dara (Wrong policy)៖ ខុស');
  });
});
