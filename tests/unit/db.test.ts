import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { LoupeDatabase, SCHEMA_V1, SCHEMA_V6, type OutboxEntryV6 } from '@/lib/db';
import { auditsForItem, describeStorageFailure, recordVerdict, revisionsOf, undoVerdict } from '@/lib/audits';
import type { Audit, DetectedItem, Note, VerdictInput } from '@/lib/schemas';
import { applyBatchResults, claimOutboxBatch, countOutbox, outboxEntriesOf } from '@/lib/sync/outbox';
import { listRejected, retryRejected } from '@/lib/sync/rejected';

const opened: Dexie[] = [];
function freshName() {
  return `loupe-test-${crypto.randomUUID()}`;
}
function track<T extends Dexie>(db: T): T {
  opened.push(db);
  return db;
}
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

const item: DetectedItem = {
  siteId: 'modqueue',
  itemId: 'MQ-1001',
  itemUrl: 'http://127.0.0.1/modqueue/queue/hate/item/MQ-1001',
  labelerId: 'lab-ana',
  labelerDecision: 'Remove',
  queue: 'hate',
};
const correct: VerdictInput = { verdict: 'correct', errorTags: [] };
const incorrect: VerdictInput = { verdict: 'incorrect', errorTags: ['missed-violation'], severity: 'major', note: 'slur in line 2' };

function ids() {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
}

/** An audit's waiting outbox entry, if any. */
async function entryOf(db: LoupeDatabase, auditId: string) {
  return (await outboxEntriesOf(db, [`audit:${auditId}`])).get(`audit:${auditId}`);
}

