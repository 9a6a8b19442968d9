/** What the worker pushes to a panel: everything it shows that it does not own (lib/protocol.ts, PanelContext). */
import { auditsForItem } from '../audits';
import { countAuditorDay } from '../audit-queries';
import type { LoupeDatabase } from '../db';
import type { PanelContext, TodayProgress } from '../protocol';
import type { Settings } from '../schemas';
import { loadLayout } from '../settings-store';
import { loadSyncSummary } from '../sync/summary';
import { noteThreadsFor } from './note-handlers';
import { dayRange, resolveTimeZone } from '../time';
import { readWellbeing } from '../wellbeing/activity';
import type { TabSession } from './tab-sessions';

/** The auditor's count for the calendar day containing `now`, in the configured zone. */
export async function todayProgress(db: LoupeDatabase, settings: Settings, now: number): Promise<TodayProgress> {
  const range = dayRange(now, resolveTimeZone(settings.timeZone));
  const audited = settings.auditorId ? await countAuditorDay(db, settings.auditorId, range) : 0;
  return { day: range.day, audited, ...(settings.dailyQuota ? { quota: settings.dailyQuota } : {}) };
}

export async function buildPanelContext(db: LoupeDatabase, tab: TabSession, settings: Settings, now: number): Promise<PanelContext> {
  const profile = settings.siteProfiles.find((p) => p.id === tab.siteId);
  const item = tab.reading?.status === 'found' ? tab.reading.item : undefined;
  const [history, today, layout, sync, notes, wellbeing] = await Promise.all([
    item ? auditsForItem(db, item.siteId, item.itemId) : Promise.resolve([]),
    todayProgress(db, settings, now),
    loadLayout(db, tab.siteId),
    loadSyncSummary(db, settings),
    item ? noteThreadsFor(db, item.siteId, item.itemId) : Promise.resolve([]),
    readWellbeing(db, dayRange(now, resolveTimeZone(settings.timeZone)).day, now),
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
    today,
    wellbeing: { ...wellbeing, breakAfterMinutes: settings.breakReminderMinutes },
    history: history.slice(0, 50),
    layout,
    sync,
    notes,
    anchors: tab.anchors ?? null,
  };
}
