/**
 * Pins mentors' notes to a labeling page and finds them again (issue 5). Describing turns what a mentor
 * selected or picked into a note target (W3C Web Annotation selectors, offsets in code points); anchoring
 * turns a stored target back into a DOM `Range` or element on a page that may have changed since.
 *
 * Text is found in this order, and each answer says which step found it:
 * 1. `position`: the stored code-point offsets, kept only when the text there is still the exact quote and its
 *    surroundings still look like the stored prefix/suffix;
 * 2. `quote`: every exact occurrence of the quote, the one whose surroundings best match the stored prefix and
 *    suffix winning (closeness to the old position breaks ties);
 * 3. `fuzzy`: the quote with runs of whitespace collapsed (reflowed text), then an approximate match (Myers'
 *    bit-parallel algorithm, linear in the page's length) needing at most `FUZZY_MAX_ERROR_RATE` (15%) of the
 *    quote's length in edits, rounded down: a 40-character quote survives 6 edits, a quote under 7 characters
 *    must match exactly (whitespace aside). The stretch around the stored position is searched first; a match
 *    there, or a match anywhere of a quote under 32 characters, must also keep at least half of its stored
 *    surroundings, so a note on a few words does not jump to a look-alike elsewhere.
 * Nothing found is `null`: a note shown as "not found on this page" is better than one pinned to the wrong text.
 *
 * Comparison is by UTF-16 unit and never assumes words are separated by spaces, so Khmer, Thai and Chinese
 * (no spaces), Vietnamese (combining marks, each a code point) and emoji sequences are found like Latin text;
 * ranges are widened so that they never split a surrogate pair.
 *
 * Pure DOM code for the content script: no extension APIs, no zod (schema *types* only), no React.
 */
import { isStableClassName, isStableId, proposeSelector } from '../dom/robust-selector';
import type { NoteTarget, TextPositionSelector, TextQuoteSelector } from '../schemas/note';
import { buildTextIndex, isInsideLoupeElement, readableText, type TextIndex, type TextIndexOptions } from './text-index';

/** Mirrors `MAX_QUOTE_CHARS` of the note schema (checked in UTF-16 units, as zod counts): a test keeps them equal. */
export const MAX_QUOTE_CHARS = 2000;
/** Mirrors `QUOTE_CONTEXT_CHARS` of the note schema, in code points: a test keeps them equal. */
export const QUOTE_CONTEXT_CHARS = 32;
/** An element's own text kept as its quote, in code points: enough to recognise it, small to store. */
export const ELEMENT_QUOTE_MAX_CHARS = 200;
/** Most edits an approximate match may need, as a share of the quote's length (rounded down). */
export const FUZZY_MAX_ERROR_RATE = 0.15;

/** Quotes shorter than this (UTF-16 units) found approximately must keep half of their surroundings. */
const SHORT_QUOTE_LENGTH = 32;
/** Least similarity of stored and current surroundings for `position`, and for the approximate matches above. */
const MIN_CONTEXT_SIMILARITY = 0.5;
/** Least similarity of an element's text to its stored quote when the CSS selector still finds it. */
const MIN_TEXT_SIMILARITY_BY_CSS = 0.5;
/** Least similarity when the element is searched for by its text alone: a stricter bar, nothing else vouches. */
const MIN_TEXT_SIMILARITY_ALONE = 0.8;
/** Exact occurrences ranked by the costlier edit-distance context score; the rest by a cheap one first. */
const MAX_SCORED_CANDIDATES = 64;
/** UTF-16 units searched on each side of the stored position before the whole page is. */
const LOCAL_SEARCH_REACH = 2000;
/** Approximate matches turned into ranges and scored. */
const MAX_FUZZY_CANDIDATES = 16;
/** Score weights (as Hypothesis uses): the quote itself counts most, then its two sides, then the old place. */
const WEIGHT = { quote: 50, prefix: 20, suffix: 20, position: 2 } as const;

export type TextTarget = Extract<NoteTarget, { kind: 'text' }>;
export type ElementTarget = Extract<NoteTarget, { kind: 'element' }>;

export type DescribeProblem = 'empty' | 'whitespace-only' | 'too-long' | 'outside-root' | 'inside-loupe';

