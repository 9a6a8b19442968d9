/**
 * The popup's day, read live: Dexie's liveQuery re-runs the read whenever a verdict lands, and the settings are
 * validated with zod. Loaded after the first paint (use-popup-day.ts), since Dexie and zod are half of the popup's
 * code and the first frame does not need them (read-first-day.ts reads it without them).
 */
import { liveQuery } from 'dexie';
import { getDatabase, type LoupeDatabase } from '../../lib/db';
import { readDayStats } from '../../lib/leads/day-stats';
import { loadDaySummary, loadWeekTrend } from '../../lib/leads/day-summary';
import { loadSettings, SettingsInvalidError } from '../../lib/settings-store';
import { dayData, dayFromTallies, DAY_READ_MEASURE, planPopupDay, type PopupData } from './popup-day';
import type { Scope } from './popup-store';

export { getDatabase };

function errorData(error: unknown): PopupData {
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'error', what: error instanceof SettingsInvalidError ? 'settings' : 'database', message };
}

/** One read of the popup's day, for `scope`. `onStale` is told when the tallies cannot answer. */
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
  const plan = planPopupDay(settings, now, scope);
  if (!plan) return { kind: 'first-run' };
  const tallies = await readDayStats(db, plan.week.map((day) => day.day), plan.timeZone, plan.who);
  // The day tallies: a row per auditor and day, however many audits the days hold.
  if (tallies) return dayFromTallies(plan, settings, tallies);
  // Not built yet, or built in another zone: count the audits (right, slower) and ask for a rebuild.
  onStale();
  const [summary, trend] = await Promise.all([
    loadDaySummary(db, plan.today, { auditorId: plan.who, target: settings.kpiTarget, taxonomy: settings.taxonomy }),
    loadWeekTrend(db, now, plan.timeZone, plan.who),
  ]);
  return dayData(plan, settings, summary, trend);
}

export interface PopupDayWatch {
  db: LoupeDatabase;
  now: () => number;
  scope: Scope;
  onStale: () => void;
  /** Every answer, errors included (as data: the popup explains them rather than going blank). */
  onData: (data: PopupData) => void;
}

/**
 * Opens the database, then reads the day again whenever what it read changes. Returns the way to stop. Opened
 * first because liveQuery waits silently on a database that failed to open (Dexie treats it as closed and maybe
 * reopening): a popup stuck on "Loading…" would hide that storage is blocked.
 */
export function watchPopupDay({ db, now, scope, onStale, onData }: PopupDayWatch): () => void {
  let stopped = false;
  let subscription: { unsubscribe(): void } | undefined;
  db.open().then(
    () => {
      if (stopped) return;
      subscription = liveQuery(() => readPopupDay(db, now(), scope, onStale).catch(errorData)).subscribe({
        next: onData,
        error: (error: unknown) => onData(errorData(error)),
      });
    },
    (error: unknown) => {
      if (!stopped) onData(errorData(error));
    },
  );
  return () => {
    stopped = true;
    subscription?.unsubscribe();
  };
}
