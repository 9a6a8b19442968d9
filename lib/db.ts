/**
 * Loupe's one database, in the extension's origin (DESIGN.md: a content script's IndexedDB would belong to the
 * labeling site). The worker writes audits; options, popup and dashboard read it directly and write settings
 * through lib/settings-store.ts. Indexes are chosen for the queries that must not scan:
 * - audits by day: `createdAt`, `[verdict+createdAt]`, `[auditorId+createdAt]`, `[labelerId+createdAt]` (a "day"
 *   is a [start, end) range in the configured zone, so one index serves every time zone and DST day);
 * - audits by item: `[siteId+itemId+auditorId]` (the re-audit key), `[siteId+itemId]`;
 * - tombstones: the sparse `deletedAt` index lists deletes without reading live rows;
 * - outbox by status and next attempt: `[status+nextAttemptAt]`.
 */
import Dexie, { type EntityTable, type Transaction } from 'dexie';
import type { Audit, PanelLayout } from './schemas';
import type { DayStats, DayStatsMeta } from './leads/day-stats';
import type { Note } from './schemas/note';
import type { WellbeingRow } from './wellbeing/activity';

export const DB_NAME = 'loupe';

/**
 * pending: waiting for its `nextAttemptAt`; inflight: claimed by a sync run until `nextAttemptAt` (the lease's
 * end), after which another run may claim it again; rejected: parked with the server's reason until someone
 * retries it.
 */
export type OutboxStatus = 'pending' | 'inflight' | 'rejected';

/** One record that still has to reach the sync endpoint; coalesced per record (the latest rev wins). */
export interface OutboxEntry {
  /** `${type}:${recordId}` */
  key: string;
  type: 'audit' | 'note';
  recordId: string;
  rev: number;
  status: OutboxStatus;
  nextAttemptAt: number;
  attempts: number;
  /** The server's reason for a rejected record. */
  reason?: string;
  /** When it was rejected. */
  rejectedAt?: number;
  enqueuedAt: number;
}

/** A snapshot of an audit as it was at one rev: the history a re-audit or an undo must not erase. */
export type AuditRevision = Audit;

export interface KeyValue<T = unknown> {
  key: string;
  value: T;
}

export interface SiteLayout {
  siteId: string;
  layout: PanelLayout;
}

export class LoupeDatabase extends Dexie {
  audits!: EntityTable<Audit, 'id'>;
  auditRevisions!: Dexie.Table<AuditRevision, [string, number]>;
  outbox!: EntityTable<OutboxEntry, 'key'>;
  settings!: EntityTable<KeyValue, 'key'>;
  layouts!: EntityTable<SiteLayout, 'siteId'>;
  syncState!: EntityTable<KeyValue, 'key'>;
  secrets!: EntityTable<KeyValue, 'key'>;
  notes!: EntityTable<Note, 'id'>;
  dayStats!: Dexie.Table<DayStats, [string, string]>;
  /** Rows describing other tables; today only the day tallies' zone. */
  meta!: EntityTable<DayStatsMeta, 'key'>;
  /** The analyst's own stretch of work and items viewed today (lib/wellbeing/activity.ts); never synced. */
  wellbeing!: Dexie.Table<WellbeingRow, string>;

  constructor(name = DB_NAME) {
    super(name);
    defineSchema(this);
  }
}

/** The first layout of the database: audits, outbox and settings, no revision history. */
export const SCHEMA_V1 = {
  audits: 'id, [siteId+itemId+auditorId], createdAt, [verdict+createdAt], [labelerId+createdAt], updatedAt',
  outbox: 'key, [status+nextAttemptAt]',
  settings: 'key',
};

/**
 * v2 keeps every revision of an audit (a re-audit or an undo must leave the earlier verdict queryable), indexes
 * audits by auditor and tombstone for the panel's and popup's counts, and keeps the panel layout per site.
 * Existing audits get their current state written as their first known revision.
 */
export const SCHEMA_V2 = {
  ...SCHEMA_V1,
  audits:
    'id, [siteId+itemId+auditorId], [siteId+itemId], createdAt, [verdict+createdAt], [auditorId+createdAt], [labelerId+createdAt], updatedAt, deletedAt',
  auditRevisions: '[id+rev], id',
  layouts: 'siteId',
};

/**
 * v3 adds what sync needs outside the outbox: its status (last success, current problem, paused for a refused
 * token) and the endpoint's token, kept here because no content script or page can read the extension's
 * IndexedDB (storage.local is readable by content scripts).
 */
export const SCHEMA_V3 = {
  ...SCHEMA_V2,
  syncState: 'key',
  secrets: 'key',
};

/**
 * v4 indexes audits by auditor and verdict over time, so the popup's week of one auditor's accuracy is counted
 * from the index like the team's, instead of reading a week of that auditor's rows.
 */
export const SCHEMA_V4 = {
  ...SCHEMA_V3,
  audits: `${SCHEMA_V3.audits}, [auditorId+verdict+createdAt]`,
};

/**
 * v5 stores mentors' inline notes (issue 5), keyed by item: `[siteId+itemId]` lists an item's notes and replies
 * for the panel and the page; `parentId` finds a note's thread; `updatedAt` serves "what changed since".
 * It also keeps day tallies per auditor (lib/leads/day-stats.ts), so the popup reads a row per auditor instead of
 * a day of audits, and a `meta` table for what describes other tables (the tallies' time zone). The tallies are
 * built by the worker after the upgrade, not in it: the zone that decides "today" lives in the settings.
 */
export const SCHEMA_V5 = {
  ...SCHEMA_V4,
  notes: 'id, [siteId+itemId], parentId, updatedAt, deletedAt',
  dayStats: '[day+auditorId]',
  meta: 'key',
};

/**
 * v6 keeps what is the analyst's alone (issue 7's wellbeing): how long they have worked without a break and how
 * many items they have seen today. No outbox entry points at it: it is never synced.
 */
export const SCHEMA_V6 = {
  ...SCHEMA_V5,
  wellbeing: 'key',
};

function defineSchema(db: Dexie): void {
  db.version(1).stores(SCHEMA_V1);
  db.version(2)
    .stores(SCHEMA_V2)
    .upgrade(async (tx: Transaction) => {
      const audits = await tx.table<Audit>('audits').toArray();
      await tx.table<AuditRevision, [string, number]>('auditRevisions').bulkPut(audits);
    });
  db.version(3).stores(SCHEMA_V3);
  db.version(4).stores(SCHEMA_V4);
  db.version(5).stores(SCHEMA_V5);
  db.version(6).stores(SCHEMA_V6);
}

let shared: LoupeDatabase | undefined;

/** The one instance a context uses (opened lazily, so importing this module costs nothing). */
export function getDatabase(): LoupeDatabase {
  shared ??= new LoupeDatabase();
  return shared;
}
