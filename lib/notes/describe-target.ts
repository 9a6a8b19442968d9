/**
 * Turns what a mentor selected or picked on a labeling page into a note target (issue 5): W3C Web Annotation
 * selectors with offsets in code points, the quote and its surroundings for text, a CSS selector, the element's
 * own text and a description a person can read for elements. Finding a target again is `anchoring.ts`; it
 * compares text by the rules kept here (`elementText`, `collapseWhitespace`, `isWhitespaceCode`), so a note is
 * found by the same text it was described with.
 *
 * Nothing here splits a surrogate pair: ranges are widened to whole code points, and text cut to fit the
 * schema's limits is cut between code points.
 *
 * Pure DOM code for the content script: no extension APIs, no zod (schema *types* only), no React.
 */
import { isStableClassName, isStableId, proposeSelector } from '../dom/robust-selector';
// Types only: the content script carries no text but these English sentences; the panel says them by key.
import type { ProblemKey, ProblemParams } from '../problems';
import type { NoteTarget } from '../schemas/note';
import { buildTextIndex, isInsideLoupeElement, readableText, type TextIndex, type TextIndexOptions } from './text-index';

/** Mirrors `MAX_QUOTE_CHARS` of the note schema (checked in UTF-16 units, as zod counts): a test keeps them equal. */
export const MAX_QUOTE_CHARS = 2000;
/** Mirrors `QUOTE_CONTEXT_CHARS` of the note schema, in code points: a test keeps them equal. */
export const QUOTE_CONTEXT_CHARS = 32;
/** An element's own text kept as its quote, in code points: enough to recognise it, small to store. */
export const ELEMENT_QUOTE_MAX_CHARS = 200;

export type TextTarget = Extract<NoteTarget, { kind: 'text' }>;
export type ElementTarget = Extract<NoteTarget, { kind: 'element' }>;

export type DescribeProblem = 'empty' | 'whitespace-only' | 'too-long' | 'outside-root' | 'inside-loupe';

/**
 * A target, or why the selection or element cannot carry a note: in English (`message`), and as a `problems`
 * message (`key`, `params`) the panel shows the mentor in their language.
 */
export type Described<T> =
  | { ok: true; target: T }
  | { ok: false; problem: DescribeProblem; message: string; key: ProblemKey; params?: ProblemParams };

export interface DescribeOptions extends TextIndexOptions {
  /** An index of the root already built (it must be current); built on the spot otherwise. */
  index?: TextIndex;
}

// ---------------------------------------------------------------------------------------------------------------
// Describing

/** The text target for a selection, or why it cannot hold a note. */
export function describeTextRange(range: Range, root: Element, options: DescribeOptions = {}): Described<TextTarget> {
  const ends = [range.startContainer, range.endContainer];
  if (!ends.every((node) => root.contains(node))) {
    return refuse('outside-root', 'pin.selectOnPage', 'Select text on the labeling page itself.');
  }
  if (ends.some((node) => isInsideLoupeElement(node) || isExcludedNode(node, root, options.exclude))) {
    return refuse('inside-loupe', 'pin.insideLoupe', 'Notes pin to the labeling page, not to Loupe’s own panel or notes.');
  }
  const index = options.index ?? buildTextIndex(root, options);
  const { text } = index;
  let start = index.offsetOf(range.startContainer, range.startOffset);
  let end = index.offsetOf(range.endContainer, range.endOffset);
  if (range.collapsed || end <= start) return refuse('empty', 'pin.empty', 'Select some text first.');

  // A double-click selects the word and the space after it; the note is about the word.
  while (start < end && isWhitespaceCode(text.charCodeAt(start))) start++;
  while (end > start && isWhitespaceCode(text.charCodeAt(end - 1))) end--;
  if (start === end) return refuse('whitespace-only', 'pin.whitespace', 'The selection is only spaces; select some words.');
  start = index.snap(start, 'before');
  end = index.snap(end, 'after');

  const exact = text.slice(start, end);
  if (exact.length > MAX_QUOTE_CHARS) {
    return refuse('too-long', 'pin.tooLong', `The selection is too long to pin a note to: select at most ${MAX_QUOTE_CHARS.toLocaleString('en')} characters.`, {
      max: MAX_QUOTE_CHARS,
    });
  }
  const codePointStart = index.toCodePoint(start);
  const codePointEnd = index.toCodePoint(end);
  const prefix = text.slice(index.toUtf16(codePointStart - QUOTE_CONTEXT_CHARS), start);
  const suffix = text.slice(end, index.toUtf16(codePointEnd + QUOTE_CONTEXT_CHARS));
  return {
    ok: true,
    target: {
      kind: 'text',
      quote: { type: 'TextQuoteSelector', exact, ...(prefix && { prefix }), ...(suffix && { suffix }) },
      position: { type: 'TextPositionSelector', start: codePointStart, end: codePointEnd },
    },
  };
}

