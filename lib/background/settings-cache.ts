/**
 * The worker's parsed copy of the settings. Every message needs them (the sender's site, the auditor, the
 * taxonomy); reading the row and parsing it with zod on each one took ~14% of the worker's time on the verdict
 * path (issue 6). The copy is only a cache of the stored row: it dies with the worker and is read again after.
 *
 * A stale copy must never outlive a write, from whichever context made it:
 * - Dexie fires `storagemutated` when a transaction that wrote commits: in this context synchronously, before the
 *   writer's `await` resumes; from the options page (or any other extension page) through a BroadcastChannel,
 *   which arrives moments later. Any write to the settings table drops the copy.
 * - The options page tells the worker `page/settings-changed` after saving; the worker drops the copy there too
 *   (`invalidate`), so work that message starts (content-script registration, reload of every page's config)
 *   never races the broadcast and reads the settings it announces.
 * A read that was under way when the copy was dropped is not kept: its promise is dropped with it.
 */
import Dexie, { type ObservabilitySet } from 'dexie';
import type { LoupeDatabase } from '../db';
import type { Settings } from '../schemas';
import { loadSettings } from '../settings-store';

export interface SettingsCache {
  /** The stored settings, parsed; read from the database only when no valid copy is held. */
  load(): Promise<Settings>;
  /** Drops the copy: the next `load` reads the database. */
  invalidate(): void;
  /** Stops following writes (tests create many workers over one process). */
  close(): void;
}

/** Whether a set of changed parts (Dexie's `idb://<db>/<table>/<index>` keys) touches `table` of `dbName`. */
export function touchesTable(parts: ObservabilitySet, dbName: string, table: string): boolean {
  const prefix = `idb://${dbName}/${table}/`;
  // `all` is what Dexie broadcasts when it cannot say what changed (a page restored from the back-forward cache).
  return Object.keys(parts).some((part) => part === 'all' || part.startsWith(prefix));
}

/** Objects shared between handlers are frozen, so no handler can change what the next one reads. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function createSettingsCache(db: LoupeDatabase, load: (db: LoupeDatabase) => Promise<Settings> = loadSettings): SettingsCache {
  let current: Promise<Settings> | undefined;

  const onMutated = (parts: ObservabilitySet) => {
    if (touchesTable(parts, db.name, 'settings')) current = undefined;
  };
  Dexie.on('storagemutated', onMutated);

  return {
    load() {
      if (current) return current;
      // A copy, so freezing it never freezes a shared constant such as DEFAULT_SETTINGS.
      const loading = load(db).then((settings) => deepFreeze(structuredClone(settings)));
      current = loading;
      // A failed read (a stored row that no longer parses) is not remembered: the next message reads again.
      loading.catch(() => {
        if (current === loading) current = undefined;
      });
      return loading;
    },
    invalidate() {
      current = undefined;
    },
    close() {
      Dexie.on('storagemutated').unsubscribe(onMutated);
    },
  };
}
