/**
 * The receiver's SQLite store: one row per record id holding its highest rev, and a `changes` log with one
 * monotonically increasing sequence number per accepted write. Each record row carries the sequence number of
 * its own latest change (`seq`), so the pull route (issue 5, `GET /v1/changes`) pages through "records changed
 * after cursor N" by index, and a record changed again moves behind every cursor already handed out instead of
 * being skipped. `createdAt`, `siteId` and `itemId` are copied out of the JSON into indexed columns so the team
 * summary (issue 4) and the per-item pull read no row's JSON to choose it.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { validateRecordData, type Batch, type RecordResult, type RecordType } from '../lib/sync/contract';

export interface StoredRecord {
  type: string;
  id: string;
  rev: number;
  deleted: boolean;
  updatedAt: number;
  data: Record<string, unknown>;
  receivedAt: number;
  batchId: string;
}

/** A record as the pull route reads it: its type is one it asked for, `seq` is its latest change's number. */
export interface ChangedRecord extends Omit<StoredRecord, 'type'> {
  type: RecordType;
  seq: number;
}

export interface ChangedSinceQuery {
  types: readonly RecordType[];
  /** Only records whose latest change is numbered above this; 0 for all. */
  afterSeq: number;
  limit: number;
  /** Only this item's records. */
  item?: { siteId: string; itemId: string };
}

export interface StoredChange {
  seq: number;
  type: string;
  id: string;
  rev: number;
  batchId: string;
  receivedAt: number;
}

interface RecordRow {
  type: string;
  id: string;
  rev: number;
  deleted: number;
  updated_at: number;
  data: string;
  received_at: number;
  batch_id: string;
  created_at: number | null;
  seq: number | null;
  site_id: string | null;
  item_id: string | null;
}

interface ChangeRow {
  seq: number;
  type: string;
  id: string;
  rev: number;
  batch_id: string;
  received_at: number;
}

// AUTOINCREMENT (not the plain rowid) because a pull cursor must never see a sequence number reused, even
// after the newest change is deleted.
const SCHEMA_SQL = `
  CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    rev INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    data TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    batch_id TEXT NOT NULL,
    created_at INTEGER,
    seq INTEGER,
    site_id TEXT,
    item_id TEXT
  ) STRICT;
  CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    id TEXT NOT NULL,
    rev INTEGER NOT NULL,
    batch_id TEXT NOT NULL,
    received_at INTEGER NOT NULL
  ) STRICT;
`;

type ColumnNames = ReadonlySet<string>;

function columnsOfRecords(sqlite: Database.Database): ColumnNames {
  const columns = sqlite.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('records')").all();
  return new Set(columns.map((column) => column.name));
}

/**
 * Brings a database made before `created_at` existed up to date; a no-op on new ones. The column stays nullable
 * because SQLite cannot add a NOT NULL column without a default, and a made-up default would put rows on a
 * wrong day. The partial index holds live rows only, the ones the summary reads.
 */
function migrateCreatedAt(sqlite: Database.Database, columns: ColumnNames): void {
  if (!columns.has('created_at')) {
    sqlite.exec('ALTER TABLE records ADD COLUMN created_at INTEGER');
    // Every stored record passed validateRecordData, so each audit's data has an integer createdAt.
    sqlite.exec(`UPDATE records SET created_at = json_extract(data, '$.createdAt')`);
  }
  sqlite.exec('CREATE INDEX IF NOT EXISTS records_live_created_at ON records (type, created_at) WHERE deleted = 0');
}

/**
 * Adds what the pull route reads (issue 5) to a database made before it; a no-op on new ones. `seq` is filled
 * from the change log. A record with no change at all (a file older than the log, or edited by hand) is given
 * one now, numbered after every existing change: a client that already paged past the old numbers still sees
 * it. Nullable for the same reason as `created_at`; every write sets it.
 */
