/** Words and number formats the dashboard shows, in one place so charts, tables and lists say the same thing. */
import type { Interval } from '../../lib/metrics';
import type { Taxonomy } from '../../lib/schemas';

export { SEVERITY_LABELS, TARGET_LABELS, VERDICT_LABELS } from '../shared/labels';

/** 0.9234 → "92.3%"; `null` (no judged audits) → "–". */
export function percent(value: number | null, digits = 1): string {
  return value === null ? '–' : `${(value * 100).toFixed(digits)}%`;
}

export function intervalText(interval: Interval): string {
  return `${percent(interval.low)}–${percent(interval.high)}`;
}

export function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

export function tagLabel(taxonomy: Pick<Taxonomy, 'tags'>, tagId: string): string {
  return taxonomy.tags.find((tag) => tag.id === tagId)?.label ?? tagId;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** An audit's time as the team reads it: date and time in the configured zone. */
export function formatTime(epochMs: number, timeZone: string): string {
  let format = timeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short', timeStyle: 'short', hourCycle: 'h23' });
    timeFormats.set(timeZone, format);
  }
  return format.format(epochMs);
}

export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return String(error);
}
