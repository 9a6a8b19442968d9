/**
 * Day tallies: per calendar day and auditor, the counts behind the popup's "Today at a glance" and its week
 * (issue 4: the popup opens in under 150 ms with 100,000 audits stored). Reading a day's audits costs what the
 * day holds (3,000+ rows on a busy team day, ~300 ms in Chromium here); reading its tallies costs one row per
 * auditor, whatever the day holds.
 *
 * Tallies are kept exact, not approximate: lib/audits.ts applies every audit change to them in the same
 * transaction that writes the audit (`dayStatsAfter`), removing what the previous revision counted and
 * adding what the new one counts. Days are calendar days in one time zone, recorded in the `meta` row: when the
 * zone that decides "today" changes (a setting, or the computer's own zone), the tallies no longer answer and
 * readers fall back to the audits themselves until the worker rebuilds them (`rebuildDayStats`, one pass over
 * the audits). Until the first rebuild there is no meta row, and writes leave tallies alone.
 */
import Dexie, { type PromiseExtended } from 'dexie';
import type { LoupeDatabase } from '../db';
import type { Audit } from '../schemas';
import { loadSettings } from '../settings-store';
import { dayOf, resolveTimeZone } from '../time';
// Tally arithmetic that summaries need lives in day-summary.ts, which the popup's first paint imports without
// Dexie and zod; this module keeps the tallies in the database.
import { emptyDayStats, emptyTally, mergeDayStats } from './day-summary';

/** Counts of live audits. Tags and `critical` are counted on incorrect audits only, as lib/metrics does. */
export interface Tally {
  correct: number;
  incorrect: number;
  unsure: number;
  critical: number;
  /** Tag id → how many incorrect audits carry it. A Map: tag and labeler ids are page text, never object keys. */
  tags: Map<string, number>;
}

export interface DayStats {
  /** `YYYY-MM-DD` in the meta row's zone. */
  day: string;
  auditorId: string;
  total: Tally;
  /** Labeler id → their audits' tally. */
  labelers: Map<string, Tally>;
  /** Live audits with no labeler read off the page. */
  withoutLabeler: number;
}

export interface DayStatsMeta {
  key: typeof DAY_STATS_META_KEY;
  /** The zone every row's `day` is in. */
  timeZone: string;
  builtAt: number;
  /** How many live audits the last rebuild counted (for the benchmark and for support). */
  audits: number;
}

export const DAY_STATS_META_KEY = 'dayStats';

/** Audits read per request while rebuilding. */
const REBUILD_PAGE = 2_000;

type TallyAudit = Pick<Audit, 'verdict' | 'errorTags' | 'severity' | 'labelerId' | 'deleted'>;

function addToTally(tally: Tally, audit: TallyAudit, sign: 1 | -1): void {
  tally[audit.verdict] += sign;
  if (audit.verdict !== 'incorrect') return;
  if (audit.severity === 'critical') tally.critical += sign;
  for (const tag of audit.errorTags) {
    const count = (tally.tags.get(tag) ?? 0) + sign;
    if (count === 0) tally.tags.delete(tag);
    else tally.tags.set(tag, count);
  }
}

function isEmpty(tally: Tally): boolean {
  return tally.correct === 0 && tally.incorrect === 0 && tally.unsure === 0 && tally.critical === 0 && tally.tags.size === 0;
}

/** Adds (`sign` 1) or removes (-1) one live audit's counts; tombstones count nothing. */
export function addAuditToDayStats(stats: DayStats, audit: TallyAudit, sign: 1 | -1): void {
  if (audit.deleted) return;
  addToTally(stats.total, audit, sign);
  if (audit.labelerId === undefined) {
    stats.withoutLabeler += sign;
    return;
  }
  const own = stats.labelers.get(audit.labelerId) ?? emptyTally();
  addToTally(own, audit, sign);
  if (isEmpty(own)) stats.labelers.delete(audit.labelerId);
  else stats.labelers.set(audit.labelerId, own);
}

function sameTally(a: Tally, b: Tally): boolean {
  return (
    a.correct === b.correct &&
    a.incorrect === b.incorrect &&
    a.unsure === b.unsure &&
    a.critical === b.critical &&
    a.tags.size === b.tags.size &&
    [...b.tags].every(([tag, count]) => a.tags.get(tag) === count)
  );
}