/** The element target for a picked element, or why it cannot hold a note. */
export function describeElement(
  element: Element,
  root: Element,
  options: TextIndexOptions = {},
): Described<ElementTarget> {
  if (!root.contains(element)) return refuse('outside-root', 'pin.pickOnPage', 'Pick an element of the labeling page itself.');
  if (isInsideLoupeElement(element) || isExcludedNode(element, root, options.exclude)) {
    return refuse('inside-loupe', 'pin.insideLoupe', 'Notes pin to the labeling page, not to Loupe’s own panel or notes.');
  }
  const text = elementText(element, options.exclude);
  return {
    ok: true,
    target: {
      kind: 'element',
      css: { type: 'CssSelector', value: proposeSelector(element, root) },
      description: describeForPeople(element, options.exclude),
      ...(text && { quote: { type: 'TextQuoteSelector', exact: text } }),
    },
  };
}

/** The English here must stay the `problems` catalog's for `key` (tests/unit/problems.test.ts checks). */
function refuse<T>(problem: DescribeProblem, key: ProblemKey, message: string, params?: ProblemParams): Described<T> {
  return { ok: false, problem, message, key, ...(params ? { params } : {}) };
}

function isExcludedNode(node: Node, root: Element, exclude: ((element: Element) => boolean) | undefined): boolean {
  if (!exclude) return false;
  for (let element = node.nodeType === 1 ? (node as Element) : node.parentElement; element; element = element.parentElement) {
    if (exclude(element)) return true;
    if (element === root) break;
  }
  return false;
}

/**
 * What an element says, for recognising it again: its readable text, or for elements whose text is not their
 * content (an image, a button made of an `input`, a select) the text that names it. Whitespace collapsed,
 * capped at `ELEMENT_QUOTE_MAX_CHARS` code points.
 */
export function elementText(element: Element, exclude?: (element: Element) => boolean): string {
  const tag = element.localName;
  let text = '';
  if (tag === 'input') {
    const type = (element.getAttribute('type') ?? 'text').toLowerCase();
    // What a person typed is state, not identity: only a button's label (its value) names an input.
    text = ['button', 'submit', 'reset'].includes(type)
      ? (element.getAttribute('value') ?? '')
      : element.getAttribute('aria-label') || element.getAttribute('placeholder') || '';
  } else if (tag === 'img' || tag === 'area') {
    text = element.getAttribute('alt') || element.getAttribute('aria-label') || element.getAttribute('title') || '';
  } else if (tag === 'select' || tag === 'textarea') {
    text = element.getAttribute('aria-label') || labelText(element, exclude);
  } else {
    text = readableText(element, exclude);
    if (!text.trim()) text = element.getAttribute('aria-label') || element.getAttribute('title') || '';
  }
  return capCodePoints(collapseWhitespace(text).trim(), ELEMENT_QUOTE_MAX_CHARS);
}

/** The text of the `<label>` of a form control, without the control's own text (a select's options). */
function labelText(element: Element, exclude?: (element: Element) => boolean): string {
  const id = element.getAttribute('id');
  const doc = element.ownerDocument;
  const label =
    (id ? Array.from(doc.getElementsByTagName('label')).find((candidate) => candidate.htmlFor === id) : undefined) ??
    element.closest('label');
  if (!label) return '';
  return readableText(label, (node) => node === element || (exclude?.(node) ?? false));
}

