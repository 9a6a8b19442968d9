/**
 * The popup's data: the settings that decide what it can show, today's summary for the chosen scope and the week
 * behind it, read live (useLiveQuery re-runs when a verdict lands), and, for "Team", what the optional team
 * endpoint says. Local numbers never wait for the endpoint: they show at once, and the endpoint's summary
 * replaces them only when it has one.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import type { LoupeDatabase } from '../../lib/db';
import { loadDaySummary, loadWeekTrend, type DaySummary, type TrendPoint } from '../../lib/leads/day-summary';
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

async function readPopupDay(db: LoupeDatabase, now: number, scope: Scope): Promise<PopupData> {
  const settings = await loadSettings(db);
  if (!settings.siteProfiles.some((profile) => profile.enabled)) return { kind: 'first-run' };
  const timeZone = resolveTimeZone(settings.timeZone);
  const range = dayRange(now, timeZone);
  const auditorId = settings.auditorId ?? null;
  const read: Scope = auditorId ? scope : 'team';
  const who = read === 'me' ? auditorId : null;
  const [summary, trend] = await Promise.all([
    loadDaySummary(db, range, { auditorId: who, target: settings.kpiTarget, taxonomy: settings.taxonomy }),
    loadWeekTrend(db, now, timeZone, who),
  ]);
  return { kind: 'day', auditorId, scope: read, day: range.day, quota: settings.dailyQuota, summary, trend };
}

export function usePopupDay(
  db: LoupeDatabase,
  now: () => number,
  scope: Scope,
  teamSource: (() => Promise<DaySummary | null>) | undefined,
): { data: PopupData; remote: TeamRemote } {
  const [opened, setOpened] = useState<true | PopupData | null>(null);

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
    () => (opened === true ? readPopupDay(db, now(), scope).catch(errorData) : undefined),
    [db, now, scope, opened],
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

  const shown: PopupData = opened !== null && opened !== true ? opened : (data ?? { kind: 'loading' });
  return { data: shown, remote };
}
