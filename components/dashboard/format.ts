/**
 * Number and time formats the dashboard shows, in one place so charts, tables and lists say the same thing. Its
 * words are in the dashboard catalogs under lib/i18n/catalogs/; numbers go through the page's translator, so they
 * are written the locale's way (92.3% in English, 92,3% in Vietnamese and Indonesian).
 */
import type { Interval } from '../../lib/metrics';
import type { Taxonomy } from '../../lib/schemas';
import type { DashboardT } from './i18n';

type Numbers = Pick<DashboardT, 'percent'>;

/** "92.3%–97.1%", the locale's way. */
export function intervalText(interval: Interval, i18n: Numbers): string {
  return `${i18n.percent(interval.low)}–${i18n.percent(interval.high)}`;
}

export function tagLabel(taxonomy: Pick<Taxonomy, 'tags'>, tagId: string): string {
  return taxonomy.tags.find((tag) => tag.id === tagId)?.label ?? tagId;
}

/** An audit's time as the team reads it: date and time in the configured zone, written the locale's way. */
export function formatTime(epochMs: number, timeZone: string, i18n: Pick<DashboardT, 'dateTime'>): string {
  return i18n.dateTime(epochMs, { timeZone, dateStyle: 'medium', timeStyle: 'short' });
}

export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return String(error);
}

/** κ to two decimals, as leads read it; a κ that rounds to zero shows "0.00", never "-0.00". */
export function kappaText(kappa: number, i18n: Pick<DashboardT, 'number'>): string {
  const rounded = Math.round(kappa * 100) / 100;
  return i18n.number(rounded === 0 ? 0 : rounded, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/**
 * Landis & Koch's (1977) words for κ: a rough guide from one paper, not a pass mark. Read from κ as shown (two
 * decimals), so "0.20" never reads "fair" because the unrounded value was 0.204. Their word below 0 is "poor".
 */
export function kappaBand(kappa: number, t: DashboardT['t']): string {
  const rounded = Math.round(kappa * 100) / 100;
  if (rounded < 0) return t('dashboard.band.poor');
  if (rounded <= 0.2) return t('dashboard.band.slight');
  if (rounded <= 0.4) return t('dashboard.band.fair');
  if (rounded <= 0.6) return t('dashboard.band.moderate');
  if (rounded <= 0.8) return t('dashboard.band.substantial');
  return t('dashboard.band.almostPerfect');
}