/** Words for a role, as a person would name the control: "button “Approve”", "select “Decision”". */
function roleWord(element: Element): string | null {
  const role = element.getAttribute('role');
  if (role) {
    const byRole: Record<string, string> = {
      button: 'button', link: 'link', img: 'image', checkbox: 'checkbox', radio: 'radio button', tab: 'tab',
      textbox: 'text box', combobox: 'select', listbox: 'list', heading: 'heading', menuitem: 'menu item',
    };
    if (byRole[role]) return byRole[role];
  }
  const tag = element.localName;
  if (tag === 'input') {
    const type = (element.getAttribute('type') ?? 'text').toLowerCase();
    if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
    if (type === 'checkbox') return 'checkbox';
    if (type === 'radio') return 'radio button';
    if (type === 'hidden') return null;
    return 'text box';
  }
  const byTag: Record<string, string> = {
    button: 'button', a: 'link', img: 'image', select: 'select', textarea: 'text box', video: 'video', audio: 'audio',
    h1: 'heading', h2: 'heading', h3: 'heading', h4: 'heading', h5: 'heading', h6: 'heading', label: 'label',
    li: 'list item', table: 'table', tr: 'table row', td: 'table cell', th: 'table header', figure: 'figure',
  };
  if (tag === 'a' && !element.hasAttribute('href')) return null;
  return byTag[tag] ?? null;
}

/** The name a screen reader would give, roughly: enough for a person to know which element is meant. */
function accessibleName(element: Element, exclude?: (element: Element) => boolean): string {
  const attribute = (name: string) => element.getAttribute(name)?.trim() ?? '';
  const labelledBy = attribute('aria-labelledby')
    .split(/\s+/)
    .map((id) => (id ? element.ownerDocument.getElementById(id) : null))
    .map((node) => (node ? readableText(node, exclude) : ''))
    .join(' ');
  const tag = element.localName;
  const isFormControl = tag === 'input' || tag === 'select' || tag === 'textarea';
  const candidates = [
    attribute('aria-label'),
    labelledBy,
    isFormControl ? labelText(element, exclude) : '',
    tag === 'img' || tag === 'area' ? attribute('alt') : '',
    tag === 'input' ? elementText(element, exclude) : '',
    attribute('title'),
    isFormControl ? '' : readableText(element, exclude),
    attribute('placeholder'),
  ];
  const name = candidates.map((text) => collapseWhitespace(text).trim()).find((text) => text !== '') ?? '';
  return shorten(name, 60);
}

/** "div.media-panel", "section#review", or the bare tag. */
function tagWithIdentity(element: Element): string {
  const tag = element.localName;
  const id = element.getAttribute('id');
  if (id && isStableId(id)) return `${tag}#${id}`;
  const className = Array.from(element.classList).find(isStableClassName);
  return className ? `${tag}.${className}` : tag;
}

/** The nearest ancestor a person could point at: a labelled region or an element with an id or class. */
function surroundings(element: Element): string {
  for (let node = element.parentElement; node && node.localName !== 'body'; node = node.parentElement) {
    const label = node.getAttribute('aria-label')?.trim();
    if (label) return `${roleWord(node) ?? node.localName} “${shorten(label, 40)}”`;
    const identity = tagWithIdentity(node);
    if (identity !== node.localName) return identity;
  }
  return '';
}

/** "button “Approve”", "image “Screenshot of the post”", "select “Decision”", "p.post-body “People from…”". */
export function describeForPeople(element: Element, exclude?: (element: Element) => boolean): string {
  const word = roleWord(element);
  const name = accessibleName(element, exclude);
  const context = surroundings(element);
  let description: string;
  if (word && name) description = `${word} “${name}”`;
  else if (word) description = context ? `${word} in ${context}` : word;
  else {
    const identity = tagWithIdentity(element);
    const head = identity === element.localName && context ? `${identity} in ${context}` : identity;
    description = name ? `${head} “${name}”` : head;
  }
  return shorten(description, 300);
}

// ---------------------------------------------------------------------------------------------------------------
// Text helpers, shared with anchoring so that a target is found by the rules it was made with

/** Runs of whitespace (any Unicode space, as `\s` knows them) become one space. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** The characters `\s` matches, by code, for loops that must not build strings. */
export function isWhitespaceCode(code: number): boolean {
  return (
    code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f ||
    code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}

/** The first `max` code points of `text`. */
function capCodePoints(text: string, max: number): string {
  let units = 0;
  let count = 0;
  for (const char of text) {
    if (count === max) return text.slice(0, units);
    units += char.length;
    count++;
  }
  return text;
}

/**
 * At most `max` UTF-16 units (what the schema's `max` counts), ending in "…" when cut, never half an emoji.
 */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${text.slice(0, cut).trimEnd()}…`;
}
