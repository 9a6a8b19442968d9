/**
 * Sync's state as people see it (popup, panel, options): when it last worked, what is wrong now, and whether it
 * is paused for a refused token. Kept in IndexedDB because the worker that writes it can stop at any moment.
 */
import type { LoupeDatabase } from '../db';
import type { ProblemParams } from '../problem-schema';

export type SyncProblemKind = 'offline' | 'server' | 'throttled' | 'auth' | 'no-permission' | 'invalid-response';

export interface SyncProblem {
  kind: SyncProblemKind;
  /**
   * In English words a user understands, as rows stored before issue 7 have only these: pages show the problem
   * in their language from `key` and `params` (lib/problems.ts describeSyncProblem) and fall back to this.
   */
  message: string;
  /** Its message in the `problems` catalog (`sync.http`), and that message's values. */
  key?: string;
  params?: ProblemParams;
  /** When the next attempt is due (epoch ms), if one is scheduled. */
  retryAt?: number;
}

export interface SyncStatus {
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  problem: SyncProblem | null;
  /** True after a 401/403: nothing is sent until the token is changed (or sync is retried by hand). */
  pausedForAuth: boolean;
  /**
   * No request to the endpoint before this time: a failure is the endpoint's, not one batch's, so every batch
   * waits, not just the one that failed.
   */
  notBefore: number | null;
  /** True when `notBefore` is the server's own Retry-After, which even a manual "sync now" respects. */
  notBeforeFromServer: boolean;
  /** Failed requests in a row, for the backoff's exponent; 0 after any success. */
  failures: number;
}

export const INITIAL_SYNC_STATUS: SyncStatus = {
  lastSuccessAt: null,
  lastAttemptAt: null,
  problem: null,
  pausedForAuth: false,
  notBefore: null,
  notBeforeFromServer: false,
  failures: 0,
};

const STATUS_KEY = 'status';
const CLIENT_ID_KEY = 'clientId';
const TOKEN_KEY = 'syncToken';

export async function loadSyncStatus(db: LoupeDatabase): Promise<SyncStatus> {
  const row = await db.syncState.get(STATUS_KEY);
  return { ...INITIAL_SYNC_STATUS, ...(row?.value as Partial<SyncStatus> | undefined) };
}

export async function updateSyncStatus(db: LoupeDatabase, change: Partial<SyncStatus>): Promise<SyncStatus> {
  return db.transaction('rw', db.syncState, async () => {
    const next = { ...(await loadSyncStatus(db)), ...change };
    await db.syncState.put({ key: STATUS_KEY, value: next });
    return next;
  });
}

/** This browser's id in every batch (`clientId`), made once. */
export async function loadClientId(db: LoupeDatabase, newId: () => string = () => crypto.randomUUID()): Promise<string> {
  return db.transaction('rw', db.syncState, async () => {
    const row = await db.syncState.get(CLIENT_ID_KEY);
    if (typeof row?.value === 'string') return row.value;
    const id = newId();
    await db.syncState.put({ key: CLIENT_ID_KEY, value: id });
    return id;
  });
}

/**
 * The endpoint's token. Only extension pages and the worker can open this database; content scripts and pages
 * cannot, and the settings export never includes it.
 */
export async function loadSyncToken(db: LoupeDatabase): Promise<string | null> {
  const row = await db.secrets.get(TOKEN_KEY);
  return typeof row?.value === 'string' && row.value ? row.value : null;
}

/** Saves (or, with null, forgets) the token; a new token lifts a pause caused by the old one being refused. */
export async function saveSyncToken(db: LoupeDatabase, token: string | null): Promise<void> {
  await db.transaction('rw', db.secrets, db.syncState, async () => {
    if (token) await db.secrets.put({ key: TOKEN_KEY, value: token });
    else await db.secrets.delete(TOKEN_KEY);
    const status = await loadSyncStatus(db);
    if (status.pausedForAuth) {
      await db.syncState.put({ key: STATUS_KEY, value: { ...status, pausedForAuth: false, problem: null } });
    }
  });
}
