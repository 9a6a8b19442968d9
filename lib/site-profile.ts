/**
 * Reads the item on screen off a labeling page, as a site profile describes (DESIGN.md, "Site profile").
 * Pure and zod-free: the content script runs it on every navigation, so it imports schema *types* only.
 */
import { matchesPattern } from './match-pattern';
import type { DetectedItem, FieldSource, ItemField, SiteProfile } from './schemas';

/**
 * Why a field read nothing, as data: the content script carries no catalogs, so the panel and options page word it
 * in the reader's language (lib/setup/setup-text.ts `describeReadProblem`). Page text in it is already cut short.
 */
export type ReadProblem =
  | { code: 'not-http'; url: string }
  | { code: 'invalid-selector'; selector: string }
  | { code: 'no-match'; selector: string }
  | { code: 'no-attribute'; attribute: string }
  | { code: 'empty-attribute'; attribute: string }
  | { code: 'empty-element'; selector: string }
  | { code: 'invalid-regex'; pattern: string }
  | { code: 'url-no-match'; pattern: string }
  | { code: 'text-no-match'; pattern: string; text: string }
  | { code: 'no-group'; pattern: string; group: number; last: number }
  | { code: 'url-group-empty'; pattern: string; group: number }
  | { code: 'text-group-empty'; pattern: string; group: number; text: string };

export type FieldRead = { ok: true; value: string } | { ok: false; problem: ReadProblem };

/** Why one field could not be read, for the person who maintains the site profile. */
export interface FieldProblem {
  field: ItemField;
  problem: ReadProblem;
}

export type ItemReading =
  | { status: 'found'; item: DetectedItem; problems: FieldProblem[] }
  | { status: 'missing'; problems: FieldProblem[] };

/** The parts of an item that say which item it is. */
export type ItemIdentity = Pick<DetectedItem, 'siteId' | 'itemId'>;

/** `detectedItemSchema` bounds every read value at 256 UTF-16 units. */
const MAX_VALUE_LENGTH = 256;

/**
 * Page text is written by whoever posted the content under review, and profile regexes are written by people:
 * bounding the text a regex runs over keeps a careless pattern from freezing the labeling page on a huge post.
 */
const MAX_TEXT_SCANNED = 8192;

/** How much of a page's text a problem message quotes. */
const MAX_QUOTED_LENGTH = 60;

/** Read in this order; `itemId` comes from the profile's required field. */
const OPTIONAL_FIELDS = ['labelerId', 'labelerDecision', 'queue'] as const satisfies readonly ItemField[];

/** The first enabled profile with a `match` pattern that covers `url`. */
export function findSiteProfile(profiles: readonly SiteProfile[], url: string): SiteProfile | undefined {
  return profiles.find((profile) => profile.enabled && profile.match.some((pattern) => matchesPattern(pattern, url)));
}

/** Reads one field from the page address or the document. Never throws: a failure is a problem to show. */
export function readField(source: FieldSource, url: string, doc: ParentNode): FieldRead {
  if (source.from === 'url') {
    const captured = capture(source.pattern, source.group, url, null);
    if (!captured.ok) return captured;
    return finish(decodeUrlPart(captured.value), { code: 'url-group-empty', pattern: source.pattern, group: source.group });
  }

  let element: Element | null;
  try {
    element = doc.querySelector(source.selector);
  } catch {
    return { ok: false, problem: { code: 'invalid-selector', selector: source.selector } };
  }
  if (!element) return { ok: false, problem: { code: 'no-match', selector: source.selector } };

  let raw: string;
  if (source.attribute) {
    const attributeValue = element.getAttribute(source.attribute);
    if (attributeValue === null) return { ok: false, problem: { code: 'no-attribute', attribute: source.attribute } };
    raw = attributeValue;
  } else {
    raw = element.textContent ?? '';
  }
  const text = collapseWhitespace(raw.slice(0, MAX_TEXT_SCANNED));
  const empty: ReadProblem = source.attribute
    ? { code: 'empty-attribute', attribute: source.attribute }
    : { code: 'empty-element', selector: source.selector };
  if (!text) return { ok: false, problem: empty };
  if (!source.pattern) return finish(text, empty);

  const captured = capture(source.pattern, source.group, text, quote(text));
  if (!captured.ok) return captured;
  return finish(captured.value, { code: 'text-group-empty', pattern: source.pattern, group: source.group, text: quote(text) });
}

/**
 * Reads the item on the page. Without an item id there is no item; the other fields are best effort, and
 * each one that fails is reported so the options page can show what to fix.
 */