function migratePullColumns(sqlite: Database.Database, columns: ColumnNames): void {
  if (!columns.has('seq')) {
    sqlite.exec('ALTER TABLE records ADD COLUMN seq INTEGER');
    // `NOT IN (subquery)` and the grouped UPDATE ... FROM each read `changes` once, as there is no index on
    // changes.id. The whole upgrade of 200k records with 400k changes took 3 s here (2 cores), indexes included.
    sqlite.exec(`
      INSERT INTO changes (type, id, rev, batch_id, received_at)
        SELECT type, id, rev, batch_id, received_at FROM records
        WHERE id NOT IN (SELECT id FROM changes) ORDER BY received_at, id;
      UPDATE records SET seq = latest.seq
        FROM (SELECT id, max(seq) AS seq FROM changes GROUP BY id) AS latest
        WHERE latest.id = records.id;
    `);
  }
  if (!columns.has('site_id')) {
    sqlite.exec('ALTER TABLE records ADD COLUMN site_id TEXT');
    sqlite.exec(`UPDATE records SET site_id = json_extract(data, '$.siteId')`);
  }
  if (!columns.has('item_id')) {
    sqlite.exec('ALTER TABLE records ADD COLUMN item_id TEXT');
    sqlite.exec(`UPDATE records SET item_id = json_extract(data, '$.itemId')`);
  }
  // One range per type serves "changed after N, in order" (CHANGED_SINCE_SQL); the item index puts one item's
  // records of one type side by side in the same order.
  sqlite.exec('CREATE INDEX IF NOT EXISTS records_type_seq ON records (type, seq)');
  sqlite.exec('CREATE INDEX IF NOT EXISTS records_item_type_seq ON records (site_id, item_id, type, seq)');
}

/**
 * Creates the tables, or upgrades a file made by an older receiver, in one transaction: DDL is transactional in
 * SQLite, so a crash or a failed backfill leaves the file exactly as it was, never half upgraded.
 */
function prepareSchema(sqlite: Database.Database): void {
  sqlite.transaction(() => {
    sqlite.exec(SCHEMA_SQL);
    const columns = columnsOfRecords(sqlite);
    migrateCreatedAt(sqlite, columns);
    migratePullColumns(sqlite, columns);
  })();
}

/**
 * The pull route's reads, one type at a time. `type IN (...)` with `ORDER BY seq` would make SQLite sort every
 * matching row before applying LIMIT (a full scan and sort from the first page); one range per type stops after
 * `limit` rows and listChangedSince merges the (at most two) ranges. Exported so tests check their query plans.
 */
export const CHANGED_SINCE_SQL = 'SELECT * FROM records WHERE type = ? AND seq > ? ORDER BY seq LIMIT ?';
export const ITEM_CHANGED_SINCE_SQL =
  'SELECT * FROM records WHERE site_id = ? AND item_id = ? AND type = ? AND seq > ? ORDER BY seq LIMIT ?';

export interface ReceiverStore {
  /** Applies every record of a batch in one transaction; results are in request order. */
  applyBatch(batch: Batch, receivedAt: number): RecordResult[];
  getRecord(id: string): StoredRecord | undefined;
  countRecords(): number;
  /** Records of `type` that are not deleted and whose `data.createdAt` is in [start, end), oldest first. */
  listLiveCreatedBetween(type: string, start: number, end: number): StoredRecord[];
  /**
   * The current state of records of `types` whose latest change is numbered above `afterSeq`, in the order of
   * those changes, at most `limit`. Tombstones included.
   */
  listChangedSince(query: ChangedSinceQuery): ChangedRecord[];
  /** The highest change number ever given out (0 before the first): no valid cursor is above it. */
  lastSeq(): number;
  listChanges(): StoredChange[];
  close(): void;
  /** The raw handle, for tests and future routes. */
  readonly sqlite: Database.Database;
}

function createdAtOf(data: Record<string, unknown>): number | null {
  return typeof data.createdAt === 'number' ? data.createdAt : null;
}

