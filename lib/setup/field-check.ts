/**
 * Checks one field of a site profile being set up against the live page (issue 7): what it reads, or exactly why it
 * reads nothing. Stricter than `readField` (lib/site-profile.ts), which reads the first match: during setup a
 * selector that matches several elements is a problem, since which one comes first can change from item to item.
 *
 * Runs in the page's setup script, so it is zod-free and returns problems as data; the setup UI words them
 * (components/panel/SiteSetupField.tsx), which keeps every sentence in one place for translation.
 */
import type { FieldSource } from '../schemas';
import { readField } from '../site-profile';
import { collapseWhitespace } from './propose';

/** Why a field reads nothing, with what the UI needs to say so. */
export type FieldProblem =
  | { kind: 'invalid-selector' }
  | { kind: 'no-match' }
  | { kind: 'several'; count: number }
  | { kind: 'no-attribute'; attribute: string }
  | { kind: 'empty' }
  | { kind: 'invalid-regex' }
  | { kind: 'regex-no-match'; text: string }
  | { kind: 'no-group'; groups: number };

export type FieldCheck = { ok: true; value: string; text: string } | { ok: false; problem: FieldProblem };

/** How much of the element's text travels back to the setup UI, to show what the pattern ran on. */
export const MAX_CHECK_TEXT = 200;

/** Counting stops here: "matches 50 or more" says all there is to say. */
const MAX_COUNTED = 50;

/** As lib/site-profile.ts: patterns run over at most this much of an element's text. */
const MAX_TEXT_SCANNED = 8192;

export function checkFieldSource(source: FieldSource, url: string, doc: ParentNode): FieldCheck {
  if (source.pattern !== undefined && !compiles(source.pattern)) return { ok: false, problem: { kind: 'invalid-regex' } };
  const subject = source.from === 'url' ? ({ ok: true, text: url } as const) : elementText(source.selector, source.attribute, doc);
  if (!subject.ok) return subject;
  const shown = subject.text.slice(0, MAX_CHECK_TEXT);
  if (source.pattern !== undefined) {
    const match = new RegExp(source.pattern, 'u').exec(subject.text);
    if (!match) return { ok: false, problem: { kind: 'regex-no-match', text: shown } };
    if (source.group >= match.length) return { ok: false, problem: { kind: 'no-group', groups: match.length - 1 } };
  }
  // The labeling page reads with readField: it has the last word on the value (decoding, whitespace, length cap).
  const read = readField(source, url, doc);
  if (!read.ok) return { ok: false, problem: { kind: 'empty' } };
  return { ok: true, value: read.value, text: shown };
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

type Subject = { ok: true; text: string } | { ok: false; problem: FieldProblem };

/** The one element's text or attribute, collapsed as readField collapses it. */
function elementText(selector: string, attribute: string | undefined, doc: ParentNode): Subject {
  let found: NodeListOf<Element>;
  try {
    found = doc.querySelectorAll(selector);
  } catch {
    return { ok: false, problem: { kind: 'invalid-selector' } };
  }
  if (found.length === 0) return { ok: false, problem: { kind: 'no-match' } };
  if (found.length > 1) return { ok: false, problem: { kind: 'several', count: Math.min(found.length, MAX_COUNTED) } };
  const element = found[0]!;
  const raw = attribute ? element.getAttribute(attribute) : element.textContent;
  if (raw === null && attribute) return { ok: false, problem: { kind: 'no-attribute', attribute } };
  // readField bounds the text a pattern runs over the same way, so a huge post cannot stall the page.
  const text = collapseWhitespace((raw ?? '').slice(0, MAX_TEXT_SCANNED));
  if (!text) return { ok: false, problem: { kind: 'empty' } };
  return { ok: true, text };
}
