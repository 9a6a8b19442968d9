/**
 * How the panel words and shortens what a note holds: the quote or element it is pinned to, who acknowledged it,
 * when it was written. Pure, so each rule is a table in a test and every notes component says the same thing.
 */
import type { NoteThread } from '@/lib/protocol';
import type { Note, NoteTarget } from '@/lib/schemas';
import type { PanelT } from './i18n';

/** About three lines of the 340 px panel: enough to recognise a quote, short enough to scan a list of them. */
export const QUOTE_PREVIEW_CHARS = 140;

export interface QuotePreview {
  /** What is shown (cut at a code point, never inside an emoji or a surrogate pair). */
  shown: string;
  /** The whole text: read by screen readers, and in the tooltip. */
  full: string;
  truncated: boolean;
}

export function previewQuote(text: string, max = QUOTE_PREVIEW_CHARS): QuotePreview {
  const points = [...text];
  if (points.length <= max) return { shown: text, full: text, truncated: false };
  return { shown: `${points.slice(0, max).join('').trimEnd()}…`, full: text, truncated: true };
}

/** What a note is pinned to, in words: the quoted text, or what a person would call the element. */
export function targetWords(target: NoteTarget): { kind: 'text' | 'element'; text: string } {
  return target.kind === 'text' ? { kind: 'text', text: target.quote.exact } : { kind: 'element', text: target.description };
}

/** Who acknowledged a note, once each, in the order they did. */
export function acknowledgersOf(thread: NoteThread): string[] {
  const people: string[] = [];
  for (const reply of thread.replies) {
    if (reply.acknowledged && !people.includes(reply.authorId)) people.push(reply.authorId);
  }
  return people;
}

/** Replies that say something; an acknowledgement alone is shown as "Acknowledged by …", not as a reply. */
export function textRepliesOf(thread: NoteThread): Note[] {
  return thread.replies.filter((reply) => reply.body !== undefined);
}

const SAME_YEAR: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
const OTHER_YEAR: Intl.DateTimeFormatOptions = { dateStyle: 'medium' };
const FULL: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "just now", "5 minutes ago", "3 hours ago" within a day (a clock skew into the future reads as "just now"),
 * then a short date: notes are read days later, and "412 hours ago" helps nobody.
 */
export function noteTime(at: number, now: number, i18n: Pick<PanelT, 't' | 'relativeTime' | 'dateTime'>): string {
  const ago = now - at;
  if (ago < MINUTE) return i18n.t('panel.note.justNow');
  if (ago < HOUR) return i18n.relativeTime(-Math.floor(ago / MINUTE), 'minute');
  if (ago < DAY) return i18n.relativeTime(-Math.floor(ago / HOUR), 'hour');
  return i18n.dateTime(at, new Date(at).getFullYear() === new Date(now).getFullYear() ? SAME_YEAR : OTHER_YEAR);
}

/** The full date and time, for the tooltip. */
export function noteTimeFull(at: number, i18n: Pick<PanelT, 'dateTime'>): string {
  return i18n.dateTime(at, FULL);
}

/** A file name people can recognise, from page text that may hold anything: only safe characters survive. */
export function notesExportFileName(siteId: string, itemId: string): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'item';
  return `loupe-notes-${safe(siteId)}-${safe(itemId)}.jsonld`;
}

/** Every record of the threads, notes and replies, as the Web Annotation export takes them. */
export function recordsOf(threads: readonly NoteThread[]): Note[] {
  return threads.flatMap((thread) => [thread.note, ...thread.replies]);
}
