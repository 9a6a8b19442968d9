import type { LoupeDatabase } from '../db';
import type { SyncSummary } from '../protocol';
import type { Settings } from '../schemas';
import { countOutbox } from './outbox';
import { loadSyncStatus } from './status';

/**
 * Sync at a glance for the panel and the popup: counts from the outbox's index, status from its row. `live`: read
 * inside a liveQuery (countOutbox says why that matters).
 */
export async function loadSyncSummary(db: LoupeDatabase, settings: Settings, options: { live?: boolean } = {}): Promise<SyncSummary> {
  const [counts, status] = await Promise.all([countOutbox(db, options), loadSyncStatus(db)]);
  return {
    configured: settings.sync.enabled && Boolean(settings.sync.endpoint),
    pending: counts.pending,
    pendingCapped: counts.pendingCapped,
    rejected: counts.rejected,
    lastSuccessAt: status.lastSuccessAt,
    pausedForAuth: status.pausedForAuth,
    problem: status.problem,
  };
}
