/**
 * The dashboard's slice of audits: one indexed read for a date range (the `createdAt` index, so a lead's
 * fortnight never scans the whole table), then the queue / labeler / auditor / tag / severity filters in memory
 * with a pure `matchesFilter`, so changing a filter costs no database round trip and tests need no database.
 */
import type { LoupeDatabase } from '../db';
import { dailySeries } from '../metrics';
import type { Audit, Severity } from '../schemas';
import { dayOf } from '../time';

/** Calendar dates, `YYYY-MM-DD`, both inclusive, in the team's time zone. */
export interface DateRange {
  from: string;
  to: string;
}

/** Every field is optional; an unset field lets every audit through. */
export interface AuditFilter {
  queue?: string;
  labelerId?: string;
  auditorId?: string;
  /** An error tag id: audits that carry it. */
  tagId?: string;
  severity?: Severity;
}

export type FilterField = keyof AuditFilter;

/** The values the filters can take, built from the audits in range so no option leads to an empty page. */
export interface FilterOptions {
  queues: string[];
  labelerIds: string[];
  auditorIds: string[];
  tagIds: string[];
  severities: Severity[];
}

const SEVERITY_ORDER: readonly Severity[] = ['minor', 'major', 'critical'];

export function matchesFilter(audit: Audit, filter: AuditFilter): boolean {
  if (filter.queue !== undefined && audit.queue !== filter.queue) return false;
  if (filter.labelerId !== undefined && audit.labelerId !== filter.labelerId) return false;
  if (filter.auditorId !== undefined && audit.auditorId !== filter.auditorId) return false;
  if (filter.tagId !== undefined && !audit.errorTags.includes(filter.tagId)) return false;
  if (filter.severity !== undefined && audit.severity !== filter.severity) return false;
  return true;
}

/** Code-unit order, not localeCompare: the same option order in every browser. */
function sortedText(values: Iterable<string>): string[] {
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function filterOptions(audits: readonly Audit[]): FilterOptions {
  const queues = new Set<string>();
  const labelerIds = new Set<string>();
  const auditorIds = new Set<string>();
  const tagIds = new Set<string>();
  const severities = new Set<Severity>();
  for (const audit of audits) {
    if (audit.queue !== undefined) queues.add(audit.queue);
    if (audit.labelerId !== undefined) labelerIds.add(audit.labelerId);
    auditorIds.add(audit.auditorId);
    for (const tagId of audit.errorTags) tagIds.add(tagId);
    if (audit.severity !== undefined) severities.add(audit.severity);
  }
  return {
    queues: sortedText(queues),
    labelerIds: sortedText(labelerIds),
    auditorIds: sortedText(auditorIds),
    tagIds: sortedText(tagIds),
    severities: SEVERITY_ORDER.filter((severity) => severities.has(severity)),
  };
}

/** `day` moved by `days` calendar days; calendar arithmetic in UTC, so no DST day can shift it. */
export function addDays(day: string, days: number): string {
  const [year, month, date] = day.split('-').map(Number);
  const moved = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (date ?? 1) + days));
  return moved.toISOString().slice(0, 10);
}

/** The last `days` calendar days up to and including today in `timeZone`. */
export function lastDays(now: number, timeZone: string, days = 14): DateRange {
  const to = dayOf(now, timeZone);
  return { from: addDays(to, -(days - 1)), to };
}

/**
 * The range as epoch ms [start, end): from the first instant of `from` to the first instant after `to`, in
 * `timeZone`. Day boundaries come from `dailySeries`, which already handles DST days and skipped dates.
 * Throws RangeError for a malformed date or `from` after `to`.
 */
export function rangeBounds(range: DateRange, timeZone: string): { start: number; end: number } {
  const days = dailySeries([], range, timeZone);
  const first = days[0];
  const last = days.at(-1);
  if (!first || !last) throw new RangeError(`no calendar day from ${range.from} to ${range.to} in ${timeZone}`);
  return { start: first.start, end: last.end };
}

/** Live audits created in [start, end), oldest first, read through the `createdAt` index. */
export function loadAuditsInRange(db: LoupeDatabase, bounds: { start: number; end: number }): Promise<Audit[]> {
  return db.audits
    .where('createdAt')
    .between(bounds.start, bounds.end, true, false)
    .filter((audit) => !audit.deleted)
    .toArray();
}
