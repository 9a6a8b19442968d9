/**
 * Approximate string matching for finding notes again (issue 5): where a quote occurs in a page's text with a
 * few edits, and how alike two short strings are. Kept apart from anchoring because these are plain algorithms
 * over strings (no DOM, no note types): they are checked against a textbook dynamic programme, and anchoring
 * decides what to do with their answers.
 *
 * `approximateMatchEnds` is Myers' bit-parallel algorithm (J. ACM 46(3), 1999) in Hyyrö's block form, with
 * Ukkonen's cut-off so that only the blocks of the pattern that can still match are computed: linear in the
 * text's length times the number of 32-unit blocks in play, whatever the number of errors allowed. Everything
 * counts UTF-16 units, as the page text is indexed.
 */

/** 1 − (edit distance ÷ longer length): 1 for equal strings, 0 for nothing in common. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  // The difference in length is a lower bound of the distance. When it alone puts the similarity under one
  // half (below every threshold anchoring uses), that bound is answered without filling the table: scanning a
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
