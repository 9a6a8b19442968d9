/**
 * The text of a page as inline notes see it (issue 5): the text nodes under a root, in document order, joined
 * into one string, with maps between that string and the DOM. Note targets store offsets into it, so the same
 * rules must hold when a note is made and when it is found again.
 *
 * What counts as text: every non-empty text node, except inside elements whose text a reader never sees as
 * page text (`script`, `style`, `noscript`, `template`, the fallback text of `iframe`/`object`/`canvas`, the
 * option lists of `select`/`datalist`, and `textarea`, whose text node is its *default* value rather than what
 * is typed in it), and except Loupe's own elements (`LOUPE_ELEMENT_SELECTOR`) and anything the caller's
 * `exclude` says. Visibility by CSS is not checked: computing styles for every node would cost a
 * layout on a large page, and a hidden node that comes back into view must not shift every offset after it.
 * Text inside shadow roots is not indexed (a TreeWalker does not enter them).
 *
 * Offsets: the DOM speaks UTF-16 units; the W3C Web Annotation model, and so our stored selectors, count
 * Unicode code points. Both are offered; conversion is a binary search over the positions of surrogate pairs.
 */

/**
 * Elements Loupe mounts in pages (the panel iframe, the notes layer's host, annotate mode's overlay host): never
 * part of the page's text, never a note target.
 */
export const LOUPE_ELEMENT_SELECTOR = '[data-loupe-panel], loupe-notes, loupe-capture, loupe-media, loupe-site-picker';
const LOUPE_TAGS = new Set(['loupe-notes', 'loupe-capture', 'loupe-media', 'loupe-site-picker']);

/** Tags whose text is not page text that a person reads and selects. */
const SKIPPED_TAGS = new Set([
  'head',
  'script',
  'style',
  'noscript',
  'template',
  'textarea',
  'select',
  'datalist',
  'iframe',
  'object',
  'canvas',
]);

// Numbers rather than the `NodeFilter` and `Node` globals, which not every DOM implementation defines.
const SHOW_ELEMENT = 0x1;
const SHOW_TEXT = 0x4;
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const DOCUMENT_NODE = 9;
const DOCUMENT_FRAGMENT_NODE = 11;
const DOCUMENT_POSITION_PRECEDING = 0x02;
const DOCUMENT_POSITION_CONTAINED_BY = 0x10;

export interface TextIndexOptions {
  /** Elements whose whole subtree is left out, in addition to Loupe's own elements. */
  exclude?: (element: Element) => boolean;
}

/** A point in a text node. */
export interface TextPoint {
  node: Text;
  offset: number;
}

/** Whether `element` is one of Loupe's mounted elements (checked on the element itself, not its ancestors). */
export function isLoupeElement(element: Element): boolean {
  return LOUPE_TAGS.has(element.localName) || element.hasAttribute('data-loupe-panel');
}

/** Whether `node` is, or is inside, one of Loupe's mounted elements. */
export function isInsideLoupeElement(node: Node): boolean {
  const element = node.nodeType === ELEMENT_NODE ? (node as Element) : node.parentElement;
  return element?.closest(LOUPE_ELEMENT_SELECTOR) != null;
}

/**
 * The indexed text of `root`. Built in one TreeWalker pass; every lookup afterwards is a binary search. The
 * index describes the DOM at the time it was built: rebuild it after the page changes.
 */
export class TextIndex {
  readonly root: Element;
  /** The joined text, in UTF-16 units like every JavaScript string. */
  readonly text: string;
  /** Length of `text` in code points. */
  readonly codePointLength: number;
  private readonly nodes: Text[];
  /** UTF-16 offset in `text` where each node starts; increasing, since no indexed node is empty. */
  private readonly starts: number[];
  private readonly nodeNumber: Map<Text, number>;
  /** UTF-16 offsets of the high halves of surrogate pairs, increasing. Empty for most Latin pages. */
  private readonly pairStarts: number[];
  /** Whether an element (itself, not its ancestors) is left out: Loupe's own, or the caller's `exclude`. */
  readonly exclude: (element: Element) => boolean;
  /** The caller's own `exclude`, if any (Loupe's elements are always left out on top of it). */
  readonly callerExclude: ((element: Element) => boolean) | undefined;

