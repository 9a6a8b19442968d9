/**
 * Daily accuracy with its Wilson interval, one row per calendar day in the team's zone (mission anchors,
 * "Accuracy vs gold needs a confidence interval on daily audit samples"). Days come from lib/time.ts, so a
 * day is 23 or 25 hours across a DST change and an audit at 23:30 local counts on that local day.
 */
import { dayOf, dayRange } from '../time';
import { countVerdicts, liveAudits, type MetricAudit, type VerdictCounts } from './audit-sample';
import { accuracy, wilsonInterval, type Interval } from './wilson';

export interface DailyRow extends VerdictCounts {
  /** `YYYY-MM-DD` in the zone. */
  day: string;
  /** The day's first instant and the next day's, epoch ms: [start, end). */
  start: number;
  end: number;
  accuracy: number | null;
  interval: Interval;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOUR_MS = 3_600_000;

function parseDay(day: string): { year: number; month: number; date: number } {
  const match = ISO_DAY.exec(day);
  const [year, month, date] = [Number(match?.[1]), Number(match?.[2]), Number(match?.[3])];
  const check = new Date(Date.UTC(year, month - 1, date));
  if (!match || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) {
    throw new RangeError(`expected a calendar date YYYY-MM-DD, got "${day}"`);
  }
  return { year, month, date };
}

/**
 * An instant on `day` in `timeZone`, or on the first day after it when the zone skipped it (Samoa skipped
 * 2011-12-30). Starts at noon UTC, which is within 14 hours of noon in every zone, and walks by half days,
 * shorter than any real day, so it cannot step over the day it looks for.
 */
function instantOnOrAfter(day: string, timeZone: string): number {
  const { year, month, date } = parseDay(day);
  let instant = Date.UTC(year, month - 1, date, 12);
  while (dayOf(instant, timeZone) > day) instant -= 12 * HOUR_MS;
  while (dayOf(instant, timeZone) < day) instant += 12 * HOUR_MS;
  return instant;
}

/**
 * Rows for every day from `range.from` to `range.to` (inclusive, `YYYY-MM-DD`, 4-digit years) in `timeZone`,
 * days without audits included with n = 0 and interval [0, 1]. Audits are placed by `createdAt`; deleted ones
 * are skipped. Throws RangeError for a malformed date or `from` after `to`.
 */
export function dailySeries(
  audits: readonly Pick<MetricAudit, 'verdict' | 'createdAt' | 'deleted'>[],
  range: { from: string; to: string },
  timeZone: string,
  confidence = 0.95,
): DailyRow[] {
  parseDay(range.from);
  parseDay(range.to);
  if (range.from > range.to) throw new RangeError(`range.from ${range.from} is after range.to ${range.to}`);

  const byDay = new Map<string, Pick<MetricAudit, 'verdict' | 'deleted'>[]>();
  for (const audit of liveAudits(audits)) {
    const day = dayOf(audit.createdAt, timeZone);
    if (day < range.from || day > range.to) continue;
    const list = byDay.get(day) ?? [];
    list.push(audit);
    byDay.set(day, list);
  }

  const rows: DailyRow[] = [];
  let current = dayRange(instantOnOrAfter(range.from, timeZone), timeZone);
  while (current.day <= range.to) {
    const counts = countVerdicts(byDay.get(current.day) ?? []);
    rows.push({
      ...current,
      ...counts,
      accuracy: accuracy(counts),
      interval: wilsonInterval(counts.correct, counts.n, confidence),
    });
    current = dayRange(current.end, timeZone);
  }
  return rows;
}
