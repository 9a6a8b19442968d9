/**
 * When the worker syncs (issue 3): shortly after a write (debounced), on a periodic alarm re-created at every
 * worker start, at browser start-up, when the network comes back, and when a page asks. Only one run at a time;
 * a trigger during a run asks for one more run after it. Nothing here must survive the worker: the outbox and the
 * sync status are in IndexedDB, and the periodic alarm picks up whatever a stopped worker left.
 *
 * When it pulls the team's notes (issue 5): on its own periodic alarm (every 5 minutes), right after a push run
 * that delivered something, when a person asks to sync or the settings change, and for one item when that item is
 * opened (at most once per 30 s per item). Global pulls run one at a time, like pushes; the cursor they move is in
 * IndexedDB. The throttles below live in memory: a worker that stops forgets them, which costs one extra pull.
 */
import type { browser as Browser } from 'wxt/browser';
import type { LoupeDatabase } from '../db';
import { englishProblem } from '../problems';
import type { Settings } from '../schemas';
import { loadSettings } from '../settings-store';
import { hasEndpointPermission } from '../sync/endpoint-permission';
import { runSync, type SyncRunReport } from '../sync/engine';
import { releaseOrphanedLeases, sweepSettled } from '../sync/outbox';
import { pullChanges, type PullItem, type PullSummary } from '../sync/pull';
import { loadClientId, loadSyncToken, updateSyncStatus } from '../sync/status';

export const SYNC_PERIODIC_ALARM = 'loupe-sync';
export const SYNC_RETRY_ALARM = 'loupe-sync-retry';
/** Verdicts come in bursts; one request for a burst rather than one per verdict. */
export const SYNC_DEBOUNCE_MS = 1_500;
/** Browsers fire alarms no sooner than 30 s; shorter waits use a timer too (lost with the worker, which is fine). */
const ALARM_MIN_DELAY_MS = 30_000;

export const PULL_PERIODIC_ALARM = 'loupe-pull';
/** A pull stopped at its page limit with more waiting: the next one comes soon, not in 5 minutes. */
export const PULL_MORE_ALARM = 'loupe-pull-more';
export const PULL_PERIOD_MINUTES = 5;
/** Pushes come every few seconds during a burst of verdicts; the pulls that follow them, at most this often. */
export const PULL_AFTER_PUSH_MIN_MS = 30_000;
/** An item opened again and again (back and forth between two items) pulls its notes at most this often. */
export const ITEM_PULL_THROTTLE_MS = 30_000;

export type PullReason = 'alarm' | 'after-push' | 'manual' | 'settings';

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
  /** Told after every pull (`item` set for an item's pull), so open panels can show notes that arrived. */
  onPullFinished?: (summary: PullSummary, item: PullItem | null) => void;
  /** The stored settings (the worker's cached copy: an item pull asks on every item change); read afresh by default. */
  settings?: () => Promise<Settings>;
}