  constructor(root: Element, options: TextIndexOptions = {}) {
    this.root = root;
    const exclude = options.exclude;
    this.callerExclude = exclude;
    this.exclude = (element) => isLoupeElement(element) || (exclude?.(element) ?? false);

    const nodes: Text[] = [];
    const starts: number[] = [];
    const parts: string[] = [];
    let length = 0;
    walkText(root, this.exclude, (node) => {
      nodes.push(node);
      starts.push(length);
      parts.push(node.data);
      length += node.data.length;
    });
    this.nodes = nodes;
    this.starts = starts;
    this.text = parts.join('');
    this.nodeNumber = new Map(nodes.map((node, i) => [node, i]));

    const pairStarts: number[] = [];
    // One regex test skips the scan on pages without characters outside the BMP.
    if (/[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(this.text)) {
      for (let i = 0; i < this.text.length - 1; i++) {
        if (isHighSurrogate(this.text.charCodeAt(i)) && isLowSurrogate(this.text.charCodeAt(i + 1))) {
          pairStarts.push(i);
          i++;
        }
      }
    }
    this.pairStarts = pairStarts;
    this.codePointLength = this.text.length - pairStarts.length;
  }

  /** Whether `element` or one of its ancestors up to the root is left out of the index. */
  isExcluded(element: Element): boolean {
    for (let node: Element | null = element; node && node !== this.root; node = node.parentElement) {
      if (this.exclude(node)) return true;
    }
    return false;
  }

  /** Code-point offset of a UTF-16 offset. An offset inside a surrogate pair counts as after the pair. */
  toCodePoint(utf16: number): number {
    const clamped = clamp(utf16, 0, this.text.length);
    // Pairs that end at or before `clamped` (start at or before clamped - 2) hold two units but one code point.
    return clamped - countBelow(this.pairStarts, clamped - 2);
  }

  /** UTF-16 offset of a code-point offset (clamped to the text). */
  toUtf16(codePoint: number): number {
    const clamped = clamp(codePoint, 0, this.codePointLength);
    // The k-th pair starts at code point pairStarts[k] - k; every pair before `clamped` adds one unit.
    let low = 0;
    let high = this.pairStarts.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.pairStarts[mid]! - mid < clamped) low = mid + 1;
      else high = mid;
    }
    return clamped + low;
  }

  /** Moves a UTF-16 offset that falls inside a surrogate pair to the pair's start (`before`) or end. */
  snap(utf16: number, direction: 'before' | 'after'): number {
    const offset = clamp(utf16, 0, this.text.length);
    if (offset > 0 && offset < this.text.length && isLowSurrogate(this.text.charCodeAt(offset)) &&
      isHighSurrogate(this.text.charCodeAt(offset - 1))) {
      return direction === 'before' ? offset - 1 : offset + 1;
    }
    return offset;
  }

  /**
   * The text-node point of a UTF-16 offset. At the seam between two nodes, `forward` answers the start of the
   * next node (where a range should start) and `backward` the end of the previous one (where it should end), so
   * a range never reaches into a node it does not cover.
   */
  pointAt(utf16: number, affinity: 'forward' | 'backward'): TextPoint | null {
    if (this.nodes.length === 0) return null;
    const offset = clamp(utf16, 0, this.text.length);
    // Last node whose start is at or before (forward) / strictly before (backward) the offset.
    const i = Math.max(0, countBelow(this.starts, affinity === 'forward' ? offset : offset - 1) - 1);
    const node = this.nodes[i]!;
    return { node, offset: Math.min(offset - this.starts[i]!, node.data.length) };
  }

  /** A DOM range over `[start, end)` UTF-16 offsets, widened so as never to split a surrogate pair. */
  rangeOf(start: number, end: number): Range | null {
    const from = this.snap(Math.min(start, end), 'before');
    const to = this.snap(Math.max(start, end), 'after');
    const startPoint = this.pointAt(from, 'forward');
    const endPoint = this.pointAt(to, from === to ? 'forward' : 'backward');
    if (!startPoint || !endPoint) return null;
    const range = this.root.ownerDocument.createRange();
    range.setStart(startPoint.node, startPoint.offset);
    range.setEnd(endPoint.node, endPoint.offset);
    return range;
  }

  /**
   * The UTF-16 offset in `text` of a DOM boundary point (a range's start or end). A point in a node that is not
   * indexed (an excluded element, a script) maps to the offset of the next indexed text after it.
   */
  offsetOf(container: Node, offset: number): number {
    const number = container.nodeType === TEXT_NODE ? this.nodeNumber.get(container as Text) : undefined;
    if (number !== undefined) return this.starts[number]! + clamp(offset, 0, (container as Text).data.length);

    const isBefore = boundaryPrecedes(container, offset);
    // Indexed nodes before the boundary form a prefix of `nodes`: binary search for its length.
    let low = 0;
    let high = this.nodes.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (isBefore(this.nodes[mid]!)) low = mid + 1;
      else high = mid;
    }
    return low < this.nodes.length ? this.starts[low]! : this.text.length;
  }
}

