/**
 * When the worker syncs (issue 3): shortly after a write (debounced), on a periodic alarm re-created at every
 * worker start, at browser start-up, when the network comes back, and when a page asks. Only one run at a time;
 * a trigger during a run asks for one more run after it. Nothing here must survive the worker: the outbox and the
 * sync status are in IndexedDB, and the periodic alarm picks up whatever a stopped worker left.
 */
import type { browser as Browser } from 'wxt/browser';
import type { LoupeDatabase } from '../db';
import { loadSettings } from '../settings-store';
import { hasEndpointPermission } from '../sync/endpoint-permission';
import { runSync, type SyncRunReport } from '../sync/engine';
import { releaseOrphanedLeases } from '../sync/outbox';
import { loadClientId, loadSyncToken, updateSyncStatus } from '../sync/status';

export const SYNC_PERIODIC_ALARM = 'loupe-sync';
export const SYNC_RETRY_ALARM = 'loupe-sync-retry';
/** Verdicts come in bursts; one request for a burst rather than one per verdict. */
export const SYNC_DEBOUNCE_MS = 1_500;
/** Browsers fire alarms no sooner than 30 s; shorter waits use a timer too (lost with the worker, which is fine). */
const ALARM_MIN_DELAY_MS = 30_000;

type Runtime = typeof Browser;

export interface SyncSchedulerDeps {
  db: LoupeDatabase;
  fetch: typeof fetch;
  alarms: Pick<Runtime['alarms'], 'create' | 'get'>;
  permissions: Pick<Runtime['permissions'], 'contains'>;
  isOnline?: () => boolean;
  now?: () => number;
  /** Told after every run, so open panels can show the new sync status. */
  onRunFinished?: () => void;
}

export function createSyncScheduler(deps: SyncSchedulerDeps) {
  const now = deps.now ?? Date.now;
  let running: Promise<SyncRunReport | null> | null = null;
  let again = false;
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  let skipBackoffNext = false;
  let leasesChecked = false;

  async function runOnce(): Promise<SyncRunReport | null> {
    if (!leasesChecked) {
      // First run of this worker: leases left behind died with the previous one.
      await releaseOrphanedLeases(deps.db, now());
      leasesChecked = true;
    }
    const settings = await loadSettings(deps.db);
    const { enabled, endpoint } = settings.sync;
    if (!enabled || !endpoint) return null;
    if (!(await hasEndpointPermission(deps.permissions, endpoint))) {
      await updateSyncStatus(deps.db, {
        lastAttemptAt: now(),
        problem: { kind: 'no-permission', message: `Loupe may not reach ${new URL(endpoint).host}: save the endpoint again in Options to grant access.` },
      });
      deps.onRunFinished?.();
      return null;
    }
    const [token, clientId] = await Promise.all([loadSyncToken(deps.db), loadClientId(deps.db)]);
    const skipBackoff = skipBackoffNext;
    skipBackoffNext = false;
    const report = await runSync({ db: deps.db, fetch: deps.fetch, now, isOnline: deps.isOnline, skipBackoff }, { endpoint, token, clientId });
    schedule(report);
    deps.onRunFinished?.();
    return report;
  }

  function schedule(report: SyncRunReport) {
    clearTimeout(retryTimer);
    if (report.nextDueAt === null || report.stoppedBy?.kind === 'auth') return;
    const delay = Math.max(0, report.nextDueAt - now());
    void deps.alarms.create(SYNC_RETRY_ALARM, { when: now() + Math.max(delay, ALARM_MIN_DELAY_MS) });
    if (delay < ALARM_MIN_DELAY_MS) retryTimer = setTimeout(() => void runNow(), Math.max(delay, 250));
  }

  /** Starts a run now, or after the current one. Resolves with the run's report (null when sync is off). */
  function runNow(): Promise<SyncRunReport | null> {
    if (running) {
      again = true;
      return running;
    }
    const loop = async () => {
      let last: SyncRunReport | null = null;
      do {
        again = false;
        last = await runOnce();
      } while (again);
      return last;
    };
    running = loop().finally(() => {
      running = null;
    });
    return running;
  }

  function requestSync(reason: 'change' | 'settings' | 'manual' | 'alarm' | 'startup' | 'online'): void {
    clearTimeout(debounce);
    // Someone asked, or the network is back: what our backoff was waiting for may be over.
    if (reason === 'manual' || reason === 'online') skipBackoffNext = true;
    const start = () =>
      void runNow().catch((error: unknown) => {
        // The status row could not be written either (database unavailable); the next trigger tries again.
        console.error('Loupe sync run failed', error);
      });
    if (reason === 'change') debounce = setTimeout(start, SYNC_DEBOUNCE_MS);
    else start();
  }

  /** The periodic alarm, re-created on every worker start: alarms can be lost with an update or a crash. */
  async function ensureAlarms(): Promise<void> {
    if (!(await deps.alarms.get(SYNC_PERIODIC_ALARM))) {
      await deps.alarms.create(SYNC_PERIODIC_ALARM, { periodInMinutes: 1 });
    }
  }

  return { requestSync, runNow, ensureAlarms };
}

export type SyncScheduler = ReturnType<typeof createSyncScheduler>;
