/** What the worker pushes to a panel: everything it shows that it does not own (lib/protocol.ts, PanelContext). */
import { auditsForItem } from '../audits';
import { countAuditorDay } from '../audit-queries';
import type { LoupeDatabase } from '../db';
import type { PanelContext, TodayProgress } from '../protocol';
import type { Settings } from '../schemas';
import { loadLayout } from '../settings-store';
import { loadSyncSummary } from '../sync/summary';
import { noteThreadsFor } from './note-handlers';
import { dayRange, resolveTimeZone, type DayRange } from '../time';
import { readWellbeing } from '../wellbeing/activity';
import type { TabSession } from './tab-sessions';

interface ConfiguredDay {
  range: DayRange;
  timeZone: string;
}

/** The calendar day containing `now` in the zone that decides "today", and that zone. */
function configuredDay(settings: Settings, now: number): ConfiguredDay {
  const timeZone = resolveTimeZone(settings.timeZone);
  return { range: dayRange(now, timeZone), timeZone };
}

async function progressOn(db: LoupeDatabase, settings: Settings, { range, timeZone }: ConfiguredDay): Promise<TodayProgress> {
  const audited = settings.auditorId ? await countAuditorDay(db, settings.auditorId, range, timeZone) : 0;
  return { day: range.day, audited, ...(settings.dailyQuota ? { quota: settings.dailyQuota } : {}) };
}

/** The auditor's count for the calendar day containing `now`, in the configured zone. */
export function todayProgress(db: LoupeDatabase, settings: Settings, now: number): Promise<TodayProgress> {
  return progressOn(db, settings, configuredDay(settings, now));
}

export async function buildPanelContext(db: LoupeDatabase, tab: TabSession, settings: Settings, now: number): Promise<PanelContext> {
  const profile = settings.siteProfiles.find((p) => p.id === tab.siteId);
  const item = tab.reading?.status === 'found' ? tab.reading.item : undefined;
  const day = configuredDay(settings, now);
  // The panel's own reads share one read-only transaction (one IndexedDB transaction instead of five after every
  // verdict and item change). Sync's and the notes' reads keep their own: their modules choose their tables.
  const own = db.transaction('r', [db.audits, db.meta, db.dayStats, db.layouts, db.wellbeing], () =>
    Promise.all([
      item ? auditsForItem(db, item.siteId, item.itemId) : Promise.resolve([]),
      progressOn(db, settings, day),
      loadLayout(db, tab.siteId),
      readWellbeing(db, day.range.day, now),
    ]),
  );
  const [[history, progress, layout, wellbeing], sync, notes] = await Promise.all([
    own,
    loadSyncSummary(db, settings),
    item ? noteThreadsFor(db, item.siteId, item.itemId) : Promise.resolve([]),
  ]);
  return {
    siteId: tab.siteId,
    siteName: profile?.name ?? tab.siteId,
    reading: tab.reading,
    shownAt: tab.shownAt,
    taxonomy: settings.taxonomy,
    hotkeys: settings.hotkeys,
    auditorId: settings.auditorId ?? null,
    undoWindowMs: settings.undoWindowMs,
    today: progress,
    wellbeing: { ...wellbeing, breakAfterMinutes: settings.breakReminderMinutes },
    locale: settings.locale ?? 'auto',
    history: history.slice(0, 50),
    layout,
    sync,
    notes,
    anchors: tab.anchors ?? null,
  };
}
