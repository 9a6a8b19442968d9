/**
 * lib/direct-write.ts against fake-indexeddb: the verdict's one-round write goes below Dexie, so what Dexie would
 * have done around it must still happen: liveQueries hear of the change, a failed request takes every write of the
 * transaction with it (even after the commit was asked for), and an abort from the reads' check keeps nothing.
 */
import Dexie, { liveQuery, RangeSet, rangesOverlap, type IndexableType, type ObservabilitySet } from 'dexie';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DirectWrite } from '../../lib/direct-write';

interface Row {
  id: string;
  day: string;
  tags: string[];
}
interface Entry {
  seq?: number;
  key: string;
}

class TestDb extends Dexie {
  rows!: Dexie.Table<Row, string>;
  queue!: Dexie.Table<Entry, number>;
  unique!: Dexie.Table<{ id: string; email: string }, string>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ rows: 'id, day, *tags', queue: '++seq, key', unique: 'id, &email' });
  }
}

let db: TestDb;
beforeEach(async () => {
  db = new TestDb(`direct-${crypto.randomUUID()}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

/** Resolves with the next parts Dexie announces in this context. */
function nextMutation(): Promise<ObservabilitySet> {
  return new Promise((resolve) => {
    const listener = (parts: ObservabilitySet) => {
      Dexie.on('storagemutated').unsubscribe(listener);
      resolve(parts);
    };
    Dexie.on('storagemutated', listener);
  });
}

it('commits its reads and writes, and announces the rows and index values it wrote as Dexie would', async () => {
  await db.rows.put({ id: 'a', day: '2026-11-21', tags: [] });
  const announced = nextMutation();
  const tx = new DirectWrite(db, ['rows', 'queue']);
  let seen: [Row | undefined, Row | undefined] | undefined;
  tx.readAll<[Row, Row]>(
    [
      { table: 'rows', key: 'a' },
      { table: 'rows', index: 'day', key: '2026-11-21' },
    ],
    (values) => {
      seen = [...values];
      tx.commit();
    },
  );
  tx.put('rows', { id: 'b', day: '2026-11-22', tags: ['x', 'y'] });
  tx.add('queue', { key: 'row:b' });
  await tx.done;
  expect(seen?.map((row) => row?.id)).toEqual(['a', 'a']);
  expect(await db.rows.get('b')).toEqual({ id: 'b', day: '2026-11-22', tags: ['x', 'y'] });
  const [entry] = await db.queue.toArray();
  const parts = await announced;
  const name = db.name;
  const has = (part: string, key: IndexableType) => rangesOverlap(parts[`idb://${name}/${part}`]!, new RangeSet(key));
  expect(has('rows/', 'b')).toBe(true);
  expect(has('rows/', 'a')).toBe(false);
  expect(has('rows/:dels', 'b')).toBe(true);
  expect(has('rows/day', '2026-11-22')).toBe(true);
  expect(has('rows/tags', 'x') && has('rows/tags', 'y')).toBe(true);
  // The generated key, known only once the add succeeded.
  expect(has('queue/', entry!.seq!)).toBe(true);
  expect(has('queue/key', 'row:b')).toBe(true);
});

it('wakes a liveQuery over what it wrote, and none over a table it did not write', async () => {
  const today: number[] = [];
  const queued: number[] = [];
  const subscriptions = [
    liveQuery(() => db.rows.where('day').equals('2026-11-22').count()).subscribe({ next: (count) => today.push(count) }),
    liveQuery(() => db.queue.count()).subscribe({ next: (count) => queued.push(count) }),
  ];
  await expect.poll(() => today.length + queued.length).toBe(2);
  const tx = new DirectWrite(db, ['rows', 'queue']);
  tx.put('rows', { id: 'b', day: '2026-11-22', tags: [] });
  tx.commit();
  await tx.done;
  await expect.poll(() => today).toEqual([0, 1]);
  // Long enough for a needless re-run to have come in (the one above took a few milliseconds).
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(queued).toEqual([0]);
  for (const subscription of subscriptions) subscription.unsubscribe();
});

it('keeps nothing when a request fails after the commit was asked for', async () => {
  await db.unique.put({ id: 'u1', email: 'ana@example.com' });
  const tx = new DirectWrite(db, ['rows', 'unique']);
  tx.put('rows', { id: 'b', day: '2026-11-22', tags: [] });
  tx.put('unique', { id: 'u2', email: 'ana@example.com' });
  tx.commit();
  await expect(tx.done).rejects.toMatchObject({ name: 'ConstraintError' });
  expect(await db.rows.count()).toBe(0);
  expect(await db.unique.count()).toBe(1);
});

it('keeps nothing when its check aborts, and rejects with the check\u2019s reason', async () => {
  const tx = new DirectWrite(db, ['rows', 'queue']);
  const reason = new Error('stale');
  tx.readAll<[Row]>([{ table: 'rows', key: 'a' }], ([row]) => (row ? tx.commit() : tx.abort(reason)));
  tx.put('rows', { id: 'b', day: '2026-11-22', tags: [] });
  tx.add('queue', { key: 'row:b' });
  await expect(tx.done).rejects.toBe(reason);
  expect(await db.rows.count()).toBe(0);
  expect(await db.queue.count()).toBe(0);
});

it('cannot start on a closed connection, so the caller can take Dexie\u2019s way', () => {
  db.close();
  expect(() => new DirectWrite(db, ['rows'])).toThrow();
});