export function extractItem(profile: SiteProfile, url: string, doc: ParentNode): ItemReading {
  const problems: FieldProblem[] = [];

  const itemUrl = canonicalItemUrl(url, profile.keepParams);
  if (itemUrl === null) {
    problems.push({ field: 'itemId', problem: { code: 'not-http', url: quote(url) } });
    return { status: 'missing', problems };
  }

  const itemId = readField(profile.fields.itemId, url, doc);
  if (!itemId.ok) problems.push({ field: 'itemId', problem: itemId.problem });

  const optional: Partial<Record<(typeof OPTIONAL_FIELDS)[number], string>> = {};
  for (const field of OPTIONAL_FIELDS) {
    const source = profile.fields[field];
    if (!source) continue;
    const read = readField(source, url, doc);
    if (read.ok) optional[field] = read.value;
    else problems.push({ field, problem: read.problem });
  }

  if (!itemId.ok) return { status: 'missing', problems };
  return { status: 'found', item: { siteId: profile.id, itemId: itemId.value, itemUrl, ...optional }, problems };
}

/** Whether two readings name the same item (the URL and labeler fields may differ between reads). */
export function sameItem(a: ItemIdentity, b: ItemIdentity): boolean {
  return a.siteId === b.siteId && a.itemId === b.itemId;
}

/** A string key for an item, for maps and caches. Site ids are slugs, so the first ":" separates the parts. */
export function itemKey(item: ItemIdentity): string {
  return `${item.siteId}:${item.itemId}`;
}

/**
 * Origin + path + the kept query parameters in the order the page had them. Everything else in the query and
 * the fragment is dropped (DESIGN.md, "Audit"): they carry session state and sometimes tokens.
 */
function canonicalItemUrl(url: string, keepParams: readonly string[]): string | null {
  // The page is read again on every DOM change while its address rarely changes: parse each address once.
  if (lastCanonical?.url === url && lastCanonical.keepParams === keepParams) return lastCanonical.result;
  const result = parseCanonicalItemUrl(url, keepParams);
  lastCanonical = { url, keepParams, result };
  return result;
}

let lastCanonical: { url: string; keepParams: readonly string[]; result: string | null } | undefined;

function parseCanonicalItemUrl(url: string, keepParams: readonly string[]): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  const kept = new URLSearchParams();
  for (const [name, value] of parsed.searchParams) {
    if (keepParams.includes(name)) kept.append(name, value);
  }
  const query = kept.toString();
  return `${parsed.origin}${parsed.pathname}${query ? `?${query}` : ''}`;
}

/** Compiled field patterns: no `lastIndex` state is shared, since they are used with `exec` and no `g` flag. */
const compiled = new Map<string, RegExp>();

/** `quoted`: the subject as a problem may quote it, or null when the subject is the page address. */
function capture(pattern: string, group: number, subject: string, quoted: string | null): FieldRead {
  let regex = compiled.get(pattern);
  if (!regex) {
    try {
      // Same flags as the schema's `isValidRegex`, so a pattern that saved also compiles here.
      regex = new RegExp(pattern, 'u');
    } catch {
      return { ok: false, problem: { code: 'invalid-regex', pattern } };
    }
    // A profile has a handful of patterns; the bound only guards against a page of ever-changing settings.
    if (compiled.size > 64) compiled.clear();
    compiled.set(pattern, regex);
  }
  const match = regex.exec(subject);
  if (!match) {
    return { ok: false, problem: quoted === null ? { code: 'url-no-match', pattern } : { code: 'text-no-match', pattern, text: quoted } };
  }
  if (group >= match.length) return { ok: false, problem: { code: 'no-group', pattern, group, last: match.length - 1 } };
  return { ok: true, value: match[group] ?? '' };
}

/** Trims, rejects empty values and caps the length where the schema does. */
function finish(value: string, emptyProblem: ReadProblem): FieldRead {
  const text = collapseWhitespace(value);
  if (!text) return { ok: false, problem: emptyProblem };
  return { ok: true, value: capLength(text, MAX_VALUE_LENGTH) };
}

/** Labeling UIs wrap ids over lines and indent them; what a person reads as one space is one space. */
function collapseWhitespace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** `location.href` percent-encodes non-ASCII ids (Khmer, Thai); people read and compare them decoded. */
function decodeUrlPart(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Cuts at `max` UTF-16 units without leaving half of a surrogate pair (an emoji) at the end. */
function capLength(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

function quote(text: string): string {
  return text.length <= MAX_QUOTED_LENGTH ? text : `${capLength(text, MAX_QUOTED_LENGTH)}…`;
}
