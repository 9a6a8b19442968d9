/**
 * Wellbeing (issue 7): how long the analyst has been auditing without a break, and how many items they have
 * looked at today. Both are for the analyst alone: they live in the `wellbeing` table, which no outbox entry ever
 * points at, so they are never synced, exported or shown to anyone else.
 *
 * A stretch of work starts at the first activity (an item shown, a verdict) after a pause of BREAK_GAP_MS or more,
 * and goes on while activity keeps coming. The panel reminds the analyst to rest once a stretch has lasted the
 * configured time; dismissing the reminder starts the count again, so it comes back after another full stretch
 * rather than nagging.
 */
import type { LoupeDatabase } from '../db';

/** A pause at least this long is a break: the next activity starts a new stretch. */
export const BREAK_GAP_MS = 10 * 60_000;
/** Items remembered per day for the "viewed today" count; beyond it the count still grows, duplicates may too. */
const MAX_REMEMBERED_ITEMS = 20_000;

export interface StretchRow {
  key: 'stretch';
  /** When the current stretch of work began. */
  activeSince: number;
  lastActiveAt: number;
}

export interface ViewedRow {
  key: `viewed:${string}`;
  day: string;
  /** Item keys seen today (site + item id), to count each item once. */
  items: string[];
  count: number;
}

export type WellbeingRow = StretchRow | ViewedRow;

/** The stretch after activity at `now`: the same one, or a new one after a break. */
export function continueStretch(previous: StretchRow | undefined, now: number): StretchRow {
  if (!previous || now - previous.lastActiveAt >= BREAK_GAP_MS || now < previous.activeSince) {
    return { key: 'stretch', activeSince: now, lastActiveAt: now };
  }
  return { ...previous, lastActiveAt: Math.max(previous.lastActiveAt, now) };
}

/** When the current stretch began, or null when the last activity is a break ago (or there was none). */
export function activeSince(stretch: StretchRow | undefined, now: number): number | null {
  if (!stretch || now - stretch.lastActiveAt >= BREAK_GAP_MS) return null;
  return stretch.activeSince;
}

const viewedKey = (day: string): ViewedRow['key'] => `viewed:${day}`;

/**
 * Records activity at `now`; with `viewed`, an item shown on `day` (counted once per day). Older days' rows are
 * dropped in the same transaction: only today's count is ever shown.
 */
export async function recordActivity(db: LoupeDatabase, now: number, viewed?: { day: string; itemKey: string }): Promise<void> {
  await db.transaction('rw', db.wellbeing, async () => {
    const stretch = (await db.wellbeing.get('stretch')) as StretchRow | undefined;
    await db.wellbeing.put(continueStretch(stretch, now));
    if (!viewed) return;
    const key = viewedKey(viewed.day);
    const row = (await db.wellbeing.get(key)) as ViewedRow | undefined;
    if (row?.items.includes(viewed.itemKey)) return;
    const items = row ? row.items : [];
    await db.wellbeing.put({
      key,
      day: viewed.day,
      items: items.length < MAX_REMEMBERED_ITEMS ? [...items, viewed.itemKey] : items,
      count: (row?.count ?? 0) + 1,
    });
    const stale = await db.wellbeing.filter((other) => other.key.startsWith('viewed:') && other.key !== key).primaryKeys();
    if (stale.length) await db.wellbeing.bulkDelete(stale);
  });
}

/** The analyst dismissed the break reminder: the stretch counts from now. */
export async function restartStretch(db: LoupeDatabase, now: number): Promise<void> {
  await db.wellbeing.put({ key: 'stretch', activeSince: now, lastActiveAt: now });
}

export interface WellbeingNow {
  /** Items shown on this browser today, each once. */
  viewed: number;
  activeSince: number | null;
}

export async function readWellbeing(db: LoupeDatabase, day: string, now: number): Promise<WellbeingNow> {
  const [stretch, viewed] = await Promise.all([db.wellbeing.get('stretch'), db.wellbeing.get(viewedKey(day))]);
  return {
    viewed: (viewed as ViewedRow | undefined)?.count ?? 0,
    activeSince: activeSince(stretch as StretchRow | undefined, now),
  };
}