/** Whether a stored row still counts what `expected` counts (a row this context wrote, checked before it builds on it). */
export function sameDayStats(stored: DayStats | undefined, expected: DayStats): boolean {
  if (!stored || stored.day !== expected.day || stored.auditorId !== expected.auditorId) return false;
  if (stored.withoutLabeler !== expected.withoutLabeler || !sameTally(stored.total, expected.total)) return false;
  if (stored.labelers.size !== expected.labelers.size) return false;
  return [...expected.labelers].every(([labelerId, tally]) => {
    const other = stored.labelers.get(labelerId);
    return other !== undefined && sameTally(other, tally);
  });
}

export function loadDayStatsMeta(db: LoupeDatabase): PromiseExtended<DayStatsMeta | undefined> {
  return db.meta.get(DAY_STATS_META_KEY);
}

/**
 * What an audit change needs of the tallies, read ahead in one go: the meta row, and the row it will most likely
 * update (`auditorId`'s row for the day of `at`). The day depends on the meta row's zone, which is not known
 * before it is read, so the row read is a guess with the zone the last read found; `dayStatsAfter` checks
 * it against the meta row read in the same transaction and reads again what the guess missed. Reading both at
 * once saves the verdict path a round trip to the database (issue 6).
 */
export interface DayStatsReads {
  meta: DayStatsMeta | undefined;
  rows: Map<string, DayStats | undefined>;
}

let lastZone: string | undefined;

const rowKey = (day: string, auditorId: string) => `${day}\u0000${auditorId}`;

/**
 * The functions on the verdict's path return Dexie's own promises and never await natively: see recordVerdict
 * (lib/audits.ts) for what a native await inside its transaction costs.
 */
export function readDayStatsAhead(db: LoupeDatabase, auditorId: string, at: number): PromiseExtended<DayStatsReads> {
  const zone = lastZone;
  const day = zone === undefined ? undefined : dayOf(at, zone);
  return Dexie.Promise.all([loadDayStatsMeta(db), day === undefined ? undefined : db.dayStats.get([day, auditorId])]).then(
    ([meta, row]) => {
      lastZone = meta?.timeZone;
      const rows = new Map<string, DayStats | undefined>();
      if (day !== undefined && meta?.timeZone === zone) rows.set(rowKey(day, auditorId), row);
      return { meta, rows };
    },
  );
}

/**
 * The tally rows one audit change leaves, to be written in the transaction that writes the audit (its scope must
 * hold `dayStats` and `meta`), so tallies and audits can never disagree: what `previous` counted comes out, what
 * `next` counts goes in. Reads what `ahead` (readDayStatsAhead, same transaction) does not hold, and writes
 * nothing, so that the caller can issue every write of the change at once. None before the first rebuild.
 */
export function dayStatsAfter(db: LoupeDatabase, previous: Audit | undefined, next: Audit, ahead?: DayStatsReads): PromiseExtended<DayStats[]> {
  if (!ahead) return loadDayStatsMeta(db).then((meta) => tallyChange(db, meta, previous, next));
  return tallyChange(db, ahead.meta, previous, next, ahead.rows);
}

function tallyChange(
  db: LoupeDatabase,
  meta: DayStatsMeta | undefined,
  previous: Audit | undefined,
  next: Audit,
  readAhead?: Map<string, DayStats | undefined>,
): PromiseExtended<DayStats[]> {
  if (!meta) return Dexie.Promise.resolve([]); // Never built: the first rebuild will count this audit.
  const changes: Array<{ audit: Audit; sign: 1 | -1; key: string }> = [];
  const wanted = new Map<string, [string, string]>();
  for (const [audit, sign] of [
    [previous, -1],
    [next, 1],
  ] as const) {
    if (!audit || audit.deleted) continue;
    const day = dayOf(audit.createdAt, meta.timeZone);
    const key = rowKey(day, audit.auditorId);
    changes.push({ audit, sign, key });
    wanted.set(key, [day, audit.auditorId]);
  }
  const apply = (rows: Map<string, DayStats>) => {
    for (const [key, [day, auditorId]] of wanted) {
      if (!rows.has(key)) rows.set(key, readAhead?.get(key) ?? emptyDayStats(day, auditorId));
    }
    for (const { audit, sign, key } of changes) {
      const row = rows.get(key);
      if (row) addAuditToDayStats(row, audit, sign);
    }
    return [...rows.values()];
  };
  // At most two rows (a re-audit that moved days); those not read ahead are read together.
  const missing = [...wanted].filter(([key]) => !readAhead?.has(key));
  if (missing.length === 0) return Dexie.Promise.resolve(apply(new Map()));
  return db.dayStats.bulkGet(missing.map(([, id]) => id)).then((stored) => {
    const rows = new Map<string, DayStats>();
    missing.forEach(([key, [day, auditorId]], index) => rows.set(key, stored[index] ?? emptyDayStats(day, auditorId)));
    return apply(rows);
  });
}

