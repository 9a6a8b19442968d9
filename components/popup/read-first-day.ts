/**
 * The popup's day for its first paint, read with IndexedDB itself (issue 4: open in under 150 ms with 100,000
 * audits). The entry point starts this read before React, Dexie and zod have even loaded, so opening the database
 * and reading today's tallies overlap loading the code instead of following it. It answers only when that is
 * cheap and sure: today's tallies exist in the zone that decides "today", and the stored settings pass a small
 * guard of the fields the day needs. Otherwise it answers `undefined`, and the live read (popup-day-live.ts) does
 * the whole job a moment later: it validates the settings with zod, explains errors, counts audits while the
 * tallies are stale and asks the worker to rebuild them. The live read replaces this answer as soon as it has one.
 *
 * The names below are lib/db.ts's, lib/settings-store.ts's and lib/leads/day-stats.ts's, written out because
 * importing those modules brings Dexie and zod; tests/component/popup.test.tsx checks both readers agree.
 */
import type { DayStats, DayStatsMeta } from '../../lib/leads/day-stats';
import { emptyDayStats, mergeDayStats } from '../../lib/leads/day-summary';
import { dayFromTallies, DAY_READ_MEASURE, planPopupDay, type DaySettings, type PopupData } from './popup-day';
import type { Scope } from './popup-store';

/** lib/db.ts: DB_NAME and its tables. */
export const FIRST_DAY_DB_NAME = 'loupe';
const SETTINGS = 'settings';
const META = 'meta';
const DAY_STATS = 'dayStats';
/** lib/settings-store.ts: the settings row's key. */
const SETTINGS_KEY = 'settings';
/** lib/leads/day-stats.ts: DAY_STATS_META_KEY. */
const DAY_STATS_META_KEY = 'dayStats';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

const optional = (value: unknown, type: 'string' | 'number') => value === undefined || typeof value === type;

/**
 * The fields the day uses, checked by hand: the row was validated by lib/settings-store.ts when it was saved, and
 * the live read validates it again with zod right after the first paint. Anything unexpected is left to that read.
 */
export function daySettingsOf(value: unknown): DaySettings | undefined {
  if (!isObject(value)) return undefined;
  const { auditorId, kpiTarget, dailyQuota, timeZone, taxonomy, siteProfiles } = value;
  if (!optional(auditorId, 'string') || !optional(dailyQuota, 'number') || !optional(timeZone, 'string')) return undefined;
  if (typeof kpiTarget !== 'number' || !(kpiTarget >= 0.5 && kpiTarget <= 1)) return undefined;
  if (!Array.isArray(siteProfiles) || !siteProfiles.every((profile) => isObject(profile) && typeof profile.enabled === 'boolean')) {
    return undefined;
  }
  if (!isObject(taxonomy) || !Array.isArray(taxonomy.tags)) return undefined;
  if (!taxonomy.tags.every((tag) => isObject(tag) && typeof tag.id === 'string' && typeof tag.label === 'string')) return undefined;
  return value as DaySettings;
}

function answer<T>(request: IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result as T);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/** The database as it is; undefined when there is none yet (first run), which is not created here. */
function openExisting(name: string): Promise<IDBDatabase | undefined> {
  return new Promise((resolve) => {
    const request = indexedDB.open(name);
    // No version asked, so an upgrade means the database does not exist: opening would create an empty one at
    // version 1, which Dexie would then have to upgrade from. Abort, and leave creating it to Dexie.
    request.onupgradeneeded = () => request.transaction?.abort();
    request.onsuccess = () => {
      const db = request.result;
      // Never stand in the way of an upgrade (the worker's Dexie, or this popup's, a moment later).
      db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = () => resolve(undefined);
  });
}

async function readDay(db: IDBDatabase, now: number, scope: Scope): Promise<PopupData | undefined> {
  // One read-only transaction over settings and tallies, as the live read does; audits are never read here.
  const tx = db.transaction([SETTINGS, META, DAY_STATS], 'readonly');
  const [row, meta] = await Promise.all([
    answer<{ value: unknown } | undefined>(tx.objectStore(SETTINGS).get(SETTINGS_KEY)),
    answer<DayStatsMeta | undefined>(tx.objectStore(META).get(DAY_STATS_META_KEY)),
  ]);
  // No row: the default settings, which enable no site.
  if (row === undefined) return { kind: 'first-run' };
  const settings = daySettingsOf(row.value);
  if (!settings) return undefined;
  const plan = planPopupDay(settings, now, scope);
  if (!plan) return { kind: 'first-run' };
  // Not built, or built in another zone: the live read counts the audits and asks for a rebuild.
  if (meta?.timeZone !== plan.timeZone) return undefined;
  const store = tx.objectStore(DAY_STATS);
  const { who } = plan;
  const tallies = await Promise.all(
    plan.week.map(async ({ day }) => {
      if (who !== null) return (await answer<DayStats | undefined>(store.get([day, who]))) ?? emptyDayStats(day, who);
      // Every auditor's row of the day: keys [day, auditorId] lie between [day] (an array sorts before the longer
      // arrays it begins) and [day, []] (arrays sort after strings).
      return mergeDayStats(await answer<DayStats[]>(store.getAll(IDBKeyRange.bound([day], [day, []]))), day, '');
    }),
  );
  return dayFromTallies(plan, settings, tallies);
}

/**
 * Today for `scope`, or undefined when only the live read can tell (see above). Never throws: a database that
 * cannot be opened or read is the live read's to explain.
 */
export async function readFirstDay(now: number, scope: Scope = 'me', name = FIRST_DAY_DB_NAME): Promise<PopupData | undefined> {
  let db: IDBDatabase | undefined;
  try {
    db = await openExisting(name);
    if (!db) return undefined;
    const started = performance.now();
    const data = await readDay(db, now, scope);
    performance.measure(DAY_READ_MEASURE, { start: started });
    return data;
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}