function textOf(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function toStoredRecord(row: RecordRow): StoredRecord {
  return {
    type: row.type,
    id: row.id,
    rev: row.rev,
    deleted: row.deleted === 1,
    updatedAt: row.updated_at,
    data: JSON.parse(row.data) as Record<string, unknown>,
    receivedAt: row.received_at,
    batchId: row.batch_id,
  };
}

export function openReceiverStore(path: string): ReceiverStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  // WAL lets a reader (a future pull route, `sqlite3` in a terminal) look while a batch is being written.
  if (path !== ':memory:') sqlite.pragma('journal_mode = WAL');
  try {
    prepareSchema(sqlite);
  } catch (error) {
    sqlite.close();
    throw error;
  }

  const selectRev = sqlite.prepare<[string], { rev: number }>('SELECT rev FROM records WHERE id = ?');
  const upsertRecord = sqlite.prepare<[RecordRow]>(`
    INSERT INTO records (id, type, rev, deleted, updated_at, data, received_at, batch_id, created_at, seq, site_id, item_id)
    VALUES (@id, @type, @rev, @deleted, @updated_at, @data, @received_at, @batch_id, @created_at, @seq, @site_id, @item_id)
    ON CONFLICT (id) DO UPDATE SET
      type = excluded.type, rev = excluded.rev, deleted = excluded.deleted, updated_at = excluded.updated_at,
      data = excluded.data, received_at = excluded.received_at, batch_id = excluded.batch_id,
      created_at = excluded.created_at, seq = excluded.seq, site_id = excluded.site_id, item_id = excluded.item_id
  `);
  const insertChange = sqlite.prepare<[Omit<ChangeRow, 'seq'>]>(
    'INSERT INTO changes (type, id, rev, batch_id, received_at) VALUES (@type, @id, @rev, @batch_id, @received_at)',
  );
  const selectRecord = sqlite.prepare<[string], RecordRow>('SELECT * FROM records WHERE id = ?');
  const countRows = sqlite.prepare<[], { n: number }>('SELECT count(*) AS n FROM records');
  const selectLiveCreatedBetween = sqlite.prepare<[string, number, number], RecordRow>(
    'SELECT * FROM records WHERE type = ? AND deleted = 0 AND created_at >= ? AND created_at < ? ORDER BY created_at, id',
  );
  const selectChanges = sqlite.prepare<[], ChangeRow>('SELECT * FROM changes ORDER BY seq');
  const selectChangedSince = sqlite.prepare<[string, number, number], RecordRow>(CHANGED_SINCE_SQL);
  const selectItemChangedSince = sqlite.prepare<[string, string, string, number, number], RecordRow>(ITEM_CHANGED_SINCE_SQL);
  // sqlite_sequence keeps the highest AUTOINCREMENT value even after that row is deleted.
  const selectLastSeq = sqlite
    .prepare<[], number>("SELECT seq FROM sqlite_sequence WHERE name = 'changes'")
    .pluck();

  function listChangedSince({ types, afterSeq, limit, item }: ChangedSinceQuery): ChangedRecord[] {
    const changed = [...new Set(types)].flatMap((type) => {
      const rows = item
        ? selectItemChangedSince.all(item.siteId, item.itemId, type, afterSeq, limit)
        : selectChangedSince.all(type, afterSeq, limit);
      // `seq > ?` never matches NULL, so every row here has one.
      return rows.map((row): ChangedRecord => ({ ...toStoredRecord(row), type, seq: row.seq ?? 0 }));
    });
    // Each record's seq is its own change's number, so no two rows tie: this order is total.
    return changed.sort((a, b) => a.seq - b.seq).slice(0, limit);
  }

  // Records are applied one after the other, so an id listed twice in one batch is settled like two batches.
  const applyAll = sqlite.transaction((batch: Batch, receivedAt: number): RecordResult[] =>
    batch.records.map((record): RecordResult => {
      const checked = validateRecordData(record);
      if (!checked.ok) return { id: record.id, rev: record.rev, status: 'rejected', reason: checked.reason };
      const stored = selectRev.get(record.id);
      if (stored && stored.rev === record.rev) return { id: record.id, rev: record.rev, status: 'duplicate' };
      if (stored && stored.rev > record.rev) return { id: record.id, rev: record.rev, status: 'stale' };
      // The change is logged first so the record row can carry its number.
      const change = insertChange.run({
        type: record.type,
        id: record.id,
        rev: record.rev,
        batch_id: batch.batchId,
        received_at: receivedAt,
      });
      upsertRecord.run({
        id: record.id,
        type: record.type,
        rev: record.rev,
        deleted: record.deleted ? 1 : 0,
        updated_at: record.updatedAt,
        data: JSON.stringify(record.data),
        received_at: receivedAt,
        batch_id: batch.batchId,
        created_at: createdAtOf(record.data),
        seq: Number(change.lastInsertRowid),
        site_id: textOf(record.data.siteId),
        item_id: textOf(record.data.itemId),
      });
      return { id: record.id, rev: record.rev, status: 'accepted' };
    }),
  );

  return {
    sqlite,
    applyBatch: (batch, receivedAt) => applyAll(batch, receivedAt),
    getRecord(id) {
      const row = selectRecord.get(id);
      return row ? toStoredRecord(row) : undefined;
    },
    countRecords: () => countRows.get()?.n ?? 0,
    listLiveCreatedBetween: (type, start, end) => selectLiveCreatedBetween.all(type, start, end).map(toStoredRecord),
    listChangedSince,
    lastSeq: () => selectLastSeq.get() ?? 0,
    listChanges: () =>
      selectChanges.all().map((row) => ({
        seq: row.seq,
        type: row.type,
        id: row.id,
        rev: row.rev,
        batchId: row.batch_id,
        receivedAt: row.received_at,
      })),
    close: () => sqlite.close(),
  };
}
