/**
 * The popup's day as data, and the pure steps of reading it: what to read for a scope given the settings, and the
 * day made from the tallies read. Two readers share them: the first paint's (read-first-day.ts: raw IndexedDB,
 * before Dexie and zod have loaded) and the live one (popup-day-live.ts: Dexie, zod-validated settings, re-run on
 * every write). Nothing here imports Dexie or zod (issue 4: the popup opens in under 150 ms).
 */
import type { DaySummary, TrendPoint } from '../../lib/leads/day-summary';
import { lastDays, summarizeDayStats, trendPointFromStats } from '../../lib/leads/day-summary';
import type { DayStats } from '../../lib/leads/day-stats';
import type { ProblemText } from '../../lib/problems';
import type { Settings, SiteProfile } from '../../lib/schemas';
import { dayRange, resolveTimeZone, type DayRange } from '../../lib/time';
import type { Scope } from './popup-store';

export type PopupData =
  | { kind: 'loading' }
  /** `what`: the database could not be opened, or the settings stored in it cannot be read. */
  | { kind: 'error'; what: 'database' | 'settings'; message: string }
  | { kind: 'first-run' }
  | {
      kind: 'day';
      /** Null until the analyst sets it; the popup then shows the team's day and asks for it. */
      auditorId: string | null;
      /** What was read: "me" is never read without an auditor id. */
      scope: Scope;
      day: string;
      quota: number | undefined;
      summary: DaySummary;
      trend: TrendPoint[];
    };

/** What the team endpoint said, for "Team" only. */
export type TeamRemote =
  | { kind: 'none' }
  | { kind: 'pending' }
  | { kind: 'summary'; summary: DaySummary }
  /** It answered without a summary (null) or failed: the popup shows this browser's audits and says which. */
  | { kind: 'unavailable'; reason: ProblemText | null };

/** Measures each read of the popup's day (settings and tallies, after the database is open), for the benchmark. */
export const DAY_READ_MEASURE = 'loupe:popup-day-read';

/** The settings the day depends on. */
export type DaySettings = Pick<Settings, 'auditorId' | 'kpiTarget' | 'dailyQuota' | 'timeZone' | 'taxonomy'> & {
  siteProfiles: ReadonlyArray<Pick<SiteProfile, 'enabled'>>;
};

/** What to read: whose tallies, over which days, in which zone. */
export interface DayPlan {
  auditorId: string | null;
  /** The scope read: "team" when there is no auditor id, whatever was asked. */
  scope: Scope;
  /** The auditor whose tallies are read; null for every auditor's. */
  who: string | null;
  timeZone: string;
  today: DayRange;
  /** The trend's days, oldest first, ending with today. */
  week: DayRange[];
}

/** Null on first run (no enabled site): there is no day to read yet. */
export function planPopupDay(settings: DaySettings, now: number, scope: Scope): DayPlan | null {
  if (!settings.siteProfiles.some((profile) => profile.enabled)) return null;
  const timeZone = resolveTimeZone(settings.timeZone);
  const auditorId = settings.auditorId ?? null;
  const read: Scope = auditorId ? scope : 'team';
  return {
    auditorId,
    scope: read,
    who: read === 'me' ? auditorId : null,
    timeZone,
    today: dayRange(now, timeZone),
    week: lastDays(now, timeZone),
  };
}

/** The day from the week's tallies (one per day of `plan.week`, for `plan.who` or merged for every auditor). */
export function dayFromTallies(plan: DayPlan, settings: DaySettings, tallies: readonly DayStats[]): PopupData {
  const summary = summarizeDayStats(tallies.at(-1)!, plan.today, plan.who, settings.kpiTarget, settings.taxonomy);
  const trend = plan.week.map((day, index) => trendPointFromStats(tallies[index]!, day));
  return dayData(plan, settings, summary, trend);
}

/** The day as the popup shows it, whichever way its summary and trend were counted. */
export function dayData(plan: DayPlan, settings: DaySettings, summary: DaySummary, trend: TrendPoint[]): PopupData {
  return { kind: 'day', auditorId: plan.auditorId, scope: plan.scope, day: plan.today.day, quota: settings.dailyQuota, summary, trend };
}