export function createSyncScheduler(deps: SyncSchedulerDeps) {
  const now = deps.now ?? Date.now;
  let running: Promise<SyncRunReport | null> | null = null;
  let again = false;
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  let skipBackoffNext = false;
  let leasesChecked = false;

  let pulling: Promise<PullSummary | null> | null = null;
  let pullAgain = false;
  let lastPullStartedAt = Number.NEGATIVE_INFINITY;
  /** When each item's notes were last pulled; entries older than the throttle are dropped as others are added. */
  const itemPulledAt = new Map<string, number>();

  /**
   * The endpoint and its token when sync is on and may reach the endpoint; null otherwise. A push run says why in
   * the sync status when the permission is missing; a pull only skips (the next push run says it).
   */
  async function syncTarget(reportMissingPermission: boolean): Promise<{ endpoint: string; token: string | null } | null> {
    const settings = await (deps.settings ? deps.settings() : loadSettings(deps.db));
    const { enabled, endpoint } = settings.sync;
    if (!enabled || !endpoint) return null;
    if (!(await hasEndpointPermission(deps.permissions, endpoint))) {
      if (reportMissingPermission) {
        await updateSyncStatus(deps.db, {
          lastAttemptAt: now(),
          problem: { kind: 'no-permission', ...englishProblem('sync.noPermission', { host: new URL(endpoint).host }) },
        });
        deps.onRunFinished?.();
      }
      return null;
    }
    return { endpoint, token: await loadSyncToken(deps.db) };
  }

  async function runOnce(): Promise<SyncRunReport | null> {
    if (!leasesChecked) {
      // First run of this worker: leases left behind died with the previous one.
      await releaseOrphanedLeases(deps.db);
      leasesChecked = true;
    }
    const target = await syncTarget(true);
    if (!target) return null;
    const clientId = await loadClientId(deps.db);
    const skipBackoff = skipBackoffNext;
    skipBackoffNext = false;
    const report = await runSync({ db: deps.db, fetch: deps.fetch, now, isOnline: deps.isOnline, skipBackoff }, { ...target, clientId });
    schedule(report);
    deps.onRunFinished?.();
    // The endpoint just took our changes, so it is up: a good moment to fetch everyone else's.
    if (report.requests > 0 && report.stoppedBy === null) requestPull('after-push');
    // Only now, with nothing left to send in this run, go the entries it delivered (sweepSettled says why).
    await sweepSettled(deps.db).catch((error: unknown) => console.error('Loupe could not clear the changes it has synced', error));
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
    // A person who asks to sync, or who just set up the endpoint, expects the team's notes too, even with
    // nothing of theirs to send.
    if (reason === 'manual' || reason === 'settings') requestPull(reason);
    const start = () =>
      void runNow().catch((error: unknown) => {
        // The status row could not be written either (database unavailable); the next trigger tries again.
        console.error('Loupe sync run failed', error);
      });
    if (reason === 'change') debounce = setTimeout(start, SYNC_DEBOUNCE_MS);
    else start();
  }

  async function pullOnce(): Promise<PullSummary | null> {
    const target = await syncTarget(false);
    if (!target) return null;
    lastPullStartedAt = now();
    const summary = await pullChanges(deps.db, { ...target, fetch: deps.fetch, now, isOnline: deps.isOnline });
    if (summary.hasMore) void deps.alarms.create(PULL_MORE_ALARM, { when: now() + ALARM_MIN_DELAY_MS });
    // A refused token paused sync: the status line changed.
    if (summary.problem?.kind === 'auth') deps.onRunFinished?.();
    deps.onPullFinished?.(summary, null);
    return summary;
  }

  /** Starts a global pull now, or after the current one. Resolves with its summary (null when sync is off). */
  function pullNow(): Promise<PullSummary | null> {
    if (pulling) {
      pullAgain = true;
      return pulling;
    }
    const loop = async () => {
      let last: PullSummary | null = null;
      do {
        pullAgain = false;
        last = await pullOnce();
      } while (pullAgain);
      return last;
    };
    pulling = loop().finally(() => {
      pulling = null;
    });
    return pulling;
  }

  function requestPull(reason: PullReason): void {
    if (reason === 'after-push' && (pulling || now() - lastPullStartedAt < PULL_AFTER_PUSH_MIN_MS)) return;
    void pullNow().catch((error: unknown) => {
      // Only the database can fail here (pullChanges answers every network problem); the next trigger tries again.
      console.error('Loupe could not pull notes', error);
    });
  }

  /**
   * "This item was opened: pull its notes now." At most once per ITEM_PULL_THROTTLE_MS per item; resolves with the
   * pull's summary, or null when it was throttled, sync is off, or the database failed. Never rejects, so the
   * worker can call it without awaiting.
   */
  function requestItemPull(siteId: string, itemId: string): Promise<PullSummary | null> {
    const at = now();
    for (const [key, pulledAt] of itemPulledAt) if (at - pulledAt >= ITEM_PULL_THROTTLE_MS) itemPulledAt.delete(key);
    const key = JSON.stringify([siteId, itemId]);
    if (itemPulledAt.has(key)) return Promise.resolve(null);
    itemPulledAt.set(key, at);
    const item: PullItem = { siteId, itemId };
    const pull = async () => {
      const target = await syncTarget(false);
      if (!target) return null;
      const summary = await pullChanges(deps.db, { ...target, fetch: deps.fetch, now, isOnline: deps.isOnline, item });
      if (summary.problem?.kind === 'auth') deps.onRunFinished?.();
      deps.onPullFinished?.(summary, item);
      return summary;
    };
    return pull().catch((error: unknown) => {
      console.error('Loupe could not pull the notes of an item', error);
      return null;
    });
  }

  /** Routes one of our alarms; false for an alarm that is not the scheduler's. */
  function handleAlarm(name: string): boolean {
    if (name === SYNC_PERIODIC_ALARM || name === SYNC_RETRY_ALARM) {
      requestSync('alarm');
      return true;
    }
    if (name === PULL_PERIODIC_ALARM || name === PULL_MORE_ALARM) {
      requestPull('alarm');
      return true;
    }
    return false;
  }

  /** The periodic alarms, re-created on every worker start: alarms can be lost with an update or a crash. */
  async function ensureAlarms(): Promise<void> {
    if (!(await deps.alarms.get(SYNC_PERIODIC_ALARM))) {
      await deps.alarms.create(SYNC_PERIODIC_ALARM, { periodInMinutes: 1 });
    }
    if (!(await deps.alarms.get(PULL_PERIODIC_ALARM))) {
      await deps.alarms.create(PULL_PERIODIC_ALARM, { periodInMinutes: PULL_PERIOD_MINUTES });
    }
  }

  return { requestSync, runNow, requestPull, pullNow, requestItemPull, handleAlarm, ensureAlarms };
}

export type SyncScheduler = ReturnType<typeof createSyncScheduler>;