/** Elements whose text `readableText` must leave out: when none is inside, `textContent` is the answer. */
const LEFT_OUT_SELECTOR = `${[...SKIPPED_TAGS].join(', ')}, ${LOUPE_ELEMENT_SELECTOR}`;

/**
 * The readable text under `element` by the index's rules (Loupe's elements and `exclude` left out), without
 * building an index: for describing and recognising one element. When nothing inside needs leaving out (the
 * usual case, checked by one native `querySelector`), `textContent` is the same text and much cheaper.
 */
export function readableText(element: Element, exclude?: (element: Element) => boolean): string {
  if (!exclude && !element.querySelector(LEFT_OUT_SELECTOR)) return element.textContent ?? '';
  let text = '';
  walkText(element, (node) => isLoupeElement(node) || (exclude?.(node) ?? false), (node) => {
    text += node.data;
  });
  return text;
}

/**
 * Calls `visit` for each indexed text node under `root`, in document order. One TreeWalker pass without a
 * filter callback: left-out subtrees are stepped over by hand. A JavaScript `acceptNode` costs a call from the
 * engine into script for every node: on a 6,000-element page Chromium took 35 ms with one, 6 ms without.
 */
function walkText(root: Element, excludeElement: (element: Element) => boolean, visit: (node: Text) => void): void {
  const walker = root.ownerDocument.createTreeWalker(root, SHOW_ELEMENT | SHOW_TEXT);
  let node = walker.nextNode();
  while (node) {
    if (node.nodeType === ELEMENT_NODE && isLeftOut(node as Element, excludeElement)) {
      // The subtree's end: the next sibling, else the next sibling of the nearest ancestor that has one.
      let next = walker.nextSibling();
      while (!next && walker.parentNode()) next = walker.nextSibling();
      node = next;
      continue;
    }
    if (node.nodeType === TEXT_NODE && node.nodeValue) visit(node as Text);
    node = walker.nextNode();
  }
}

function isLeftOut(element: Element, excludeElement: (element: Element) => boolean): boolean {
  return SKIPPED_TAGS.has(element.localName) || excludeElement(element);
}

/** Indexes the text of `root` (see the file comment for what counts). */
export function buildTextIndex(root: Element, options?: TextIndexOptions): TextIndex {
  return new TextIndex(root, options);
}

/** A test saying whether a text node lies wholly before the boundary point (container, offset). */
function boundaryPrecedes(container: Node, offset: number): (node: Text) => boolean {
  const type = container.nodeType;
  if (type !== ELEMENT_NODE && type !== DOCUMENT_NODE && type !== DOCUMENT_FRAGMENT_NODE) {
    // A point inside a text node (or comment) we do not index: nodes before that node are before the point.
    return (node) => (container.compareDocumentPosition(node) & DOCUMENT_POSITION_PRECEDING) !== 0;
  }
  const child = container.childNodes[offset];
  if (child) {
    // The point sits just before `child`: a text node is before it when it precedes `child` (and it cannot
    // contain `child`, so "preceding" is exact).
    return (node) => node !== child && (child.compareDocumentPosition(node) & DOCUMENT_POSITION_PRECEDING) !== 0;
  }
  // The point is at the end of `container`: everything inside it, and everything before it, is before.
  return (node) => {
    const position = container.compareDocumentPosition(node);
    return (position & (DOCUMENT_POSITION_CONTAINED_BY | DOCUMENT_POSITION_PRECEDING)) !== 0;
  };
}

/** How many values of the increasing array are `<= limit`. */
function countBelow(sorted: readonly number[], limit: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! <= limit) low = mid + 1;
    else high = mid;
  }
  return low;
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
