// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Audit } from '../../lib/schemas/audit';
import type { Note } from '../../lib/schemas/note';
import { batchResponseSchema, changesResponseSchema, type ChangesResponse, type SyncRecord } from '../../lib/sync/contract';
import { startReceiver, type RunningReceiver } from '../../server/receiver';
import { CHANGED_SINCE_SQL, ITEM_CHANGED_SINCE_SQL } from '../../server/store';
import {
  buildAcknowledgement,
  buildAudit,
  buildBatch,
  buildNote,
  buildReply,
  getChanges,
  noteToSyncRecord,
  postBatch,
  T0,
  toSyncRecord,
} from './fixtures';

const TOKEN = 'team-token-0f9d2c';
const SITE = 'acme-labeler';
const ITEM = 'item-1042';

let receiver: RunningReceiver | undefined;
let tempDir: string | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  tempDir = undefined;
});

async function startInMemory(token?: string): Promise<RunningReceiver> {
  receiver = await startReceiver({ port: 0, db: ':memory:', ...(token === undefined ? {} : { token }) });
  return receiver;
}

/** Posts one batch and insists every record was accepted (a rejected fixture would make the test meaningless). */
async function store(origin: string, records: SyncRecord[], token?: string): Promise<void> {
  const response = await postBatch(origin, buildBatch(records), token === undefined ? {} : { token });
  expect(response.status).toBe(200);
  const { results } = batchResponseSchema.parse(await response.json());
  expect(results.map((result) => result.status)).toEqual(records.map(() => 'accepted'));
}

async function pull(origin: string, query: Record<string, string>, token?: string): Promise<ChangesResponse> {
  const response = await getChanges(origin, query, token);
  expect(response.status).toBe(200);
  return changesResponseSchema.parse(await response.json());
}

/** Pages from the beginning until `hasMore` is false, as a client catching up does. */
async function pullEveryPage(origin: string, query: Record<string, string>): Promise<ChangesResponse[]> {
  const pages: ChangesResponse[] = [];
  let since = '';
  for (let guard = 0; guard < 50; guard += 1) {
    const page = await pull(origin, { ...query, since });
    pages.push(page);
    if (!page.hasMore) return pages;
    since = page.cursor;
  }
  throw new Error('the receiver never said hasMore: false');
}

const idsOf = (page: ChangesResponse) => page.records.map((record) => record.id);
const notesAt = (count: number, overrides: Partial<Note> = {}) =>
  Array.from({ length: count }, (_, index) => buildNote({ body: `note ${index}`, ...overrides }));

