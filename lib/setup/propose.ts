/**
 * What point-and-click site setup proposes from what the user pointed at (issue 7): a regular expression when an
 * element holds more than the value ("Task #123" → `#(\d+)`), a page-address source when the URL holds the item id
 * too, the pages a new profile covers, and its name and id. Pure string work: the setup UI runs it on the text the
 * page's picker sent, and tests run it as tables.
 *
 * Every proposal is checked against the text it was made from before it is returned (the same collapsed text
 * `readField` in lib/site-profile.ts runs patterns over, with the same `u` flag), so a proposal always reads the
 * value it claims to; none is made when the whole text already is the value.
 */
import type { ItemField } from '../schemas';

export interface ValuePattern {
  /** Regular expression source (flag `u`), as a site profile stores it. */
  pattern: string;
  /** The capture group that holds the value. */
  group: number;
  /** What the pattern reads from the text it was proposed for. */
  value: string;
}

/** Whitespace as `readField` sees it: runs collapsed to one space, ends trimmed. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A literal for a pattern, where a run of whitespace in the text may be any run of whitespace on the next item. */
function literal(text: string): string {
  return text
    .split(/\s+/u)
    .map(escapeRegex)
    .join('\\s+');
}

/** Runs `pattern` as a profile would; the value, or null when it does not compile or does not read. */
export function readWithPattern(pattern: string, group: number, text: string): string | null {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'u');
  } catch {
    return null;
  }
  const match = regex.exec(text);
  const value = match?.[group];
  return value === undefined ? null : collapseWhitespace(value) || null;
}

function verified(pattern: string, text: string, value: string): ValuePattern | null {
  return readWithPattern(pattern, 1, text) === value ? { pattern, group: 1, value } : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Item ids

interface Token {
  text: string;
  index: number;
}

/** Words of letters, digits, `-` and `_`: the shapes ids take. */
function tokens(text: string): Token[] {
  return [...text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}_-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu)].map((m) => ({ text: m[0], index: m.index }));
}

/** How much a word looks like an item id: letters and digits together beat a long number beat any digit. */
function idScore(token: string): number {
  const digits = token.replace(/\P{Nd}/gu, '').length;
  if (digits === 0) return 0;
  if (/\p{L}/u.test(token)) return 3;
  return digits >= 3 ? 2 : 1;
}

/**
 * The class of strings an id of this shape belongs to, so the next item's id matches too: `LD-2001` →
 * `LD-\d+` (a prefix is kept: it says which tool's ids these are), `4411` → `\d+`, a hash → hex digits.
 */
export function generalizeId(id: string): string {
  if (/^\d+$/.test(id)) return '\\d+';
  // Thai, Khmer, Devanagari… digits: `\d` is ASCII only, even with the `u` flag.
  if (/^\p{Nd}+$/u.test(id)) return '\\p{Nd}+';
  const prefixed = /^(\p{L}+)([-_]?)(\d+)$/u.exec(id);
  if (prefixed) return `${escapeRegex(prefixed[1]!)}${escapeRegex(prefixed[2]!)}\\d+`;
  if (/^[0-9a-f]+(?:-[0-9a-f]+)*$/i.test(id) && id.length >= 8) return '[0-9A-Fa-f-]+';
  return '[\\p{L}\\p{N}_-]+';
}