/**
 * Counts every live audit again, in `timeZone`, replacing every tally, in one transaction (so a verdict saved
 * meanwhile waits, then lands in the new tallies). One cursor pass: ~100,000 audits take a second or two.
 */
export async function rebuildDayStats(db: LoupeDatabase, timeZone: string, now: number = Date.now()): Promise<DayStatsMeta> {
  return db.transaction('rw', [db.audits, db.dayStats, db.meta], async () => {
    const rows = new Map<string, DayStats>();
    let audits = 0;
    // dayOf goes through Intl (microseconds each); a day never changes inside a quarter hour in any zone in use
    // (offsets and transitions are whole quarter hours), so it is asked once per quarter hour that has audits.
    const days = new Map<number, string>();
    const dayOfAudit = (at: number) => {
      const quarter = Math.floor(at / 900_000);
      let day = days.get(quarter);
      if (day === undefined) {
        day = dayOf(at, timeZone);
        days.set(quarter, day);
      }
      return day;
    };
    // Pages of getAll() by primary key: a cursor pays a round trip per row (100,000 audits took 9 s that way).
    for (let after: string | undefined; ; ) {
      const page = await (after === undefined ? db.audits.orderBy(':id') : db.audits.where(':id').above(after))
        .limit(REBUILD_PAGE)
        .toArray();
      for (const audit of page) {
        if (audit.deleted) continue;
        audits += 1;
        const day = dayOfAudit(audit.createdAt);
        const key = `${day}\u0000${audit.auditorId}`;
        let row = rows.get(key);
        if (!row) {
          row = emptyDayStats(day, audit.auditorId);
          rows.set(key, row);
        }
        addAuditToDayStats(row, audit, 1);
      }
      if (page.length < REBUILD_PAGE) break;
      after = page.at(-1)?.id;
    }
    await db.dayStats.clear();
    await db.dayStats.bulkPut([...rows.values()]);
    const meta: DayStatsMeta = { key: DAY_STATS_META_KEY, timeZone, builtAt: now, audits };
    await db.meta.put(meta);
    return meta;
  });
}

/** The tallies of `day`: the auditor's row, or every auditor's summed; null when they are not in `timeZone`. */
export async function readDayStats(
  db: LoupeDatabase,
  days: readonly string[],
  timeZone: string,
  auditorId: string | null,
): Promise<DayStats[] | null> {
  const meta = await loadDayStatsMeta(db);
  if (meta?.timeZone !== timeZone) return null;
  return Promise.all(
    days.map(async (day) => {
      if (auditorId !== null) return (await db.dayStats.get([day, auditorId])) ?? emptyDayStats(day, auditorId);
      const rows = await db.dayStats.where('[day+auditorId]').between([day, Dexie.minKey], [day, Dexie.maxKey], true, true).toArray();
      return mergeDayStats(rows, day, '');
    }),
  );
}

/**
 * Rebuilds the tallies when they are missing or in another zone than the one that now decides "today"; a no-op
 * otherwise. The worker calls it when it starts, when settings change, and when a page finds them stale.
 */
export async function ensureDayStats(db: LoupeDatabase, now: number = Date.now()): Promise<DayStatsMeta> {
  const [settings, meta] = await Promise.all([loadSettings(db), loadDayStatsMeta(db)]);
  const timeZone = resolveTimeZone(settings.timeZone);
  if (meta?.timeZone === timeZone) return meta;
  return rebuildDayStats(db, timeZone, now);
}
