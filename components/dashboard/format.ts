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

/** κ to two decimals, as leads read it; a κ that rounds to zero shows "0.00", never "-0.00". */
export function kappaText(kappa: number): string {
  const rounded = Math.round(kappa * 100) / 100;
  return (rounded === 0 ? 0 : rounded).toFixed(2);
}

/**
 * Landis & Koch's (1977) words for κ: a rough guide from one paper, not a pass mark. Read from κ as shown (two
 * decimals), so "0.20" never reads "fair" because the unrounded value was 0.204. Their word below 0 is "poor".
 */
export function kappaBand(kappa: number): string {
  const rounded = Math.round(kappa * 100) / 100;
  if (rounded < 0) return 'poor (less than chance)';
  if (rounded <= 0.2) return 'slight';
  if (rounded <= 0.4) return 'fair';
  if (rounded <= 0.6) return 'moderate';
  if (rounded <= 0.8) return 'substantial';
  return 'almost perfect';
}
