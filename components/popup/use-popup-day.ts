/**
 * The popup's data: the settings that decide what it can show, today's summary for the chosen scope and the week
 * behind it, read live (re-read when a verdict lands), and, for "Team", what the optional team endpoint says.
 * Local numbers never wait for the endpoint: they show at once, and the endpoint's summary replaces them only when
 * it has one.
 *
 * Issue 4 (open in under 150 ms): the live read needs Dexie and zod, half of the popup's code, so it is loaded
 * here rather than imported. With a day read before the first render (read-first-day.ts) it loads after that day
 * is painted; without one, at once.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LoupeDatabase } from '../../lib/db';
import type { DaySummary } from '../../lib/leads/day-summary';
import { problemOfError } from '../../lib/problems';
import type { PopupData, TeamRemote } from './popup-day';
import type { Scope } from './popup-store';

type LiveModule = typeof import('./popup-day-live');

/** Runs `task` once the frame being prepared has been painted (at once in a hidden page, which paints nothing). */
function afterPaint(task: () => void): () => void {
  if (document.visibilityState === 'hidden') {
    task();
    return () => undefined;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    // rAF runs before the paint; a task queued from it runs after.
    timer = setTimeout(task, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

type LiveModuleState =
  | { kind: 'waiting' }
  | { kind: 'loaded'; module: LiveModule }
  /** It could not load (an extension updated under an open popup): the popup says the day cannot be counted. */
  | { kind: 'failed'; data: PopupData };

function useLiveModule(wait: boolean): LiveModuleState {
  const [live, setLive] = useState<LiveModuleState>({ kind: 'waiting' });
  useEffect(() => {
    let mounted = true;
    const load = () => {
      import('./popup-day-live').then(
        (module) => mounted && setLive({ kind: 'loaded', module }),
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          if (mounted) setLive({ kind: 'failed', data: { kind: 'error', what: 'database', message } });
        },
      );
    };
    const cancel = wait ? afterPaint(load) : (load(), undefined);
    return () => {
      mounted = false;
      cancel?.();
    };
  }, [wait]);
  return live;
}

export function usePopupDay(
  /** This browser's database; the shared one (lib/db.ts getDatabase) when absent. */
  db: LoupeDatabase | undefined,
  now: () => number,
  scope: Scope,
  teamSource: (() => Promise<DaySummary | null>) | undefined,
  refreshDayStats: () => Promise<unknown>,
  /** The "me" day read before the first render (read-first-day.ts), shown until the live read has answered. */
  initial?: PopupData,
): {
  data: PopupData;
  remote: TeamRemote;
  /** The live read has answered: what is shown is no longer the first paint's stand-in. */
  live: boolean;
} {
  const [waitForPaint] = useState(initial !== undefined);
  const live = useLiveModule(waitForPaint);
  // Asked once per popup: the live read re-runs on every write until the worker has rebuilt the tallies.
  const askedForTallies = useRef(false);
  const onStale = useCallback(() => {
    if (askedForTallies.current) return;
    askedForTallies.current = true;
    // A worker that cannot be reached leaves the popup on the slower, still correct, count of audits.
    refreshDayStats().catch(() => undefined);
  }, [refreshDayStats]);

  // The latest answer stays while another scope is read, as the switch already shows the new choice.
  const [read, setRead] = useState<PopupData | undefined>(undefined);
  useEffect(() => {
    if (live.kind !== 'loaded') return;
    const { watchPopupDay, getDatabase } = live.module;
    return watchPopupDay({ db: db ?? getDatabase(), now, scope, onStale, onData: setRead });
  }, [live, db, now, scope, onStale]);
  const data = live.kind === 'failed' ? live.data : read;

  const wantsRemote = teamSource !== undefined && data?.kind === 'day' && data.scope === 'team';
  // The last answer and the source that gave it; "pending" is derived, so no state is set synchronously in an
  // effect. Switching back to "Team" shows the previous answer (seconds old) while the new one is on its way.
  const [answer, setAnswer] = useState<{ source: () => Promise<DaySummary | null>; remote: TeamRemote } | null>(null);
  useEffect(() => {
    if (!wantsRemote || !teamSource) return;
    let mounted = true;
    teamSource().then(
      (summary) =>
        mounted && setAnswer({ source: teamSource, remote: summary ? { kind: 'summary', summary } : { kind: 'unavailable', reason: null } }),
      (error: unknown) =>
        mounted &&
        setAnswer({ source: teamSource, remote: { kind: 'unavailable', reason: problemOfError(error) } }),
    );
    return () => {
      mounted = false;
    };
  }, [wantsRemote, teamSource]);
  const remote: TeamRemote = !wantsRemote
    ? { kind: 'none' }
    : answer?.source === teamSource
      ? answer.remote
      : { kind: 'pending' };

  // The day read before the first render stands in only until the live read first answers, and only for the
  // scope it was read for: never for another scope, and never again once live data has come.
  const [preRead, setPreRead] = useState(initial);
  if (data !== undefined && preRead !== undefined) setPreRead(undefined);
  const standIn = scope === 'me' ? preRead : undefined;
  return { data: data ?? standIn ?? { kind: 'loading' }, remote, live: data !== undefined };
}