describe('recordVerdict', () => {
  it('writes the audit, its revision and its outbox entry together', async () => {
    const db = track(new LoupeDatabase(freshName()));
    const audit = await recordVerdict(db, { item, input: correct, auditorId: 'qa-1', taxonomyVersion: 1 }, 1000, ids());
    expect(audit).toMatchObject({ rev: 1, verdict: 'correct', createdAt: 1000, deleted: false, itemId: 'MQ-1001' });
    expect(await db.audits.count()).toBe(1);
    expect(await db.auditRevisions.get([audit.id, 1])).toMatchObject({ verdict: 'correct' });
    expect(await entryOf(db, audit.id)).toMatchObject({ rev: 1, status: 'pending', enqueuedAt: 1000 });
  });

  it('updates the same record on a re-audit and keeps the earlier revision', async () => {
    const db = track(new LoupeDatabase(freshName()));
    const first = await recordVerdict(db, { item, input: correct, auditorId: 'qa-1', taxonomyVersion: 1 }, 1000, ids());
    const second = await recordVerdict(db, { item, input: incorrect, auditorId: 'qa-1', taxonomyVersion: 1 }, 2000, ids());
    expect(second.id).toBe(first.id);
    expect(second).toMatchObject({ rev: 2, verdict: 'incorrect', createdAt: 1000, updatedAt: 2000 });
    expect(await db.audits.count()).toBe(1);
    expect((await revisionsOf(db, first.id)).map((r) => [r.rev, r.verdict])).toEqual([
      [1, 'correct'],
      [2, 'incorrect'],
    ]);
    expect(await db.outbox.count()).toBe(1);
    expect((await entryOf(db, first.id))?.rev).toBe(2);
  });

  it('keeps two auditors of the same item apart', async () => {
    const db = track(new LoupeDatabase(freshName()));
    const newId = ids();
    await recordVerdict(db, { item, input: correct, auditorId: 'qa-1', taxonomyVersion: 1 }, 1000, newId);
    await recordVerdict(db, { item, input: incorrect, auditorId: 'qa-2', taxonomyVersion: 1 }, 2000, newId);
    const history = await auditsForItem(db, 'modqueue', 'MQ-1001');
    expect(history.map((a) => a.auditorId)).toEqual(['qa-2', 'qa-1']);
  });

  it('starts the record afresh when the verdict is given again after an undo', async () => {
    const db = track(new LoupeDatabase(freshName()));
    const first = await recordVerdict(db, { item, input: correct, auditorId: 'qa-1', taxonomyVersion: 1 }, 1000, ids());
    await undoVerdict(db, first.id, 1, 10_000, 1500);
    const again = await recordVerdict(db, { item, input: incorrect, auditorId: 'qa-1', taxonomyVersion: 1 }, 2000, ids());
    expect(again).toMatchObject({ id: first.id, rev: 3, verdict: 'incorrect', createdAt: 2000, updatedAt: 2000, deleted: false });
    expect(again).not.toHaveProperty('deletedAt');
    expect(await db.audits.get(first.id)).toEqual(again);
    expect(await db.outbox.count()).toBe(1);
    expect((await entryOf(db, first.id))?.rev).toBe(3);
  });

  it('writes an audit change only to tables where no write can fail on its own, as its early commit needs', () => {
    // recordVerdict commits as soon as its writes are issued (commitIssued in lib/audits.ts): a unique index here
    // could fail one write after the commit and keep the others. Such an index means dropping that commit.
    const db = track(new LoupeDatabase(freshName()));
    for (const name of ['audits', 'auditRevisions', 'outbox', 'dayStats', 'meta']) {
      expect(db.table(name).schema.indexes.filter((index) => index.unique).map((index) => `${name}.${index.name}`)).toEqual([]);
    }
  });

  it("joins a caller's transaction without ending it", async () => {
    // recordVerdict commits its own transaction as soon as its writes are issued; a caller's must go on.
    const db = track(new LoupeDatabase(freshName()));
    const newId = ids();
    await db.transaction('rw', [db.audits, db.auditRevisions, db.outbox, db.dayStats, db.meta], async () => {
      await recordVerdict(db, { item, input: correct, auditorId: 'qa-1', taxonomyVersion: 1 }, 1000, newId);
      await recordVerdict(db, { item, input: incorrect, auditorId: 'qa-2', taxonomyVersion: 1 }, 2000, newId);
    });
    expect(await db.audits.count()).toBe(2);
    expect(await db.outbox.count()).toBe(2);
  });

  it('refuses an incorrect verdict without tags and stores nothing', async () => {
    const db = track(new LoupeDatabase(freshName()));
    await expect(
      recordVerdict(db, { item, input: { verdict: 'incorrect', errorTags: [] }, auditorId: 'qa-1', taxonomyVersion: 1 }),
    ).rejects.toThrow(/at least one error tag/);
    expect(await db.audits.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });
});

describe('undoVerdict', () => {
  it('turns a first verdict into a tombstone that still syncs', async () => {
    const db = track(new LoupeDatabase(freshName()));
    const audit = await recordVerdict(db, { item, input: correct, auditorId: 'qa-1', taxonomyVersion: 1 }, 1000, ids());
    const undone = await undoVerdict(db, audit.id, 1, 10_000, 5000);
    expect(undone).toMatchObject({ rev: 2, deleted: true, deletedAt: 5000 });
    expect(await auditsForItem(db, 'modqueue', 'MQ-1001')).toEqual([]);
    expect((await entryOf(db, audit.id))?.rev).toBe(2);
  });

  it('restores the previous revision of a re-audit', async () => {
    const db = track(new LoupeDatabase(freshName()));
    const newId = ids();
    await recordVerdict(db, { item, input: correct, auditorId: 'qa-1', taxonomyVersion: 1 }, 1000, newId);
    const second = await recordVerdict(db, { item, input: incorrect, auditorId: 'qa-1', taxonomyVersion: 1 }, 2000, newId);
    const undone = await undoVerdict(db, second.id, 2, 10_000, 3000);
    expect(undone).toMatchObject({ rev: 3, verdict: 'correct', deleted: false, updatedAt: 3000 });
    expect((await revisionsOf(db, second.id)).length).toBe(3);
  });

  it.each([
    ['after the window', 1, 20_000, /time to undo/],
    ['for a stale rev', 2, 1_500, /changed since/],
  ])('is refused %s', async (_name, rev, at, message) => {
    const db = track(new LoupeDatabase(freshName()));
    const audit = await recordVerdict(db, { item, input: correct, auditorId: 'qa-1', taxonomyVersion: 1 }, 1000, ids());
    await expect(undoVerdict(db, audit.id, rev, 10_000, at)).rejects.toThrow(message);
    expect((await db.audits.get(audit.id))?.rev).toBe(1);
  });
});

describe('schema upgrade', () => {
  it('opens a v1 database with its audits intact and backfills their revisions', async () => {
    const name = freshName();
    const v1 = track(new Dexie(name));
    v1.version(1).stores(SCHEMA_V1);
    const stored = {
      ...item,
      ...incorrect,
      id: '00000000-0000-4000-8000-000000000042',
      rev: 3,
      createdAt: 1000,
      updatedAt: 4000,
      deleted: false,
      auditorId: 'qa-1',
      taxonomyVersion: 1,
    };
    await v1.table('audits').add(stored);
    await v1.table('outbox').add({ key: `audit:${stored.id}`, type: 'audit', recordId: stored.id, rev: 3, status: 'pending', nextAttemptAt: 0, attempts: 0, enqueuedAt: 0 });
    v1.close();

    const db = track(new LoupeDatabase(name));
    expect(await db.audits.get(stored.id)).toEqual(stored);
    expect(await db.auditRevisions.get([stored.id, 3])).toEqual(stored);
    expect(await db.outbox.count()).toBe(1);
    expect(await db.audits.where('[auditorId+createdAt]').between(['qa-1', 0], ['qa-1', 2000]).count()).toBe(1);
    // v5's new tables start empty: notes arrive later, the day tallies are built by the worker after the upgrade.
    expect(await db.notes.count()).toBe(0);
    expect(await db.dayStats.count()).toBe(0);
    expect(await db.wellbeing.count()).toBe(0);
    expect(db.verno).toBe(8);
  });
});

describe('schema upgrade to the outbox queue (v8)', () => {
  const at = 1_763_798_400_000;
  const audit = (n: number): Audit => ({
    ...item,
    ...correct,
    itemId: `MQ-${n}`,
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    rev: n,
    createdAt: at,
    updatedAt: at + n,
    deleted: false,
    auditorId: 'qa-1',
    taxonomyVersion: 1,
  });
  const note: Note = {
    id: '00000000-0000-4000-8000-000000000900',
    rev: 2,
    createdAt: at,
    updatedAt: at + 9,
    deleted: false,
    siteId: 'modqueue',
    itemId: 'MQ-1',
    itemUrl: 'http://127.0.0.1/modqueue/item/MQ-1',
    authorId: 'mentor-1',
    target: { kind: 'text', quote: { type: 'TextQuoteSelector', exact: 'you people' } },
    body: 'Slur: HS-2.',
  };
  const v6Entry = (type: 'audit' | 'note', record: { id: string; rev: number }, over: Partial<OutboxEntryV6>): OutboxEntryV6 => ({
    key: `${type}:${record.id}`,
    type,
    recordId: record.id,
    rev: record.rev,
    status: 'pending',
    nextAttemptAt: at,
    attempts: 0,
    enqueuedAt: at,
    ...over,
  });

  /** A v6 database as a v6 worker left it: a pending, an in-flight and a backed-off entry, a note, two parked. */
  async function v6Database() {
    const name = freshName();
    const v6 = track(new Dexie(name));
    v6.version(6).stores(SCHEMA_V6);
    const audits = [1, 2, 3, 4, 5].map(audit);
    await v6.table('audits').bulkAdd(audits);
    await v6.table('notes').add(note);
    await v6.table('outbox').bulkAdd([
      v6Entry('audit', audits[0]!, { enqueuedAt: at + 30 }),
      // A batch in flight when the browser updated: its lease belonged to the previous version's worker.
      v6Entry('audit', audits[1]!, { enqueuedAt: at + 10, status: 'inflight', nextAttemptAt: at + 60_000 }),
      v6Entry('audit', audits[2]!, { enqueuedAt: at + 40, nextAttemptAt: at + 900_000, attempts: 4 }),
      v6Entry('note', note, { enqueuedAt: at + 20 }),
      v6Entry('audit', audits[3]!, { enqueuedAt: at + 5, status: 'rejected', reason: 'HTTP 422: labelerId unknown', rejectedAt: at + 50 }),
      v6Entry('audit', audits[4]!, { enqueuedAt: at + 50, status: 'rejected', reason: 'HTTP 413: too large', rejectedAt: at + 60 }),
    ]);
    v6.close();
    return { name, audits };
  }

  it('keeps every entry: waiting ones queued in the order v6 sent them, rejected ones parked with their reason', async () => {
    const { name, audits } = await v6Database();
    const db = track(new LoupeDatabase(name));
    expect(db.verno).toBe(8);
    expect(db.tables.map((t) => t.name)).not.toContain('outboxV6');
    expect(await countOutbox(db)).toEqual({ pending: 4, pendingCapped: false, rejected: 2 });

    const claimed = await claimOutboxBatch(db, at + 1_000);
    expect(claimed.map((c) => [c.key, c.record.rev])).toEqual([
      [`audit:${audits[1]!.id}`, 2],
      [`note:${note.id}`, 2],
      [`audit:${audits[0]!.id}`, 1],
      [`audit:${audits[2]!.id}`, 3],
    ]);
    expect(claimed.find((c) => c.record.type === 'note')?.record.data).toMatchObject({ body: 'Slur: HS-2.' });
    const rejected = await listRejected(db);
    expect(rejected.map((r) => [r.key, r.reason, r.rejectedAt, r.record?.id])).toEqual([
      [`audit:${audits[3]!.id}`, 'HTTP 422: labelerId unknown', at + 50, audits[3]!.id],
      [`audit:${audits[4]!.id}`, 'HTTP 413: too large', at + 60, audits[4]!.id],
    ]);
  });

  it('queues new writes after the migrated entries, and parks later rejections beside the migrated ones', async () => {
    const { name, audits } = await v6Database();
    const db = track(new LoupeDatabase(name));
    const fresh = await recordVerdict(db, { item: { ...item, itemId: 'MQ-NEW' }, input: correct, auditorId: 'qa-1', taxonomyVersion: 1 }, at + 2_000, () => '00000000-0000-4000-8000-000000000777');
    const claimed = await claimOutboxBatch(db, at + 2_000);
    expect(claimed.map((c) => c.record.id).at(-1)).toBe(fresh.id);

    // Every record of the batch is rejected: none of the new parked entries may take a migrated one's place.
    await applyBatchResults(
      db,
      claimed,
      { results: claimed.map((c) => ({ id: c.record.id, rev: c.record.rev, status: 'rejected' as const, reason: 'HTTP 422: no' })) },
      at + 3_000,
    );
    expect(await countOutbox(db)).toEqual({ pending: 0, pendingCapped: false, rejected: 7 });
    expect(new Set((await listRejected(db)).map((r) => r.key)).size).toBe(7);

    expect(await retryRejected(db, at + 4_000, [`audit:${audits[4]!.id}`])).toBe(1);
    expect((await claimOutboxBatch(db, at + 4_000)).map((c) => c.record.id)).toEqual([audits[4]!.id]);
  });
});

describe('describeStorageFailure', () => {
  it('names a full disk and keeps other failures generic', () => {
    const quota = new Dexie.AbortError('aborted', Object.assign(new Error('full'), { name: 'QuotaExceededError' }));
    expect(describeStorageFailure(quota).code).toBe('storage-full');
    expect(describeStorageFailure(new Dexie.DatabaseClosedError('closed')).code).toBe('storage-unavailable');
  });
});
