/**
 * Finds mentors' notes on a labeling page again (issue 5): turns a stored target back into a DOM `Range` or
 * element on a page that may have changed since. Making a target from a selection is `describe-target.ts`; the
 * approximate-matching algorithms are `fuzzy-match.ts`.
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
import type { NoteTarget, TextPositionSelector, TextQuoteSelector } from '../schemas/note';
import { collapseWhitespace, elementText, isWhitespaceCode, type ElementTarget } from './describe-target';
import { approximateMatchEnds, approximateMatchStart, similarity } from './fuzzy-match';
import { buildTextIndex, isInsideLoupeElement, type TextIndex, type TextIndexOptions } from './text-index';

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
// Anchoring

/** Finds every target in one pass over the page text; `null` for a target that is no longer on the page. */
export function anchorNotes(
  items: readonly { id: string; target: NoteTarget }[],
  root: Element,
  options: TextIndexOptions = {},
): Map<string, Anchor | null> {
  // Nothing to look for: indexing the whole page's text for no note costs a large page milliseconds.
  if (items.length === 0) return new Map();
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
// Whitespace-collapsed search text

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
