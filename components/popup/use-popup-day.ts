/**
 * The popup's data: the settings that decide what it can show, today's summary for the chosen scope and the week
 * behind it, read live (useLiveQuery re-runs when a verdict lands), and, for "Team", what the optional team
 * endpoint says. Local numbers never wait for the endpoint: they show at once, and the endpoint's summary
 * replaces them only when it has one.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LoupeDatabase } from '../../lib/db';
import { readDayStats } from '../../lib/leads/day-stats';
import {
  lastDays,
  loadDaySummary,
  loadWeekTrend,
  summarizeDayStats,
  trendPointFromStats,
  type DaySummary,
  type TrendPoint,
} from '../../lib/leads/day-summary';
import { loadSettings, SettingsInvalidError } from '../../lib/settings-store';
import { dayRange, resolveTimeZone } from '../../lib/time';
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
  | { kind: 'unavailable'; reason: string | null };

function errorData(error: unknown): PopupData {
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'error', what: error instanceof SettingsInvalidError ? 'settings' : 'database', message };
}

/** Measures each read of the popup's day (settings, summary, week), for the benchmark. */
export const DAY_READ_MEASURE = 'loupe:popup-day-read';

/**
 * One read of the popup's day. The entry point calls it before React has rendered anything (with the default
 * scope, "me"), so the first render already shows the day instead of "Loading…" (issue 4: under 150 ms).
 */
export async function readPopupDay(db: LoupeDatabase, now: number, scope: Scope, onStale: () => void): Promise<PopupData> {
  const started = performance.now();
  // One read-only transaction: a consistent snapshot of settings and tallies, and one round of IndexedDB
  // scheduling instead of one per read. The audits are in scope for the fallback count.
  let stale = false;
  const data = await db.transaction('r', [db.settings, db.meta, db.dayStats, db.audits], () =>
    readPopupDayData(db, now, scope, () => {
      stale = true;
    }),
  );
  // Told after the transaction: a message to the worker is not the database's business.
  if (stale) onStale();
  performance.measure(DAY_READ_MEASURE, { start: started });
  return data;
}

async function readPopupDayData(db: LoupeDatabase, now: number, scope: Scope, onStale: () => void): Promise<PopupData> {
  const settings = await loadSettings(db);
  if (!settings.siteProfiles.some((profile) => profile.enabled)) return { kind: 'first-run' };
  const timeZone = resolveTimeZone(settings.timeZone);
  const range = dayRange(now, timeZone);
  const auditorId = settings.auditorId ?? null;
  const read: Scope = auditorId ? scope : 'team';
  const who = read === 'me' ? auditorId : null;
  const week = lastDays(now, timeZone);
  const tallies = await readDayStats(db, week.map((day) => day.day), timeZone, who);
  let summary: DaySummary;
  let trend: TrendPoint[];
  if (tallies) {
    // The day tallies: a row per auditor and day, however many audits the days hold.
    summary = summarizeDayStats(tallies.at(-1)!, range, who, settings.kpiTarget, settings.taxonomy);
    trend = week.map((day, index) => trendPointFromStats(tallies[index]!, day));
  } else {
    // Not built yet, or built in another zone: count the audits (right, slower) and ask for a rebuild.
    onStale();
    [summary, trend] = await Promise.all([
      loadDaySummary(db, range, { auditorId: who, target: settings.kpiTarget, taxonomy: settings.taxonomy }),
      loadWeekTrend(db, now, timeZone, who),
    ]);
  }
  return { kind: 'day', auditorId, scope: read, day: range.day, quota: settings.dailyQuota, summary, trend };
}

export function usePopupDay(
  db: LoupeDatabase,
  now: () => number,
  scope: Scope,
  teamSource: (() => Promise<DaySummary | null>) | undefined,
  refreshDayStats: () => Promise<unknown>,
  /** The "me" day read before the first render (readPopupDay), shown until the live query has answered. */
  initial?: PopupData,
): { data: PopupData; remote: TeamRemote } {
  // Already open when the entry point opened it before the first render (entrypoints/popup/main.tsx): the day is
  // read in the first render's effects, one render sooner.
  const [opened, setOpened] = useState<true | PopupData | null>(() => (db.isOpen() ? true : null));
  // Asked once per popup: the live query re-runs on every write until the worker has rebuilt the tallies.
  const askedForTallies = useRef(false);
  const onStale = useCallback(() => {
    if (askedForTallies.current) return;
    askedForTallies.current = true;
    // A worker that cannot be reached leaves the popup on the slower, still correct, count of audits.
    refreshDayStats().catch(() => undefined);
  }, [refreshDayStats]);

  useEffect(() => {
    let live = true;
    // liveQuery waits silently on a database that failed to open (Dexie treats it as closed and maybe reopening),
    // so open it first: a popup stuck on "Loading…" would hide that storage is blocked.
    db.open().then(
      () => live && setOpened(true),
      (error: unknown) => live && setOpened(errorData(error)),
    );
    return () => {
      live = false;
    };
  }, [db]);

  // Errors become data rather than a throw: useLiveQuery rethrows in render, which would blank the whole popup.
  const data = useLiveQuery(
    () => (opened === true ? readPopupDay(db, now(), scope, onStale).catch(errorData) : undefined),
    [db, now, scope, opened, onStale],
  );

  const wantsRemote = teamSource !== undefined && data?.kind === 'day' && data.scope === 'team';
  // The last answer and the source that gave it; "pending" is derived, so no state is set synchronously in an
  // effect. Switching back to "Team" shows the previous answer (seconds old) while the new one is on its way.
  const [answer, setAnswer] = useState<{ source: () => Promise<DaySummary | null>; remote: TeamRemote } | null>(null);
  useEffect(() => {
    if (!wantsRemote || !teamSource) return;
    let live = true;
    teamSource().then(
      (summary) =>
        live && setAnswer({ source: teamSource, remote: summary ? { kind: 'summary', summary } : { kind: 'unavailable', reason: null } }),
      (error: unknown) =>
        live &&
        setAnswer({ source: teamSource, remote: { kind: 'unavailable', reason: error instanceof Error ? error.message : String(error) } }),
    );
    return () => {
      live = false;
    };
  }, [wantsRemote, teamSource]);
  const remote: TeamRemote = !wantsRemote
    ? { kind: 'none' }
    : answer?.source === teamSource
      ? answer.remote
      : { kind: 'pending' };

  // The day read before the first render stands in only until the live query first answers, and only for the
  // scope it was read for: never for another scope, and never again once live data has come.
  const [preRead, setPreRead] = useState(initial);
  if (data !== undefined && preRead !== undefined) setPreRead(undefined);
  const standIn = scope === 'me' ? preRead : undefined;
  const shown: PopupData = opened !== null && opened !== true ? opened : (data ?? standIn ?? { kind: 'loading' });
  return { data: shown, remote };
}