function proposeIdPattern(text: string): ValuePattern | null {
  const words = tokens(text);
  let best: Token | undefined;
  for (const word of words) {
    if (idScore(word.text) > (best ? idScore(best.text) : 0)) best = word;
  }
  // No digits anywhere: a label and a value ("Ticket: alpha") at best.
  if (!best) return proposeLabelledValue(text);
  if (best.text === text) return null;

  const general = generalizeId(best.text);
  const before = text.slice(0, best.index);
  // A sign stuck to the id ("#4411", "№ 12") says where it starts on every item.
  const sign = /([^\p{L}\p{N}\s])\s?$/u.exec(before)?.[0] ?? '';
  // An id with a prefix of its own ("MQ-1001") is found alone; a bare number needs its sign ("#4411") or word.
  const candidates = /\p{L}/u.test(best.text) ? [`(${general})`] : [];
  candidates.push(`${literal(sign)}(${general})`);
  const previousWord = /(\p{L}+)\s*[^\p{L}\p{N}\s]?\s*$/u.exec(before);
  if (previousWord) candidates.push(`${literal(before.slice(previousWord.index))}(${general})`);
  candidates.push(`^${literal(before)}(${general})`);
  for (const pattern of candidates) {
    const found = verified(pattern, text, best.text);
    if (found) return found;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Labels, people, decisions, queues

/** "Decision: Remove" → `Decision\s*:\s*(.+)`. A label is short and holds no digits. */
function proposeLabelledValue(text: string): ValuePattern | null {
  const labelled = /^([^:：\d]{1,40}?)\s*([:：])\s*(\S.*)$/u.exec(text);
  if (!labelled) return null;
  return verified(`${literal(labelled[1]!)}\\s*${labelled[2]}\\s*(.+)`, text, labelled[3]!);
}

/** "Reviewed by rev-kim · 2 h ago" → `by\s+(\S+)`: the word after "by". */
function proposeAuthor(text: string): ValuePattern | null {
  const by = /\b(by)\s+(\S+)/iu.exec(text);
  if (!by) return null;
  const name = by[2]!.replace(/[,.;·|]+$/u, '');
  return verified(`\\b${by[1]}\\s+([^\\s,.;·|]+)`, text, name);
}

/** "Queues › Spam · TH" → the last step of a breadcrumb (`›` or `»`; a `/` is too often part of a name). */
function proposeLastCrumb(text: string): ValuePattern | null {
  const crumb = /[›»]\s*([^›»]+)$/u.exec(text);
  if (!crumb) return null;
  return verified('[›»]\\s*([^›»]+)$', text, collapseWhitespace(crumb[1]!));
}

/** "Spam (12)" → the name without its count. */
function proposeWithoutCount(text: string): ValuePattern | null {
  const counted = /^(.+?)\s*\(\d+\)$/u.exec(text);
  if (!counted) return null;
  return verified('^(.+?)\\s*\\(\\d+\\)$', text, counted[1]!);
}

/**
 * A pattern reading `field`'s value out of an element's `text`, or null when the whole text is the value (or
 * nothing better than the whole text can be said). The user can always edit or clear what is proposed.
 */
export function proposeValuePattern(text: string, field: ItemField): ValuePattern | null {
  const collapsed = collapseWhitespace(text);
  if (!collapsed) return null;
  switch (field) {
    case 'itemId':
      return proposeIdPattern(collapsed);
    case 'labelerId':
      return proposeLabelledValue(collapsed) ?? proposeAuthor(collapsed);
    case 'labelerDecision':
      return proposeLabelledValue(collapsed);
    case 'queue': {
      const labelled = proposeLabelledValue(collapsed);
      const inner = labelled?.value ?? collapsed;
      // The last crumb is anchored at the end: it reads the same with or without a label before it.
      const crumb = proposeLastCrumb(inner);
      if (crumb) return verified(crumb.pattern, collapsed, crumb.value) ?? labelled;
      const counted = proposeWithoutCount(inner);
      if (counted && labelled) {
        // "Queue: Spam (12)": the label, then the name up to its count.
        const labelPart = labelled.pattern.slice(0, -'(.+)'.length);
        return verified(`${labelPart}(.+?)\\s*\\(\\d+\\)$`, collapsed, counted.value) ?? labelled;
      }
      return counted ?? labelled;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The page address

/**
 * A pattern reading `value` out of the page address, when the address holds it as a path segment
 * (`/item/MQ-1001`) or a query parameter (`?task=42`). Reading the id from the address survives any redesign of
 * the page, so setup offers it beside the element that was picked.
 */
export function proposeUrlPattern(url: string, value: string): ValuePattern | null {
  if (!value) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const encoded = encodeURIComponent(value);
  const paths = [parsed.pathname, parsed.hash.replace(/^#/, '').split('?')[0] ?? ''];
  for (const path of paths) {
    const segments = path.split('/');
    const at = segments.findIndex((segment) => segment === value || segment === encoded);
    const previous = at > 0 ? segments[at - 1] : undefined;
    if (previous && !idScore(previous)) {
      const found = verifiedUrl(`/${escapeRegex(previous)}/([^/?#]+)`, url, value);
      if (found) return found;
    }
  }
  for (const [name, parameter] of parsed.searchParams) {
    if (parameter !== value) continue;
    const found = verifiedUrl(`[?&]${escapeRegex(encodeURIComponent(name))}=([^&#]+)`, url, value);
    if (found) return found;
  }
  return null;
}

/** As `readField` reads a URL source: the captured part, percent-decoded. */
function verifiedUrl(pattern: string, url: string, value: string): ValuePattern | null {
  const raw = readWithPattern(pattern, 1, url);
  if (raw === null) return null;
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // Kept as it is, as readField does.
  }
  return decoded === value ? { pattern, group: 1, value } : null;
}

// ---------------------------------------------------------------------------------------------------------------
// The profile itself

/**
 * The pages a new profile covers: the tool's first path segment on this host (`http://127.0.0.1/casebook/*`), or
 * the whole host when the page sits at the top. No port: a pattern without one covers every port, and browsers
 * grant hosts, not ports.
 */
export function proposeMatchPattern(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  const segments = parsed.pathname.split('/').filter(Boolean);
  const first = segments[0];
  const isFolder = first !== undefined && (segments.length > 1 || parsed.pathname.endsWith('/')) && !idScore(first);
  return `${parsed.protocol}//${parsed.hostname}/${isFolder ? `${first}/` : ''}*`;
}

const MAX_NAME_LENGTH = 80;

/**
 * A name for the tool: the part of the page title that names the tool rather than the item ("Case 4411 ·
 * Casebook" → "Casebook"), else the host.
 */
export function proposeSiteName(title: string, url: string): string {
  const parts = collapseWhitespace(title)
    .split(/\s+[-–—|·:]\s+/u)
    .map((part) => part.trim())
    .filter(Boolean);
  const named = [...parts].reverse().find((part) => !/\d/.test(part));
  if (named) return named.slice(0, MAX_NAME_LENGTH);
  try {
    return new URL(url).hostname.slice(0, MAX_NAME_LENGTH);
  } catch {
    return 'New site';
  }
}

/** A site id (slug) from a name, not one of `taken`: "Case Book" → "case-book", then "case-book-2". */
export function proposeSiteId(name: string, taken: readonly string[]): string {
  const base =
    name
      .normalize('NFKD')
      // Accents come apart from their letters under NFKD ("á" → "a" + ◌́): keep the letter, drop the mark.
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 56)
      .replace(/-+$/, '') || 'site';
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n += 1) {
    const next = `${base}-${n}`;
    if (!taken.includes(next)) return next;
  }
}