/** A target, or why the selection or element cannot carry a note (the message is for the mentor). */
export type Described<T> = { ok: true; target: T } | { ok: false; problem: DescribeProblem; message: string };

export interface DescribeOptions extends TextIndexOptions {
  /** An index of the root already built (it must be current); built on the spot otherwise. */
  index?: TextIndex;
}

export type TextAnchorMethod = 'position' | 'quote' | 'fuzzy';
export type ElementAnchorMethod = 'css' | 'element-text';
export type AnchorMethod = TextAnchorMethod | ElementAnchorMethod;

/** Where a target is on the page now, and how it was found (for tests, debugging and a "moved" hint). */
export type Anchor =
  | { kind: 'text'; range: Range; method: TextAnchorMethod; errors: number }
  | { kind: 'element'; element: Element; method: ElementAnchorMethod };

/** A text match in UTF-16 offsets of `index.text`. */
export interface QuoteMatch {
  start: number;
  end: number;
  method: TextAnchorMethod;
  /** Edits between the stored quote (whitespace collapsed) and the text found; 0 unless `fuzzy`. */
  errors: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Describing

/** The text target for a selection, or why it cannot hold a note. */
export function describeTextRange(range: Range, root: Element, options: DescribeOptions = {}): Described<TextTarget> {
  const ends = [range.startContainer, range.endContainer];
  if (!ends.every((node) => root.contains(node))) {
    return refuse('outside-root', 'Select text on the labeling page itself.');
  }
  if (ends.some((node) => isInsideLoupeElement(node) || isExcludedNode(node, root, options.exclude))) {
    return refuse('inside-loupe', 'Notes pin to the labeling page, not to Loupe’s own panel or notes.');
  }
  const index = options.index ?? buildTextIndex(root, options);
  const { text } = index;
  let start = index.offsetOf(range.startContainer, range.startOffset);
  let end = index.offsetOf(range.endContainer, range.endOffset);
  if (range.collapsed || end <= start) return refuse('empty', 'Select some text first.');

  // A double-click selects the word and the space after it; the note is about the word.
  while (start < end && isWhitespaceCode(text.charCodeAt(start))) start++;
  while (end > start && isWhitespaceCode(text.charCodeAt(end - 1))) end--;
  if (start === end) return refuse('whitespace-only', 'The selection is only spaces; select some words.');
  start = index.snap(start, 'before');
  end = index.snap(end, 'after');

  const exact = text.slice(start, end);
  if (exact.length > MAX_QUOTE_CHARS) {
    return refuse('too-long', `The selection is too long to pin a note to: select at most ${MAX_QUOTE_CHARS} characters.`);
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
  if (!root.contains(element)) return refuse('outside-root', 'Pick an element of the labeling page itself.');
  if (isInsideLoupeElement(element) || isExcludedNode(element, root, options.exclude)) {
    return refuse('inside-loupe', 'Notes pin to the labeling page, not to Loupe’s own panel or notes.');
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

function refuse<T>(problem: DescribeProblem, message: string): Described<T> {
  return { ok: false, problem, message };
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
// Anchoring

/** Finds every target in one pass over the page text; `null` for a target that is no longer on the page. */
export function anchorNotes(
  items: readonly { id: string; target: NoteTarget }[],
  root: Element,
  options: TextIndexOptions = {},
): Map<string, Anchor | null> {
  const index = buildTextIndex(root, options);
  return new Map(items.map((item) => [item.id, anchorTarget(item.target, index)]));
}

/** Where `target` is on the indexed page now, or `null`. */
export function anchorTarget(target: NoteTarget, index: TextIndex): Anchor | null {
  if (target.kind === 'element') return anchorElement(target, index);
  const match = findQuote(index, target.quote, target.position);
  if (!match) return null;
  const range = index.rangeOf(match.start, match.end);
  return range && { kind: 'text', range, method: match.method, errors: match.errors };
}

/** The best place for a quote in the indexed text (UTF-16 offsets), or `null`. See the file comment. */
export function findQuote(index: TextIndex, quote: TextQuoteSelector, position?: TextPositionSelector): QuoteMatch | null {
  const { text } = index;
  const { exact } = quote;
  if (!exact) return null;
  const context = new ContextScorer(index, quote);
  const hint = position ? index.toUtf16(position.start) : undefined;
  const closeness = (start: number) =>
    hint === undefined ? 0 : 1 - Math.min(1, Math.abs(start - hint) / Math.max(1, text.length));

  if (position && hint !== undefined) {
    const end = index.toUtf16(position.end);
    if (text.slice(hint, end) === exact && context.similarity(hint, end) >= MIN_CONTEXT_SIMILARITY) {
      return { start: hint, end, method: 'position', errors: 0 };
    }
  }

  const exactStarts = occurrences(text, exact);
  if (exactStarts.length > 0) {
    const best = pickByContext(exactStarts, exact.length, context, closeness);
    return { start: best, end: best + exact.length, method: 'quote', errors: 0 };
  }

  // Reflowed text: the same words with different runs of whitespace.
  const search = searchTextOf(index);
  const pattern = collapseWhitespace(exact).trim();
  if (!pattern) return null;
  const collapsedStarts = occurrences(search.text, pattern);
  if (collapsedStarts.length > 0) {
    const spans = collapsedStarts.map((start) => search.toRawSpan(start, start + pattern.length));
    const rawStarts = spans.map((span) => span.start);
    const best = pickByContext(rawStarts, 0, context, closeness, spans);
    const span = spans[rawStarts.indexOf(best)]!;
    return { start: span.start, end: span.end, method: 'fuzzy', errors: 0 };
  }

  // Text edited under a note is usually still near where it was: look there first, and scan the whole page only
  // when nothing near is close enough with surroundings that agree.
  if (position && hint !== undefined) {
    const reach = Math.max(LOCAL_SEARCH_REACH, pattern.length * 4);
    const near = { start: hint - reach, end: index.toUtf16(position.end) + reach };
    const local = findApproximately(index, search, pattern, context, closeness, near);
    if (local) return local;
  }
  return findApproximately(index, search, pattern, context, closeness);
}

/**
 * The approximate step. With `near` (raw UTF-16 bounds), only that stretch is searched and every match must
 * keep half of its surroundings; without it, the whole page is, and only short quotes need that.
 */
function findApproximately(
  index: TextIndex,
  search: SearchText,
  pattern: string,
  context: ContextScorer,
  closeness: (start: number) => number,
  near?: { start: number; end: number },
): QuoteMatch | null {
  const maxErrors = Math.floor(pattern.length * FUZZY_MAX_ERROR_RATE);
  if (maxErrors < 1) return null;
  const from = near ? search.fromRaw(near.start) : 0;
  const to = near ? search.fromRaw(near.end) : search.text.length;
  const ends = approximateMatchEnds(near ? search.text.slice(from, to) : search.text, pattern, maxErrors);
  if (ends.length === 0) return null;
  for (const candidate of ends) candidate.end += from;
  const contextRequired = near !== undefined || pattern.length < SHORT_QUOTE_LENGTH;

  // Ends next to each other are the same place matched with an edit more or less at its end: one candidate per
  // run of ends, the fewest-error runs first, and only a handful of places.
  const runs: { end: number; errors: number }[][] = [];
  for (const candidate of ends) {
    const run = runs[runs.length - 1];
    if (run && candidate.end - run[run.length - 1]!.end <= 1) run.push(candidate);
    else runs.push([candidate]);
  }
  const fewest = (run: { errors: number }[]) => Math.min(...run.map((candidate) => candidate.errors));
  // On repetitive pages many places tie on errors: agreeing characters next to each (cheap) pick which to keep.
  const cheapContext = (run: { end: number }[]) => {
    if (runs.length <= MAX_FUZZY_CANDIDATES) return 0;
    const end = run[0]!.end;
    const span = search.toRawSpan(Math.max(0, end - pattern.length), end);
    return context.cheapSides(span.start, span.end) * 4 + closeness(span.start);
  };
  const places = runs
    .map((run) => ({ run, errors: fewest(run), cheap: cheapContext(run) }))
    .sort((a, b) => a.errors - b.errors || b.cheap - a.cheap)
    .slice(0, MAX_FUZZY_CANDIDATES)
    .map(({ run, errors }) => {
      // Among equally good ends, the one whose match is closest to the quote's length: "Spam link" for
      // "Spam linc" (one substitution) rather than "Spam lin" (one deletion).
      let chosen = { start: 0, end: 0, errors };
      for (const candidate of run) {
        if (candidate.errors !== errors) continue;
        const start = approximateMatchStart(search.text, pattern, candidate.end, errors);
        const gap = Math.abs(candidate.end - start - pattern.length);
        if (chosen.end === 0 || gap < Math.abs(chosen.end - chosen.start - pattern.length)) {
          chosen = { start, end: candidate.end, errors };
        }
      }
      return chosen;
    });

  let best: { match: QuoteMatch; score: number } | null = null;
  for (const { start, end, errors } of places) {
    const span = search.toRawSpan(start, end);
    const trimmed = trimSpan(index, span.start, span.end);
    if (!trimmed) continue;
    const similarity = context.similarity(trimmed.start, trimmed.end);
    if (contextRequired && similarity < MIN_CONTEXT_SIMILARITY) continue;
    const sides = context.sides(trimmed.start, trimmed.end);
    const score =
      WEIGHT.quote * (1 - errors / pattern.length) +
      WEIGHT.prefix * sides.prefix +
      WEIGHT.suffix * sides.suffix +
      WEIGHT.position * closeness(trimmed.start);
    if (!best || score > best.score) best = { match: { ...trimmed, method: 'fuzzy', errors }, score };
  }
  return best?.match ?? null;
}

/**
 * Among places where the quote occurs, the one whose surroundings match the stored prefix and suffix best. With
 * many occurrences (a common word), a cheap score (how many characters agree next to the quote) keeps the
 * likeliest for the edit-distance score.
 */
function pickByContext(
  starts: number[],
  length: number,
  context: ContextScorer,
  closeness: (start: number) => number,
  spans?: { start: number; end: number }[],
): number {
  if (starts.length === 1) return starts[0]!;
  const endOf = (i: number) => (spans ? spans[i]!.end : starts[i]! + length);
  let order = starts.map((_, i) => i);
  if (order.length > MAX_SCORED_CANDIDATES) {
    const cheap = order.map((i) => context.cheapSides(starts[i]!, endOf(i)) * 4 + closeness(starts[i]!));
    order = order.sort((a, b) => cheap[b]! - cheap[a]!).slice(0, MAX_SCORED_CANDIDATES);
  }
  let bestIndex = order[0]!;
  let bestScore = -Infinity;
  for (const i of order) {
    const sides = context.sides(starts[i]!, endOf(i));
    const score = WEIGHT.prefix * sides.prefix + WEIGHT.suffix * sides.suffix + WEIGHT.position * closeness(starts[i]!);
    if (score > bestScore) {
      bestScore = score;
      bestIndex = i;
    }
  }
  return starts[bestIndex]!;
}

function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) found.push(at);
  return found;
}

function trimSpan(index: TextIndex, start: number, end: number): { start: number; end: number } | null {
  const { text } = index;
  while (start < end && isWhitespaceCode(text.charCodeAt(start))) start++;
  while (end > start && isWhitespaceCode(text.charCodeAt(end - 1))) end--;
  if (start === end) return null;
  return { start: index.snap(start, 'before'), end: index.snap(end, 'after') };
}

/**
 * How well the text around a candidate matches the stored prefix and suffix (whitespace collapsed on both
 * sides, so reflowed indentation does not count as a difference): 1 is identical, 0 nothing alike. A side the
 * note did not store (a quote at the very start or end of the page) scores 1 everywhere, so it decides nothing.
 */
class ContextScorer {
  private readonly prefix: string;
  private readonly suffix: string;

  constructor(
    private readonly index: TextIndex,
    quote: TextQuoteSelector,
  ) {
    this.prefix = collapseWhitespace(quote.prefix ?? '');
    this.suffix = collapseWhitespace(quote.suffix ?? '');
  }

  /** Both sides, for scoring. */
  sides(start: number, end: number): { prefix: number; suffix: number } {
    return {
      prefix: this.prefix ? similarity(this.prefix, this.before(start)) : 1,
      suffix: this.suffix ? similarity(this.suffix, this.after(end)) : 1,
    };
  }

  /** The mean of the sides the note stored (1 when it stored none). */
  similarity(start: number, end: number): number {
    const { prefix, suffix } = this.sides(start, end);
    const stored = (this.prefix ? 1 : 0) + (this.suffix ? 1 : 0);
    if (stored === 0) return 1;
    return ((this.prefix ? prefix : 0) + (this.suffix ? suffix : 0)) / stored;
  }

  /** Share of characters that agree next to the quote, from the quote outwards: cheap, for pre-ranking. */
  cheapSides(start: number, end: number): number {
    const before = this.before(start);
    const after = this.after(end);
    let agree = 0;
    while (agree < this.prefix.length && agree < before.length &&
      this.prefix.charCodeAt(this.prefix.length - 1 - agree) === before.charCodeAt(before.length - 1 - agree)) agree++;
    let agreeAfter = 0;
    while (agreeAfter < this.suffix.length && agreeAfter < after.length &&
      this.suffix.charCodeAt(agreeAfter) === after.charCodeAt(agreeAfter)) agreeAfter++;
    return (agree + agreeAfter) / Math.max(1, this.prefix.length + this.suffix.length);
  }

  private before(start: number): string {
    const window = this.index.text.slice(Math.max(0, start - this.prefix.length * 4 - 64), start);
    const collapsed = collapseWhitespace(window);
    return collapsed.slice(Math.max(0, collapsed.length - this.prefix.length));
  }

  private after(end: number): string {
    const window = this.index.text.slice(end, end + this.suffix.length * 4 + 64);
    return collapseWhitespace(window).slice(0, this.suffix.length);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Elements

function anchorElement(target: ElementTarget, index: TextIndex): Anchor | null {
  const { root } = index;
  const quote = target.quote ? collapseWhitespace(target.quote.exact).trim() : '';
  const resemblance = (element: Element) => similarity(quote, elementText(element, index.callerExclude));
  const usable = (element: Element) => root.contains(element) && !isInsideLoupeElement(element) && !index.isExcluded(element);

  let matches: Element[] = [];
  try {
    // Queried on the document, not the root: a selector may start above the root ("body > main …").
    matches = Array.from(root.ownerDocument.querySelectorAll(target.css.value)).filter(usable);
  } catch {
    // A selector this engine cannot parse: fall back to the text.
  }
  if (matches.length === 1 && (!quote || resemblance(matches[0]!) >= MIN_TEXT_SIMILARITY_BY_CSS)) {
    return { kind: 'element', element: matches[0]!, method: 'css' };
  }
  if (matches.length > 1 && quote) {
    const byText = bestByText(matches, resemblance, MIN_TEXT_SIMILARITY_ALONE);
    if (byText) return { kind: 'element', element: byText, method: 'css' };
  }
  if (!quote) return null;

  const tag = lastTypeSelector(target.css.value);
  const candidates = Array.from(root.querySelectorAll(tag ?? '*')).filter(usable);
  const byText = bestByText(candidates, resemblance, MIN_TEXT_SIMILARITY_ALONE);
  return byText ? { kind: 'element', element: byText, method: 'element-text' } : null;
}

/**
 * The one element whose text is most like the quote, at least `minimum` alike. A wrapper around the element
 * has the same text: among equals the innermost wins. Two unrelated equals are ambiguous: no answer.
 */
function bestByText(elements: Element[], resemblance: (element: Element) => number, minimum: number): Element | null {
  let bestScore = minimum;
  let best: Element[] = [];
  for (const element of elements) {
    const score = resemblance(element);
    if (score > bestScore + 1e-9) {
      bestScore = score;
      best = [element];
    } else if (Math.abs(score - bestScore) <= 1e-9) {
      best.push(element);
    }
  }
  const innermost = best.filter((element) => !best.some((other) => other !== element && element.contains(other)));
  return innermost.length === 1 ? innermost[0]! : null;
}

/** The type selector of the last compound of a selector ("main > div.x img:nth-of-type(2)" → "img"), if any. */
export function lastTypeSelector(selector: string): string | null {
  let depth = 0;
  let quoteChar = '';
  let lastStart = 0;
  for (let i = 0; i < selector.length; i++) {
    const char = selector.charAt(i);
    if (quoteChar) {
      if (char === '\\') i++;
      else if (char === quoteChar) quoteChar = '';
      continue;
    }
    if (char === '\\') i++;
    else if (char === '"' || char === "'") quoteChar = char;
    else if (char === '[' || char === '(') depth++;
    else if (char === ']' || char === ')') depth--;
    else if (depth === 0 && char === ',') return null;
    else if (depth === 0 && /[\s>+~]/.test(char)) lastStart = i + 1;
  }
  const match = /^[a-zA-Z][\w-]*/.exec(selector.slice(lastStart).trim());
  return match ? match[0].toLowerCase() : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Text helpers

/** The page text with each run of whitespace collapsed to one space, and the way back to raw offsets. */
interface SearchText {
  text: string;
  toRawSpan(start: number, end: number): { start: number; end: number };
  /** The offset in `text` of the first character at or after a raw offset. */
  fromRaw(raw: number): number;
}

const searchTexts = new WeakMap<TextIndex, SearchText>();

function searchTextOf(index: TextIndex): SearchText {
  const cached = searchTexts.get(index);
  if (cached) return cached;
  const raw = index.text;
  const toRaw = new Int32Array(raw.length + 1);
  const parts: string[] = [];
  let length = 0;
  let runStart = 0;
  for (let i = 0; i < raw.length; ) {
    if (isWhitespaceCode(raw.charCodeAt(i))) {
      toRaw[length++] = i;
      parts.push(' ');
      while (i < raw.length && isWhitespaceCode(raw.charCodeAt(i))) i++;
      continue;
    }
    runStart = i;
    while (i < raw.length && !isWhitespaceCode(raw.charCodeAt(i))) toRaw[length++] = i++;
    parts.push(raw.slice(runStart, i));
  }
  toRaw[length] = raw.length;
  const text = parts.join('');
  const search: SearchText = {
    text,
    toRawSpan: (start, end) => ({
      start: toRaw[start]!,
      // One past the raw position of the last character kept (not the end of a whitespace run after it).
      end: end > start ? toRaw[end - 1]! + 1 : toRaw[start]!,
    }),
    fromRaw: (rawOffset) => {
      let low = 0;
      let high = length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (toRaw[mid]! < rawOffset) low = mid + 1;
        else high = mid;
      }
      return low;
    },
  };
  searchTexts.set(index, search);
  return search;
}

/** Runs of whitespace (any Unicode space, as `\s` knows them) become one space. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** The characters `\s` matches, by code, for loops that must not build strings. */
function isWhitespaceCode(code: number): boolean {
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

/** 1 − (edit distance ÷ longer length): 1 for equal strings, 0 for nothing in common. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  // The difference in length is a lower bound of the distance. When it alone puts the similarity under one
  // half (below every threshold used here), that bound is answered without filling the table: scanning a
  // page's elements for a quote then costs little.
  const lengthGap = Math.abs(a.length - b.length) / longer;
  if (lengthGap > 0.5) return 1 - lengthGap;
  return 1 - editDistance(a, b) / longer;
}

/** Levenshtein distance over UTF-16 units, two rows of the table. */
function editDistance(a: string, b: string): number {
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const code = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (code === b.charCodeAt(j - 1) ? 0 : 1);
      current[j] = Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

// ---------------------------------------------------------------------------------------------------------------
// Approximate matching: Myers' bit-parallel algorithm (J. ACM 46(3), 1999) in Hyyrö's block form, with Ukkonen's
// cut-off so that only the blocks of the pattern that can still match are computed. Linear in the text's length
// times the number of 32-unit blocks in play, whatever the number of errors allowed.

/**
 * Every end offset in `text` where `pattern` matches with at most `maxErrors` edits (Levenshtein: insertions,
 * deletions, substitutions of UTF-16 units), and the fewest edits of a match ending there.
 */
export function approximateMatchEnds(text: string, pattern: string, maxErrors: number): { end: number; errors: number }[] {
  const found: { end: number; errors: number }[] = [];
  const m = pattern.length;
  if (m === 0) return found;
  const k = Math.max(0, Math.min(maxErrors, m));
  const blocks = Math.ceil(m / 32);
  const last = blocks - 1;

  // For each character of the pattern, a bit per row where it occurs (32 rows per block).
  const peq = new Map<number, Int32Array>();
  const asciiPeq: (Int32Array | undefined)[] = new Array(128);
  for (let i = 0; i < m; i++) {
    const code = pattern.charCodeAt(i);
    let bits = peq.get(code);
    if (!bits) {
      bits = new Int32Array(blocks);
      peq.set(code, bits);
      if (code < 128) asciiPeq[code] = bits;
    }
    bits[i >> 5]! |= 1 << (i & 31);
  }
  const noMatch = new Int32Array(blocks);
  const lastRowBit = new Int32Array(blocks).fill(1 << 31);
  lastRowBit[last] = 1 << ((m - 1) & 31);

  const positive = new Int32Array(blocks).fill(-1);
  const negative = new Int32Array(blocks);
  const score = new Int32Array(blocks);
  for (let b = 0; b < blocks; b++) score[b] = Math.min((b + 1) * 32, m);

  const advance = (b: number, equal: number, horizontalIn: number): number => {
    const pv = positive[b]!;
    const mv = negative[b]!;
    const inNegative = horizontalIn < 0 ? 1 : 0;
    const eq = equal | inNegative;
    const xv = eq | mv;
    const xh = (((eq & pv) + pv) ^ pv) | eq;
    let ph = mv | ~(xh | pv);
    let mh = pv & xh;
    let out = 0;
    if (ph & lastRowBit[b]!) out = 1;
    else if (mh & lastRowBit[b]!) out = -1;
    ph = (ph << 1) | (horizontalIn > 0 ? 1 : 0);
    mh = (mh << 1) | inNegative;
    positive[b] = mh | ~(xv | ph);
    negative[b] = ph & xv;
    return out;
  };

  // The last block that can hold a cell within k of a match (rows are 1-based; row r is in block (r-1)/32).
  let active = Math.max(0, Math.ceil(k / 32) - 1);
  for (let j = 0; j < text.length; j++) {
    const code = text.charCodeAt(j);
    const bits = (code < 128 ? asciiPeq[code] : peq.get(code)) ?? noMatch;
    let carry = 0;
    for (let b = 0; b <= active; b++) {
      carry = advance(b, bits[b]!, carry);
      score[b]! += carry;
    }
    if (score[active]! - carry <= k && active < last && ((bits[active + 1]! & 1) !== 0 || carry < 0)) {
      active++;
      positive[active] = -1;
      negative[active] = 0;
      const rows = active === last ? m - last * 32 : 32;
      score[active] = score[active - 1]! + rows - carry + advance(active, bits[active]!, carry);
    } else {
      while (active > 0 && score[active]! >= k + 32) active--;
    }
    if (active === last && score[last]! <= k) found.push({ end: j + 1, errors: score[last]! });
  }
  return found;
}

/** Where the match of `pattern` ending at `end` with `errors` edits starts: the same search, run backwards. */
export function approximateMatchStart(text: string, pattern: string, end: number, errors: number): number {
  const windowStart = Math.max(0, end - pattern.length - errors);
  const reversedWindow = reverseUnits(text.slice(windowStart, end));
  const reversedEnds = approximateMatchEnds(reversedWindow, reverseUnits(pattern), errors);
  let bestLength = pattern.length;
  let bestErrors = Infinity;
  for (const candidate of reversedEnds) {
    const closer = Math.abs(candidate.end - pattern.length) < Math.abs(bestLength - pattern.length);
    if (candidate.errors < bestErrors || (candidate.errors === bestErrors && closer)) {
      bestErrors = candidate.errors;
      bestLength = candidate.end;
    }
  }
  return Math.max(0, end - bestLength);
}

/** Reverses UTF-16 units (not code points): text and pattern are reversed alike, so matching is unchanged. */
function reverseUnits(text: string): string {
  let reversed = '';
  for (let i = text.length - 1; i >= 0; i--) reversed += text.charAt(i);
  return reversed;
}
