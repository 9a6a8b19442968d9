/**
 * The receiver's SQLite store: one row per record id holding its highest rev, and a `changes` log with one
 * monotonically increasing sequence number per accepted write (the cursor of the future pull route,
 * DESIGN.md "Sync contract v1"). Audits' `createdAt` is copied into an indexed column so the team summary
 * (issue 4) selects one day without reading every row's JSON.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { validateRecordData, type Batch, type RecordResult } from '../lib/sync/contract';

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
    created_at INTEGER
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

/**
 * Brings a database made before `created_at` existed up to date; a no-op on new ones. The column stays nullable
 * because SQLite cannot add a NOT NULL column without a default, and a made-up default would put rows on a
 * wrong day. The partial index holds live rows only, the ones the summary reads.
 */
function migrateCreatedAt(sqlite: Database.Database): void {
  const columns = sqlite.prepare<[], { name: string }>('SELECT name FROM pragma_table_info(\'records\')').all();
  // DDL is transactional in SQLite: a crash leaves either the old table or the column filled in, never half.
  sqlite.transaction(() => {
    if (!columns.some((column) => column.name === 'created_at')) {
      sqlite.exec('ALTER TABLE records ADD COLUMN created_at INTEGER');
      // Every stored record passed validateRecordData, so each audit's data has an integer createdAt.
      sqlite.exec(`UPDATE records SET created_at = json_extract(data, '$.createdAt')`);
    }
    sqlite.exec('CREATE INDEX IF NOT EXISTS records_live_created_at ON records (type, created_at) WHERE deleted = 0');
  })();
}

export interface ReceiverStore {
  /** Applies every record of a batch in one transaction; results are in request order. */
  applyBatch(batch: Batch, receivedAt: number): RecordResult[];
  getRecord(id: string): StoredRecord | undefined;
  countRecords(): number;
  /** Records of `type` that are not deleted and whose `data.createdAt` is in [start, end), oldest first. */
  listLiveCreatedBetween(type: string, start: number, end: number): StoredRecord[];
  listChanges(): StoredChange[];
  close(): void;
  /** The raw handle, for tests and future routes. */
  readonly sqlite: Database.Database;
}

function createdAtOf(data: Record<string, unknown>): number | null {
  return typeof data.createdAt === 'number' ? data.createdAt : null;
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
  sqlite.exec(SCHEMA_SQL);
  migrateCreatedAt(sqlite);

  const selectRev = sqlite.prepare<[string], { rev: number }>('SELECT rev FROM records WHERE id = ?');
  const upsertRecord = sqlite.prepare<[RecordRow]>(`
    INSERT INTO records (id, type, rev, deleted, updated_at, data, received_at, batch_id, created_at)
    VALUES (@id, @type, @rev, @deleted, @updated_at, @data, @received_at, @batch_id, @created_at)
    ON CONFLICT (id) DO UPDATE SET
      type = excluded.type, rev = excluded.rev, deleted = excluded.deleted, updated_at = excluded.updated_at,
      data = excluded.data, received_at = excluded.received_at, batch_id = excluded.batch_id,
      created_at = excluded.created_at
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

  // Records are applied one after the other, so an id listed twice in one batch is settled like two batches.
  const applyAll = sqlite.transaction((batch: Batch, receivedAt: number): RecordResult[] =>
    batch.records.map((record): RecordResult => {
      const checked = validateRecordData(record);
      if (!checked.ok) return { id: record.id, rev: record.rev, status: 'rejected', reason: checked.reason };
      const stored = selectRev.get(record.id);
      if (stored && stored.rev === record.rev) return { id: record.id, rev: record.rev, status: 'duplicate' };
      if (stored && stored.rev > record.rev) return { id: record.id, rev: record.rev, status: 'stale' };
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
      });
      insertChange.run({
        type: record.type,
        id: record.id,
        rev: record.rev,
        batch_id: batch.batchId,
        received_at: receivedAt,
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