describe('GET /v1/changes', () => {
  it('answers the notes posted in batches, envelope and data as sent, in the order they arrived', async () => {
    const { origin } = await startInMemory();
    const root = buildNote();
    const reply = buildReply(root);
    const acknowledgement = buildAcknowledgement(root);
    const onAnElement = buildNote({
      itemId: 'item-2001',
      itemUrl: 'https://label.example.com/queue/hate/items/2001',
      target: {
        kind: 'element',
        css: { type: 'CssSelector', value: '.media-panel > img:nth-of-type(2)' },
        description: 'image in .media-panel',
      },
    });
    await store(origin, [root, reply].map(noteToSyncRecord));
    await store(origin, [acknowledgement, onAnElement].map(noteToSyncRecord));

    const page = await pull(origin, { types: 'note' });

    expect(page.records).toEqual([root, reply, acknowledgement, onAnElement].map(noteToSyncRecord));
    expect(page.hasMore).toBe(false);
    expect(page.schema).toBe('loupe.changes/1');

    // Sending the cursor back: nothing new, and the same cursor to poll with later.
    const next = await pull(origin, { types: 'note', since: page.cursor });
    expect(next).toEqual({ schema: 'loupe.changes/1', records: [], cursor: page.cursor, hasMore: false });

    const later = buildReply(root, { body: 'Thanks, I see it now.' });
    await store(origin, [noteToSyncRecord(later)]);
    expect(idsOf(await pull(origin, { types: 'note', since: page.cursor }))).toEqual([later.id]);
  });

  it('answers an empty receiver with no records and a cursor that starts from the beginning', async () => {
    const { origin } = await startInMemory();
    const empty = await pull(origin, { types: 'note' });
    expect(empty).toMatchObject({ records: [], hasMore: false });

    const note = buildNote();
    await store(origin, [noteToSyncRecord(note)]);
    expect(idsOf(await pull(origin, { types: 'note', since: empty.cursor }))).toEqual([note.id]);
  });

  it.each<[number, number, number[], boolean[]]>([
    [7, 3, [3, 3, 1], [true, true, false]],
    // Exactly a page's worth left: the last full page already says there is no more.
    [6, 3, [3, 3], [true, false]],
    [1, 1, [1], [false]],
  ])('pages %i unchanged notes by %i: every note exactly once', async (count, limit, sizes, hasMore) => {
    const { origin } = await startInMemory();
    const notes = notesAt(count);
    // Several batches, so pages do not line up with batches.
    for (let start = 0; start < count; start += 2) await store(origin, notes.slice(start, start + 2).map(noteToSyncRecord));

    const pages = await pullEveryPage(origin, { types: 'note', limit: String(limit) });

    expect(pages.map((page) => page.records.length)).toEqual(sizes);
    expect(pages.map((page) => page.hasMore)).toEqual(hasMore);
    expect(pages.flatMap(idsOf)).toEqual(notes.map((note) => note.id));
  });

  it('never skips a note changed while a client pages: it comes again later, at its new rev', async () => {
    const { origin } = await startInMemory();
    const [n1, n2, n3, n4, n5] = notesAt(5) as [Note, Note, Note, Note, Note];
    await store(origin, [n1, n2, n3, n4, n5].map(noteToSyncRecord));

    const first = await pull(origin, { types: 'note', limit: '2' });
    expect(idsOf(first)).toEqual([n1.id, n2.id]);

    // Between two pages: one note the client already has, and one it has not reached yet, are edited.
    const n1Edited = { ...n1, rev: 2, updatedAt: T0 + 5_000, body: 'edited after it was pulled' };
    const n3Edited = { ...n3, rev: 2, updatedAt: T0 + 5_000, body: 'edited before it was pulled' };
    await store(origin, [n1Edited, n3Edited].map(noteToSyncRecord));

    const second = await pull(origin, { types: 'note', limit: '2', since: first.cursor });
    expect(idsOf(second)).toEqual([n4.id, n5.id]);
    expect(second.hasMore).toBe(true);
    const third = await pull(origin, { types: 'note', limit: '2', since: second.cursor });
    expect(third.records).toEqual([n1Edited, n3Edited].map(noteToSyncRecord));
    expect(third.hasMore).toBe(false);

    // A client merging by "highest rev wins" ends with exactly the receiver's state.
    const merged = new Map<string, SyncRecord>();
    for (const record of [first, second, third].flatMap((page) => page.records)) {
      const held = merged.get(record.id);
      if (!held || held.rev < record.rev) merged.set(record.id, record);
    }
    expect([...merged.values()].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [n1Edited, n2, n3Edited, n4, n5].map(noteToSyncRecord).sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it('filters to one item by siteId and itemId', async () => {
    const { origin } = await startInMemory();
    const root = buildNote({ siteId: SITE, itemId: ITEM });
    const otherItem = buildNote({ siteId: SITE, itemId: 'item-2001' });
    // Same item id on another tool: a different item.
    const otherSite = buildNote({ siteId: 'other-tool', itemId: ITEM });
    const audit = buildAudit({ siteId: SITE, itemId: ITEM });
    const reply = buildReply(root);
    await store(origin, [root, otherItem, otherSite].map(noteToSyncRecord));
    await store(origin, [toSyncRecord(audit), noteToSyncRecord(reply)]);

    const item = { siteId: SITE, itemId: ITEM };
    expect(idsOf(await pull(origin, { types: 'note', ...item }))).toEqual([root.id, reply.id]);
    expect(idsOf(await pull(origin, { types: 'note,audit', ...item }))).toEqual([root.id, audit.id, reply.id]);
    const pages = await pullEveryPage(origin, { types: 'note', limit: '1', ...item });
    expect(pages.map(idsOf)).toEqual([[root.id], [reply.id]]);
  });

  it('answers only the types asked for, and several types in the order of their changes', async () => {
    const { origin } = await startInMemory();
    const [a1, a2, a3] = [buildAudit(), buildAudit(), buildAudit()] as [Audit, Audit, Audit];
    const [n1, n2] = notesAt(2) as [Note, Note];
    await store(origin, [toSyncRecord(a1), noteToSyncRecord(n1), toSyncRecord(a2)]);
    await store(origin, [noteToSyncRecord(n2), toSyncRecord(a3)]);

    const notesOnly = await pull(origin, { types: 'note' });
    expect(idsOf(notesOnly)).toEqual([n1.id, n2.id]);
    expect(notesOnly.records.every((record) => record.type === 'note')).toBe(true);
    expect(idsOf(await pull(origin, { types: 'audit' }))).toEqual([a1.id, a2.id, a3.id]);

    // Pages across both types interleave them by change, whatever order the types are listed in.
    for (const types of ['audit,note', 'note,audit', 'note,audit,note']) {
      const pages = await pullEveryPage(origin, { types, limit: '2' });
      expect(pages.map(idsOf)).toEqual([[a1.id, n1.id], [a2.id, n2.id], [a3.id]]);
    }
  });

  it('answers a deleted note as its tombstone, so the delete reaches every client', async () => {
    const { origin } = await startInMemory();
    const note = buildNote();
    const kept = buildNote({ body: 'still here' });
    await store(origin, [note, kept].map(noteToSyncRecord));
    const before = await pull(origin, { types: 'note' });

    const tombstone: Note = { ...note, rev: 2, deleted: true, deletedAt: T0 + 9_000, updatedAt: T0 + 9_000 };
    await store(origin, [noteToSyncRecord(tombstone)]);

    const after = await pull(origin, { types: 'note', since: before.cursor });
    expect(after.records).toEqual([noteToSyncRecord(tombstone)]);
    expect(after.records[0]?.deleted).toBe(true);
    // From the beginning: each record once, in its current state.
    expect((await pull(origin, { types: 'note' })).records).toEqual([kept, tombstone].map(noteToSyncRecord));
  });

  it('accepts every cursor it could have issued, up to its last change', async () => {
    const { origin } = await startInMemory();
    const notes = notesAt(2);
    await store(origin, notes.map(noteToSyncRecord));

    expect(idsOf(await pull(origin, { types: 'note', since: '0' }))).toEqual(notes.map((note) => note.id));
    expect(idsOf(await pull(origin, { types: 'note', since: '1' }))).toEqual([notes[1]?.id]);
    expect(await pull(origin, { types: 'note', since: '2' })).toMatchObject({ records: [], cursor: '2', hasMore: false });
  });

  it.each<[string, Record<string, string | string[]>, RegExp]>([
    ['no types', {}, /^types must list record types/],
    ['empty types', { types: '' }, /^types must list record types/],
    ['an unknown type', { types: 'note,verdict' }, /"verdict" is not one/],
    ['a trailing comma in types', { types: 'note,' }, /"" is not one/],
    ['a cursor that is not a number', { types: 'note', since: 'abc' }, /^since "abc" is not a cursor from this receiver/],
    ['a negative cursor', { types: 'note', since: '-1' }, /^since "-1" is not a cursor/],
    ['a cursor with a leading zero', { types: 'note', since: '01' }, /^since "01" is not a cursor/],
    ['a fractional cursor', { types: 'note', since: '1.5' }, /^since "1.5" is not a cursor/],
    ['a cursor past 2^53', { types: 'note', since: '99999999999999999999' }, /is not a cursor/],
    ['a cursor ahead of the last change', { types: 'note', since: '3' }, /^since "3" is ahead .*\(last: 2\)/],
    ['a limit of 0', { types: 'note', limit: '0' }, /^limit must be a whole number from 1 to 500, got "0"/],
    ['a limit over the page maximum', { types: 'note', limit: '501' }, /^limit must be .*"501"/],
    ['a fractional limit', { types: 'note', limit: '2.5' }, /^limit must be/],
    ['an empty limit', { types: 'note', limit: '' }, /^limit must be/],
    ['siteId without itemId', { types: 'note', siteId: SITE }, /^siteId and itemId go together/],
    ['itemId without siteId', { types: 'note', itemId: ITEM }, /^siteId and itemId go together/],
    ['a siteId that is not a site id', { types: 'note', siteId: 'Acme Labeler', itemId: ITEM }, /^siteId must be/],
    ['an empty itemId', { types: 'note', siteId: SITE, itemId: '' }, /^itemId must be/],
    ['an unknown parameter', { types: 'note', site_id: SITE }, /^unknown parameter "site_id"/],
    ['a repeated parameter', { types: 'note', since: ['1', '2'] }, /^since is given more than once/],
  ])('answers 400 with a message for %s', async (_case, query, message) => {
    const { origin } = await startInMemory();
    await store(origin, notesAt(2).map(noteToSyncRecord));

    const response = await getChanges(origin, query);

    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string };
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error).toMatch(message);
  });

  it('asks for the batches’ token, before looking at the query', async () => {
    const { origin } = await startInMemory(TOKEN);
    await store(origin, notesAt(1).map(noteToSyncRecord), TOKEN);

    const missing = await getChanges(origin, { types: 'note' });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect((await getChanges(origin, { types: 'note' }, `${TOKEN}x`)).status).toBe(401);
    expect((await getChanges(origin, { types: 'bogus' })).status).toBe(401);

    expect((await pull(origin, { types: 'note' }, TOKEN)).records).toHaveLength(1);
  });

  it('answers only GET, and a preflight for it', async () => {
    const { origin } = await startInMemory();
    const post = await fetch(new URL('/v1/changes?types=note', origin), { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, OPTIONS');

    const preflight = await fetch(new URL('/v1/changes', origin), {
      method: 'OPTIONS',
      headers: { Origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/\bGET\b/);
  });

  it('reads each type’s page by index, without sorting the whole table', async () => {
    const { db } = await startInMemory();
    const planOf = (sql: string, params: unknown[]) =>
      db.sqlite
        .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...params)
        .map((row) => row.detail)
        .join('\n');

    const all = planOf(CHANGED_SINCE_SQL, ['note', 0, 501]);
    expect(all).toContain('records_type_seq');
    expect(all).not.toContain('TEMP B-TREE');
    const item = planOf(ITEM_CHANGED_SINCE_SQL, [SITE, ITEM, 'note', 0, 501]);
    expect(item).toContain('records_item_type_seq');
    expect(item).not.toContain('TEMP B-TREE');
  });
});

// The tables exactly as the receiver created them before issue 5 (server/store.ts at that time).
const SCHEMA_BEFORE_ISSUE_5 = `
  CREATE TABLE records (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, rev INTEGER NOT NULL, deleted INTEGER NOT NULL,
    updated_at INTEGER NOT NULL, data TEXT NOT NULL, received_at INTEGER NOT NULL, batch_id TEXT NOT NULL,
    created_at INTEGER
  ) STRICT;
  CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, id TEXT NOT NULL, rev INTEGER NOT NULL,
    batch_id TEXT NOT NULL, received_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX records_live_created_at ON records (type, created_at) WHERE deleted = 0;
`;
const OLD_BATCH = 'b0000000-0000-4000-8000-000000000000';

/** Writes `record`'s row as the old receiver did (`dataText` replaces its JSON); its changes are written apart. */
function writeOldRow(old: Database.Database, record: SyncRecord, options: { dataText?: string } = {}): void {
  old
    .prepare('INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(
      record.id,
      record.type,
      record.rev,
      record.deleted ? 1 : 0,
      record.updatedAt,
      options.dataText ?? JSON.stringify(record.data),
      record.updatedAt,
      OLD_BATCH,
      typeof record.data.createdAt === 'number' ? record.data.createdAt : null,
    );
}

function writeOldChange(old: Database.Database, record: SyncRecord, rev: number): void {
  old
    .prepare('INSERT INTO changes (type, id, rev, batch_id, received_at) VALUES (?, ?, ?, ?, ?)')
    .run(record.type, record.id, rev, OLD_BATCH, record.updatedAt);
}

function recordColumns(path: string): string[] {
  const sqlite = new Database(path, { readonly: true });
  try {
    return sqlite.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('records')").all().map((row) => row.name);
  } finally {
    sqlite.close();
  }
}

describe('a database made before the pull route', () => {
  it('is upgraded in place: seq from the change log, siteId and itemId from the data, then pulled in order', async () => {
    tempDir = mkdtempSync(join(tmpdir(), 'loupe-changes-'));
    const path = join(tempDir, 'receiver.sqlite');
    const audit = toSyncRecord(buildAudit({ rev: 2, siteId: SITE, itemId: ITEM }));
    const note = noteToSyncRecord(buildNote({ siteId: SITE, itemId: 'item-2001' }));
    const deleted = noteToSyncRecord(buildNote({ rev: 2, deleted: true, deletedAt: T0 + 1, siteId: 'other-tool' }));
    const unlogged = noteToSyncRecord(buildNote({ itemId: 'item-3003' }));
    const old = new Database(path);
    old.exec(SCHEMA_BEFORE_ISSUE_5);
    for (const record of [audit, note, deleted, unlogged]) writeOldRow(old, record);
    writeOldChange(old, audit, 1); // seq 1
    writeOldChange(old, note, 1); // seq 2
    writeOldChange(old, audit, 2); // seq 3
    writeOldChange(old, deleted, 1); // seq 4
    writeOldChange(old, deleted, 2); // seq 5
    // `unlogged` has no change at all, as in a file older than the log.
    old.close();

    receiver = await startReceiver({ port: 0, db: path });

    const rows = receiver.db.sqlite
      .prepare<[], { id: string; seq: number; site_id: string; item_id: string }>(
        'SELECT id, seq, site_id, item_id FROM records ORDER BY seq',
      )
      .all();
    expect(rows).toEqual([
      { id: note.id, seq: 2, site_id: SITE, item_id: 'item-2001' },
      { id: audit.id, seq: 3, site_id: SITE, item_id: ITEM },
      { id: deleted.id, seq: 5, site_id: 'other-tool', item_id: ITEM },
      // Numbered after every old change, so clients that paged past 5 still get it.
      { id: unlogged.id, seq: 6, site_id: SITE, item_id: 'item-3003' },
    ]);
    expect(receiver.db.lastSeq()).toBe(6);

    const page = await pull(receiver.origin, { types: 'note,audit' });
    expect(page.records).toEqual([note, audit, deleted, unlogged]);
    expect(idsOf(await pull(receiver.origin, { types: 'audit', siteId: SITE, itemId: ITEM }))).toEqual([audit.id]);
    const fresh = buildNote();
    await store(receiver.origin, [noteToSyncRecord(fresh)]);
    expect(await pull(receiver.origin, { types: 'note', since: page.cursor })).toMatchObject({
      records: [noteToSyncRecord(fresh)],
      cursor: '7',
    });
    const plan = receiver.db.sqlite
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${CHANGED_SINCE_SQL}`)
      .all('note', 0, 10)
      .map((row) => row.detail)
      .join('\n');
    expect(plan).toContain('records_type_seq');

    // Opening it again changes nothing.
    await receiver.close();
    receiver = await startReceiver({ port: 0, db: path });
    expect(receiver.db.listChanges()).toHaveLength(7);
    expect(idsOf(await pull(receiver.origin, { types: 'note,audit' }))).toEqual([
      note.id,
      audit.id,
      deleted.id,
      unlogged.id,
      fresh.id,
    ]);
  });

  it('is left exactly as it was when the upgrade fails part way', async () => {
    tempDir = mkdtempSync(join(tmpdir(), 'loupe-changes-'));
    const path = join(tempDir, 'receiver.sqlite');
    const logged = noteToSyncRecord(buildNote());
    const unlogged = noteToSyncRecord(buildNote());
    const corrupt = noteToSyncRecord(buildNote());
    const old = new Database(path);
    old.exec(SCHEMA_BEFORE_ISSUE_5);
    writeOldRow(old, logged);
    writeOldChange(old, logged, 1);
    writeOldRow(old, unlogged);
    // Data SQLite cannot read as JSON: the siteId backfill fails after seq was added and `unlogged` got a change.
    writeOldRow(old, corrupt, { dataText: '{"siteId": "acme-labeler",' });
    old.close();
    const columnsBefore = recordColumns(path);

    await expect(startReceiver({ port: 0, db: path })).rejects.toThrow(/JSON/i);

    expect(recordColumns(path)).toEqual(columnsBefore);
    expect(columnsBefore).not.toContain('seq');
    const after = new Database(path, { readonly: true });
    try {
      expect(after.prepare<[], { n: number }>('SELECT count(*) AS n FROM changes').get()?.n).toBe(1);
      expect(after.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE name = 'records_type_seq'").all()).toEqual([]);
    } finally {
      after.close();
    }
  });

  it('gets a change for each record when the file predates the change log', async () => {
    tempDir = mkdtempSync(join(tmpdir(), 'loupe-changes-'));
    const path = join(tempDir, 'receiver.sqlite');
    const notes = notesAt(3).map(noteToSyncRecord);
    const old = new Database(path);
    // The records table as it was before issue 4, and no changes table.
    old.exec(`CREATE TABLE records (
      id TEXT PRIMARY KEY, type TEXT NOT NULL, rev INTEGER NOT NULL, deleted INTEGER NOT NULL,
      updated_at INTEGER NOT NULL, data TEXT NOT NULL, received_at INTEGER NOT NULL, batch_id TEXT NOT NULL
    ) STRICT`);
    notes.forEach((record, index) =>
      old
        .prepare('INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        // Received in reverse: the new numbers follow the time of receipt.
        .run(record.id, 'note', record.rev, 0, record.updatedAt, JSON.stringify(record.data), T0 - index, OLD_BATCH),
    );
    old.close();

    receiver = await startReceiver({ port: 0, db: path });

    expect((await pull(receiver.origin, { types: 'note' })).records).toEqual([...notes].reverse());
    expect(receiver.db.listChanges().map((change) => [change.seq, change.id])).toEqual(
      [...notes].reverse().map((record, index) => [index + 1, record.id]),
    );
  });
});
