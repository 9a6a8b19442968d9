/**
 * Loupe's one database, in the extension's origin (DESIGN.md: a content script's IndexedDB would belong to the
 * labeling site). The worker writes audits; options, popup and dashboard read it directly and write settings
 * through lib/settings-store.ts. Indexes are chosen for the queries that must not scan:
 * - audits by day: `createdAt`, `[verdict+createdAt]`, `[auditorId+createdAt]`, `[labelerId+createdAt]` (a "day"
 *   is a [start, end) range in the configured zone, so one index serves every time zone and DST day);
 * - audits by item: `[siteId+itemId+auditorId]` (the re-audit key), `[siteId+itemId]`;
 * - tombstones: the sparse `deletedAt` index lists deletes without reading live rows;
 * - outbox in the order changes were written: its auto-increment primary key `seq` (a queue read and trimmed as
 *   key ranges), and `key` to find one record's entry.
 */
import Dexie, { type EntityTable, type Transaction } from 'dexie';
import type { Audit, PanelLayout } from './schemas';
import type { DayStats, DayStatsMeta } from './leads/day-stats';
import type { ProblemParams } from './problem-schema';
import type { Note } from './schemas/note';
import type { SyncRecord } from './sync/contract';
import type { WellbeingRow } from './wellbeing/activity';

export const DB_NAME = 'loupe';

/** pending: waiting in the queue (sent, or in flight under the queue's lease); rejected: parked with the server's reason. */
export type OutboxStatus = 'pending' | 'rejected';

/**
 * One record's change that still has to reach the sync endpoint, with the record as the change left it. Every
 * write of a record appends an entry and drops the record's earlier one, so a record waits once, and what is sent
 * is its latest rev. lib/sync/outbox.ts holds the rules; only it and the writers touch this table.
 */
export interface OutboxEntry {
  /**
   * The entry's place in the queue, given by IndexedDB's key generator (which never goes back, even after
   * deletes). A parked (rejected) entry is stored at minus the seq it was queued with, below every queued one.
   */
  seq: number;
  /** `${type}:${recordId}` */
  key: string;
  type: 'audit' | 'note';
  recordId: string;
  /** The record's rev when the entry was written. */
  rev: number;
  /**
   * The record as this change wrote it, as it travels: a claim reads a batch with one range read. Entries queued
   * by schema v6 have none (the upgrade does not read every record); they are sent as their record is then.
   */
  record?: SyncRecord;
  /** Mirrors the sign of `seq`, for whoever reads the table raw. */
  status: OutboxStatus;
  /** The server's reason for a rejected record (in English when Loupe words it, as for a record too large). */
  reason?: string;
  /** When Loupe worded `reason`: its `problems` key and params (lib/problems.ts), for pages to say it in their language. */
  reasonKey?: string;
  reasonParams?: ProblemParams;
  /** When it was rejected. */
  rejectedAt?: number;
  enqueuedAt: number;
}

/** An outbox entry as schema v6 and earlier kept it: one row per record, keyed by `key`, with its own state. */
export interface OutboxEntryV6 {
  key: string;
  type: 'audit' | 'note';
  recordId: string;
  rev: number;
  status: 'pending' | 'inflight' | 'rejected';
  nextAttemptAt: number;
  attempts: number;
  reason?: string;
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
  outbox!: EntityTable<OutboxEntry, 'seq'>;
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

/**
 * v7 moves the outbox aside, as it was: Dexie cannot change a table's primary key in place, so the table is
 * copied to `outboxV6` and dropped, to be made again by v8 with its new key.
 */
export const SCHEMA_V7 = {
  ...SCHEMA_V6,
  outbox: null,
  outboxV6: 'key',
};

/**
 * v8 makes the outbox an append-only queue (issue 6: a drain rewrote each batch's 500 rows to "inflight" and then
 * deleted them, and the status index slowed down under the dead rows). Entries are keyed by an auto-increment
 * `seq` in the order they were written: a sync run reads a batch as one key range and deletes it as one key
 * range, and the batch's lease is one row (lib/sync/outbox.ts), not a state on each entry. Every v6 entry is kept:
 * pending and in-flight ones are queued in the order v6 would have sent them (an in-flight lease belonged to a
 * worker of the previous version, which is gone); rejected ones stay parked with their reason.
 */
export const SCHEMA_V8 = {
  ...SCHEMA_V6,
  outbox: '++seq, key',
  outboxV6: null,
};

/** The v8 upgrade: queues the v6 entries as described at SCHEMA_V8. */
async function queueV6Outbox(tx: Transaction): Promise<void> {
  const old = await tx.table<OutboxEntryV6, string>('outboxV6').toArray();
  old.sort((a, b) => a.enqueuedAt - b.enqueuedAt || (a.key < b.key ? -1 : 1));
  const queue = tx.table<OutboxEntry, number, Omit<OutboxEntry, 'seq'>>('outbox');
  // Every entry takes a seq from the key generator first, parked ones too: a parked entry's key is minus a seq the
  // generator gave, so it can never meet another (lib/sync/outbox.ts parks the same way).
  const seqs = await queue.bulkAdd(
    old.map(({ key, type, recordId, rev, enqueuedAt }) => ({ key, type, recordId, rev, enqueuedAt, status: 'pending' as const })),
    { allKeys: true },
  );
  const parked: OutboxEntry[] = [];
  old.forEach((entry, index) => {
    if (entry.status !== 'rejected') return;
    const { key, type, recordId, rev, enqueuedAt, reason, rejectedAt } = entry;
    parked.push({
      seq: -seqs[index]!,
      key,
      type,
      recordId,
      rev,
      enqueuedAt,
      status: 'rejected',
      ...(reason !== undefined && { reason }),
      ...(rejectedAt !== undefined && { rejectedAt }),
    });
  });
  await queue.bulkDelete(parked.map((entry) => -entry.seq));
  await queue.bulkPut(parked);
}

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
  db.version(7)
    .stores(SCHEMA_V7)
    .upgrade(async (tx: Transaction) => {
      await tx.table<OutboxEntryV6, string>('outboxV6').bulkAdd(await tx.table<OutboxEntryV6, string>('outbox').toArray());
    });
  db.version(8).stores(SCHEMA_V8).upgrade(queueV6Outbox);
}

let shared: LoupeDatabase | undefined;

/** The one instance a context uses (opened lazily, so importing this module costs nothing). */
export function getDatabase(): LoupeDatabase {
  shared ??= new LoupeDatabase();
  return shared;
}
