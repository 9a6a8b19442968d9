/**
 * Read-only queries over audits for extension pages (popup, options, dashboard). Each uses an index from
 * lib/db.ts so it never scans the whole table.
 */
import type { LoupeDatabase } from './db';
import type { DayRange } from './time';

/** Live (not deleted) audits recorded by `auditorId` in the day `[range.start, range.end)`. */
export function countAuditorDay(
  db: LoupeDatabase,
  auditorId: string,
  range: Pick<DayRange, 'start' | 'end'>,
): Promise<number> {
  return db.audits
    .where('[auditorId+createdAt]')
    .between([auditorId, range.start], [auditorId, range.end], true, false)
    .filter((audit) => !audit.deleted)
    .count();
}
