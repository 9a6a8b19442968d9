// @vitest-environment node
/**
 * Pulling notes (lib/sync/pull.ts) from an in-memory endpoint that keeps a change log and answers
 * `GET /v1/changes` the way the contract says (opaque cursor, pages, type and item filters), with the database in
 * fake-indexeddb; and the scheduler's pull triggers (lib/background/sync-scheduler.ts) over the same endpoint.
 */
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { recordVerdict } from '@/lib/audits';
import {
  createSyncScheduler,
  ITEM_PULL_THROTTLE_MS,
  PULL_MORE_ALARM,
  PULL_PERIODIC_ALARM,
  PULL_PERIOD_MINUTES,
  type SyncSchedulerDeps,
} from '@/lib/background/sync-scheduler';
import { LoupeDatabase } from '@/lib/db';
import { createNote, editNote, notesForItem, replyToNote } from '@/lib/notes/store';
import type { Note, NoteTarget } from '@/lib/schemas';
import { saveSettings } from '@/lib/settings-store';
import { batchSchema, type SyncRecord } from '@/lib/sync/contract';
import { claimOutboxBatch, outboxEntriesOf, toSyncRecord } from '@/lib/sync/outbox';
import { loadPullCursor, pullChanges, pullCursorKey, type PullOptions } from '@/lib/sync/pull';
import { runSync } from '@/lib/sync/engine';
import { loadSyncStatus } from '@/lib/sync/status';
import { startReceiver } from '../../server/receiver';

const BASE = 'https://sync.example.com/loupe';
const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);
const quote: NoteTarget = { kind: 'text', quote: { type: 'TextQuoteSelector', exact: 'you people' } };

let db: LoupeDatabase;
let clock: number;
const now = () => clock;

let idCount = 0;
const newId = () => `00000000-0000-4000-8000-${String(++idCount).padStart(12, '0')}`;

/** A note as another browser would have written it. */
function note(over: Partial<Note> = {}): Note {
  return {
    id: newId(),
    rev: 1,
    createdAt: T0,
    updatedAt: T0,
    deleted: false,
    siteId: 'modqueue',
    itemId: 'MQ-1',
    itemUrl: 'https://tool.example.com/item/MQ-1',
    authorId: 'mentor-1',
    target: quote,
    body: 'Slur: remove under HS-2.',
    ...over,
  };
}
const wire = (n: Note): SyncRecord => toSyncRecord('note', n);

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

type Answer = Response | Error;

/**
 * An endpoint with a change log: `GET /v1/changes` answers the log's entries after the cursor (`c<seq>`), of the
 * asked types and item, `pageSize` at a time; `POST /v1/batches` appends what it accepts. `next` answers the
 * coming requests instead, one each, before the log is consulted.
 */
function fakeEndpoint(pageSize = 500) {
  const log: SyncRecord[] = [];
  const next: Array<() => Answer> = [];
  const calls: Array<{ url: URL; init: RequestInit | undefined }> = [];
  const fetchFn = vi.fn(async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    calls.push({ url, init });
    const scripted = next.shift();
    if (scripted) {
      const answer = scripted();
      if (answer instanceof Error) throw answer;
      return answer;
    }
    if (url.pathname.endsWith('/v1/batches') && init?.method === 'POST') {
      const batch = batchSchema.parse(JSON.parse(String(init.body)));
      log.push(...batch.records);
      return json(200, { results: batch.records.map((r) => ({ id: r.id, rev: r.rev, status: 'accepted' })) });
    }
    if (!url.pathname.endsWith('/v1/changes')) return json(404, { error: 'no such route' });
    const since = Number((url.searchParams.get('since') ?? '').replace(/^c/, '') || '0');
    const types = (url.searchParams.get('types') ?? '').split(',');
    const siteId = url.searchParams.get('siteId');
    const itemId = url.searchParams.get('itemId');
    const matching = log
      .map((record, index) => ({ record, seq: index + 1 }))
      .filter(({ record, seq }) => seq > since && types.includes(record.type))
      .filter(({ record }) => (siteId === null || record.data.siteId === siteId) && (itemId === null || record.data.itemId === itemId));
    const page = matching.slice(0, pageSize);
    return json(200, {
      schema: 'loupe.changes/1',
      records: page.map((p) => p.record),
      cursor: `c${page.at(-1)?.seq ?? since}`,
      hasMore: matching.length > page.length,
    });
  });
  const changeCalls = () => calls.filter((c) => c.url.pathname.endsWith('/v1/changes'));
  return { log, next, calls, changeCalls, fetch: fetchFn };
}

let endpoint: ReturnType<typeof fakeEndpoint>;

function pull(over: Partial<PullOptions> = {}) {
  return pullChanges(db, { endpoint: BASE, token: 'tok', fetch: endpoint.fetch, now, ...over });
}

beforeEach(() => {
  clock = T0;
  db = new LoupeDatabase(`loupe-pull-${crypto.randomUUID()}`);
  endpoint = fakeEndpoint();
});
afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

describe('pullChanges', () => {
  it('pages until the endpoint has no more, stores every note, and remembers where it stopped', async () => {
    endpoint = fakeEndpoint(2);
    const notes = [note(), note(), note(), note(), note()];
    endpoint.log.push(...notes.map(wire));
    const summary = await pull();
    expect(summary).toEqual({ pulled: 5, merged: 5, skipped: 0, pages: 3, hasMore: false });
    expect(endpoint.changeCalls().map((c) => c.url.searchParams.get('since'))).toEqual(['', 'c2', 'c4']);
    expect(endpoint.changeCalls()[0]!.url.href).toBe(`${BASE}/v1/changes?since=&types=note`);
    expect(await db.notes.bulkGet(notes.map((n) => n.id))).toEqual(notes);
    expect(await loadPullCursor(db)).toBe('c5');
    expect(pullCursorKey()).toBe('pull:note');
    expect(await db.outbox.count()).toBe(0); // pulled notes are not sent back

    // The next run starts where this one stopped.
    const later = note({ body: 'one more' });
    endpoint.log.push(wire(later));
    expect(await pull()).toMatchObject({ pulled: 1, merged: 1, pages: 1 });
    expect(endpoint.changeCalls().at(-1)!.url.searchParams.get('since')).toBe('c5');
    expect(await db.notes.get(later.id)).toEqual(later);
  });

  it('stops after its page limit and says more is waiting', async () => {
    endpoint = fakeEndpoint(1);
    endpoint.log.push(...[note(), note(), note()].map(wire));
    expect(await pull({ maxPages: 2 })).toEqual({ pulled: 2, merged: 2, skipped: 0, pages: 2, hasMore: true });
    expect(await loadPullCursor(db)).toBe('c2');
    expect(await pull({ maxPages: 2 })).toMatchObject({ merged: 1, pages: 1, hasMore: false });
  });

  it('sends the token as a bearer, and no Authorization header without one', async () => {
    await pull();
    await pull({ token: null });
    const [withToken, without] = endpoint.changeCalls().map((c) => new Headers(c.init?.headers));
    expect(withToken!.get('Authorization')).toBe('Bearer tok');
    expect(without!.has('Authorization')).toBe(false);
    expect(endpoint.changeCalls()[0]!.init).toMatchObject({ method: 'GET', credentials: 'omit', cache: 'no-store' });
  });

  it('moves the cursor only once a page is merged: a failed page leaves it at the last merged one', async () => {
    endpoint = fakeEndpoint(2);
    const notes = [note(), note(), note(), note()];
    endpoint.log.push(...notes.map(wire));
    endpoint.next.push(() => json(200, { schema: 'loupe.changes/1', records: notes.slice(0, 2).map(wire), cursor: 'c2', hasMore: true }));
    endpoint.next.push(() => json(500, { error: 'database locked' }));
    const summary = await pull();
    expect(summary).toMatchObject({ pulled: 2, merged: 2, pages: 1, problem: { kind: 'server', retryable: true } });
    expect(summary.problem!.message).toMatch(/500.*database locked/);
    expect(await loadPullCursor(db)).toBe('c2');
    expect(await db.notes.count()).toBe(2);
  });

  it('keeps the cursor where it was when a page\u2019s merge does not commit', async () => {
    endpoint = fakeEndpoint(2);
    const notes = [note(), note(), note(), note()];
    endpoint.log.push(...notes.map(wire));
    const poisoned = notes[3]!.id;
    db.notes.hook('creating', (key) => {
      if (key === poisoned) throw new Error('disk full');
    });
    await expect(pull()).rejects.toThrow(/disk full/);
    expect(await loadPullCursor(db)).toBe('c2');
    expect((await db.notes.toArray()).map((n) => n.id)).toEqual([notes[0]!.id, notes[1]!.id]); // not notes[2] either
  });

  it('keeps the highest rev: a newer pulled rev replaces ours, an older one does not', async () => {
    const older = await createNote(db, { item: { siteId: 'modqueue', itemId: 'MQ-1', itemUrl: 'https://tool.example.com/item/MQ-1' }, authorId: 'mentor-1', target: quote, body: 'v1' }, T0, newId);
    const newer = await createNote(db, { item: { siteId: 'modqueue', itemId: 'MQ-1', itemUrl: 'https://tool.example.com/item/MQ-1' }, authorId: 'mentor-1', target: quote, body: 'v1' }, T0, newId);
    await editNote(db, newer.id, 'mentor-1', { body: 'v2' }, T0 + 1);
    await editNote(db, newer.id, 'mentor-1', { body: 'v3' }, T0 + 2);
    await db.outbox.clear(); // both synced
    const serverNewer = { ...older, rev: 3, body: 'v3 from the other browser', updatedAt: T0 + 5 };
    const serverOlder = { ...newer, rev: 2, body: 'v2', updatedAt: T0 + 1 };
    endpoint.log.push(wire(serverNewer), wire(serverOlder));

    expect(await pull()).toMatchObject({ pulled: 2, merged: 1, skipped: 0 });
    expect(await db.notes.get(older.id)).toEqual(serverNewer);
    expect(await db.notes.get(newer.id)).toMatchObject({ rev: 3, body: 'v3' });
  });

  it('keeps the highest of two revs of one note on the same page', async () => {
    const n = note();
    endpoint.log.push(wire({ ...n, rev: 2, body: 'second' }), wire(n));
    expect(await pull()).toMatchObject({ pulled: 2, merged: 1 });
    expect(await db.notes.get(n.id)).toMatchObject({ rev: 2, body: 'second' });
  });

  it('never overwrites a local edit still waiting to be sent or in flight with an older or equal server copy', async () => {
    const item = { siteId: 'modqueue', itemId: 'MQ-1', itemUrl: 'https://tool.example.com/item/MQ-1' };
    const inflight = await createNote(db, { item, authorId: 'mentor-1', target: quote, body: 'w1' }, T0, newId);
    const inflightV2 = await editNote(db, inflight.id, 'mentor-1', { body: 'w2 (in flight)' }, T0 + 1);
    expect((await claimOutboxBatch(db, T0 + 2)).map((c) => c.record.id)).toEqual([inflight.id]);
    // Written after the claim: queued behind the batch in flight.
    const pending = await createNote(db, { item, authorId: 'mentor-1', target: quote, body: 'v1' }, T0 + 3, newId);
    const pendingV2 = await editNote(db, pending.id, 'mentor-1', { body: 'v2 (not sent yet)' }, T0 + 4);

    endpoint.log.push(wire({ ...pending, body: 'v1 (server)' }), wire({ ...inflightV2, body: 'w2 from elsewhere' }));
    expect(await pull()).toMatchObject({ pulled: 2, merged: 0, skipped: 0 });
    expect(await db.notes.get(pending.id)).toEqual(pendingV2);
    expect(await db.notes.get(inflight.id)).toEqual(inflightV2);
    const entries = await outboxEntriesOf(db, [`note:${pending.id}`, `note:${inflight.id}`]);
    expect(entries.get(`note:${pending.id}`)).toMatchObject({ rev: 2, status: 'pending' });
    expect(entries.get(`note:${inflight.id}`)).toMatchObject({ rev: 2, status: 'pending' });
  });

  it('lets a higher rev from the author\u2019s other browser win over a local edit, and drops the edit\u2019s entry', async () => {
    const item = { siteId: 'modqueue', itemId: 'MQ-1', itemUrl: 'https://tool.example.com/item/MQ-1' };
    const local = await createNote(db, { item, authorId: 'mentor-1', target: quote, body: 'v1' }, T0, newId);
    await editNote(db, local.id, 'mentor-1', { body: 'v2 here' }, T0 + 1);
    const elsewhere = { ...local, rev: 3, body: 'v3 on the other laptop', updatedAt: T0 + 10 };
    endpoint.log.push(wire(elsewhere));
    expect(await pull()).toMatchObject({ merged: 1 });
    expect(await db.notes.get(local.id)).toEqual(elsewhere);
    expect((await outboxEntriesOf(db, [`note:${local.id}`])).size).toBe(0);
  });

  it('skips and counts records it cannot store, and stores the rest of the page', async () => {
    const good = note();
    const mine = await createNote(db, { item: { siteId: 'modqueue', itemId: 'MQ-1', itemUrl: 'https://tool.example.com/item/MQ-1' }, authorId: 'mentor-1', target: quote, body: 'mine' }, T0, newId);
    const noBody = wire(note());
    delete noBody.data.body;
    const unknownKey = wire(note());
    unknownKey.data.script = '<img onerror=alert(1)>';
    const audit: SyncRecord = { ...wire(note()), type: 'audit' };
    const impostor = wire({ ...mine, rev: 9, authorId: 'someone-else', body: 'rewritten' });
    // The fake endpoint would filter the audit out (not asked for); a server that does not is answered by hand.
    endpoint.next.push(() => json(200, { schema: 'loupe.changes/1', records: [noBody, unknownKey, wire(good), impostor, audit], cursor: 'c5', hasMore: false }));

    expect(await pull()).toEqual({ pulled: 5, merged: 1, skipped: 4, pages: 1, hasMore: false });
    expect((await db.notes.toArray()).map((n) => n.id).sort()).toEqual([good.id, mine.id].sort());
    expect(await db.notes.get(mine.id)).toEqual(mine);
    expect(await loadPullCursor(db)).toBe('c5');
  });

  it.each<[string, () => Response]>([
    ['a body that is not JSON', () => new Response('<html>proxy error</html>', { status: 200 })],
    ['another schema', () => json(200, { schema: 'loupe.changes/2', records: [], cursor: 'c9', hasMore: false })],
    ['records that are not records', () => json(200, { schema: 'loupe.changes/1', records: [{ id: 'x' }], cursor: 'c9', hasMore: false })],
    ['no cursor', () => json(200, { schema: 'loupe.changes/1', records: [], hasMore: false })],
  ])('stops at a page with %s, and stores nothing from it', async (_name, page) => {
    endpoint = fakeEndpoint(1);
    const first = note();
    endpoint.log.push(wire(first), wire(note()));
    endpoint.next.push(() => json(200, { schema: 'loupe.changes/1', records: [wire(first)], cursor: 'c1', hasMore: true }), page);
    const summary = await pull();
    expect(summary).toMatchObject({ pulled: 1, merged: 1, pages: 1, problem: { kind: 'invalid-response', retryable: true } });
    expect(summary.problem!.message.length).toBeGreaterThan(20);
    expect(await db.notes.count()).toBe(1);
    expect(await loadPullCursor(db)).toBe('c1');
  });

  it('stops when the endpoint says more is waiting but gives the same cursor back', async () => {
    endpoint.next.push(() => json(200, { schema: 'loupe.changes/1', records: [], cursor: 'c0', hasMore: true }));
    endpoint.next.push(() => json(200, { schema: 'loupe.changes/1', records: [], cursor: 'c0', hasMore: true }));
    const summary = await pull();
    expect(summary.problem?.kind).toBe('invalid-response');
    expect(endpoint.changeCalls()).toHaveLength(2);
  });

  it.each([401, 403])('pauses sync on %i without storing anything, and asks nothing more until the token changes', async (status) => {
    endpoint.log.push(wire(note()));
    endpoint.next.push(() => json(status, { error: 'bad token' }));
    const summary = await pull();
    expect(summary).toMatchObject({ pulled: 0, merged: 0, pages: 0, problem: { kind: 'auth', retryable: false } });
    expect(summary.problem!.message).toMatch(/refused the token.*bad token/);
    expect(await loadSyncStatus(db)).toMatchObject({ pausedForAuth: true, problem: { kind: 'auth' } });
    expect(await db.notes.count()).toBe(0);

    expect((await pull()).problem?.kind).toBe('auth');
    expect(endpoint.changeCalls()).toHaveLength(1);
  });

  it('reports a network error as retryable, and says offline when the browser is', async () => {
    endpoint.next.push(() => new TypeError('Failed to fetch'), () => new TypeError('Failed to fetch'));
    const down = await pull();
    expect(down.problem).toMatchObject({ kind: 'server', retryable: true });
    expect(down.problem!.message).toMatch(/could not be reached.*Failed to fetch/);
    expect((await pull({ isOnline: () => false })).problem).toMatchObject({ kind: 'offline', retryable: true });
    expect(await loadPullCursor(db)).toBeNull();
    expect((await loadSyncStatus(db)).pausedForAuth).toBe(false);
  });

  it('starts over once when the endpoint refuses the stored cursor (its database was replaced)', async () => {
    const n = note();
    endpoint.log.push(wire(n));
    await db.syncState.put({ key: pullCursorKey(), value: 'c9000' });
    endpoint.next.push(() => json(400, { error: 'since "c9000" is ahead of every change this receiver has numbered' }));
    expect(await pull()).toEqual({ pulled: 1, merged: 1, skipped: 0, pages: 1, hasMore: false });
    expect(endpoint.changeCalls().map((c) => c.url.searchParams.get('since'))).toEqual(['c9000', '']);
    expect(await loadPullCursor(db)).toBe('c1');
  });

  it('reports a refusal it cannot fix by starting over, without asking again', async () => {
    endpoint.next.push(() => json(400, { error: 'types must list record types' }));
    const fromStart = await pull();
    expect(fromStart.problem).toMatchObject({ kind: 'refused', retryable: false });
    expect(fromStart.problem!.message).toMatch(/400.*types must list/);
    await db.syncState.put({ key: pullCursorKey(), value: 'c5' });
    endpoint.next.push(() => json(400, { error: 'bad' }), () => json(400, { error: 'still bad' }));
    expect((await pull()).problem?.message).toMatch(/still bad/);
    expect(endpoint.changeCalls().map((c) => c.url.searchParams.get('since'))).toEqual(['', 'c5', '']);
    expect(await loadPullCursor(db)).toBeNull();
    endpoint.next.push(() => json(404, { error: 'no such route' }));
    expect((await pull()).problem).toMatchObject({ kind: 'refused', message: expect.stringMatching(/does not share notes/) });
  });

  it('reports a 503 with Retry-After as throttled until then', async () => {
    endpoint.next.push(() => json(503, { error: 'busy' }, { 'Retry-After': '120' }));
    expect((await pull()).problem).toMatchObject({ kind: 'throttled', retryable: true, retryAt: T0 + 120_000 });
  });

  it('makes no request while the server\u2019s own Retry-After holds sync', async () => {
    await db.syncState.put({ key: 'status', value: { notBefore: T0 + 60_000, notBeforeFromServer: true } });
    expect((await pull()).problem).toMatchObject({ kind: 'throttled', retryAt: T0 + 60_000 });
    expect(endpoint.fetch).not.toHaveBeenCalled();
    clock = T0 + 60_000;
    expect((await pull()).problem).toBeUndefined();
  });

  it('gives up on a request after its timeout', async () => {
    const hanging = vi.fn(
      (_url: string | URL | Request, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
        }),
    );
    const summary = await pull({ fetch: hanging, timeoutMs: 20 });
    expect(summary.problem).toMatchObject({ kind: 'server', retryable: true });
    expect(summary.problem!.message).toMatch(/No answer within/);
  });

  it('stops when its caller aborts', async () => {
    const controller = new AbortController();
    const fetchFn = vi.fn(
      (_url: string | URL | Request, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
          controller.abort();
        }),
    );
    expect((await pull({ fetch: fetchFn, signal: controller.signal })).problem?.kind).toBe('aborted');
    expect((await pull({ signal: controller.signal })).problem?.kind).toBe('aborted');
    expect(endpoint.fetch).not.toHaveBeenCalled();
  });

  it('pulls one item\u2019s notes from the beginning without moving the global cursor', async () => {
    const a = note({ itemId: 'MQ-1' });
    const b = note({ itemId: 'MQ-2', itemUrl: 'https://tool.example.com/item/MQ-2' });
    endpoint.log.push(wire(a), wire(b));
    await pull();
    expect(await loadPullCursor(db)).toBe('c2');

    const reply = note({ itemId: 'MQ-2', itemUrl: 'https://tool.example.com/item/MQ-2', parentId: b.id, target: undefined, authorId: 'lab-ana', body: undefined, acknowledged: true });
    const other = note({ itemId: 'MQ-3', itemUrl: 'https://tool.example.com/item/MQ-3' });
    endpoint.log.push(wire(reply), wire(other));
    const summary = await pull({ item: { siteId: 'modqueue', itemId: 'MQ-2' } });
    expect(summary).toMatchObject({ pulled: 2, merged: 1, pages: 1 }); // b again (known), and its reply
    const call = endpoint.changeCalls().at(-1)!.url;
    expect(Object.fromEntries(call.searchParams)).toEqual({ since: '', types: 'note', siteId: 'modqueue', itemId: 'MQ-2' });
    expect(await loadPullCursor(db)).toBe('c2');
    expect(await db.notes.get(other.id)).toBeUndefined();
    const [thread] = await notesForItem(db, 'modqueue', 'MQ-2');
    expect(thread!.acknowledged).toEqual([{ authorId: 'lab-ana', at: T0 }]);
  });

  it('stores a pulled tombstone, so the note leaves the item\u2019s list and an older copy cannot bring it back', async () => {
    const n = note();
    endpoint.log.push(wire(n), wire({ ...n, rev: 2, deleted: true, deletedAt: T0 + 5, updatedAt: T0 + 5 }), wire(n));
    await pull();
    expect(await db.notes.get(n.id)).toMatchObject({ rev: 2, deleted: true });
    expect(await notesForItem(db, 'modqueue', 'MQ-1')).toEqual([]);
  });

  it('leaves the cursor to another run that moved it meanwhile, and stops', async () => {
    endpoint = fakeEndpoint(1);
    endpoint.log.push(...[note(), note(), note()].map(wire));
    const inner = endpoint.fetch;
    const racing = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
      const answer = await inner(input, init);
      await db.syncState.put({ key: pullCursorKey(), value: 'c3' }); // another run finished first
      return answer;
    });
    const summary = await pull({ fetch: racing });
    expect(summary).toMatchObject({ pages: 1, merged: 1, hasMore: false });
    expect(await loadPullCursor(db)).toBe('c3');
  });

  it('threads pulled replies under a local note', async () => {
    const item = { siteId: 'modqueue', itemId: 'MQ-1', itemUrl: 'https://tool.example.com/item/MQ-1' };
    const mine = await createNote(db, { item, authorId: 'mentor-1', target: quote, body: 'look' }, T0, newId);
    const mineReply = await replyToNote(db, { parentId: mine.id, authorId: 'mentor-1', body: 'see HS-2' }, T0 + 1, newId);
    const theirs = note({ parentId: mine.id, target: undefined, authorId: 'lab-ana', body: 'Got it', acknowledged: true, createdAt: T0 + 2, updatedAt: T0 + 2 });
    endpoint.log.push(wire(theirs));
    await pull();
    const [thread] = await notesForItem(db, 'modqueue', 'MQ-1');
    expect(thread!.replies.map((r) => r.id)).toEqual([mineReply.id, theirs.id]);
    expect(thread!.acknowledged).toEqual([{ authorId: 'lab-ana', at: T0 + 2 }]);
  });
});

describe('the scheduler\u2019s pulls', () => {
  const grant = { contains: async () => true };
  // WXT's in-memory alarms (create by name, get by name) are what the scheduler calls; they are typed with the
  // polyfill's Alarm, which lacks Chrome's `persistAcrossSessions`, hence the cast.
  const alarms = fakeBrowser.alarms as unknown as SyncSchedulerDeps['alarms'];

  function scheduler(over: Partial<SyncSchedulerDeps> = {}) {
    return createSyncScheduler({ db, fetch: endpoint.fetch, alarms, permissions: grant, now, ...over });
  }

  async function enableSync() {
    await saveSettings(db, { auditorId: 'qa-1', sync: { enabled: true, endpoint: BASE } });
  }

  it('keeps a 5-minute pull alarm beside the push alarm, and pulls when it fires', async () => {
    await enableSync();
    const onPullFinished = vi.fn();
    const sync = scheduler({ onPullFinished });
    await sync.ensureAlarms();
    expect(await fakeBrowser.alarms.get(PULL_PERIODIC_ALARM)).toMatchObject({ periodInMinutes: PULL_PERIOD_MINUTES });
    endpoint.log.push(wire(note()));
    expect(sync.handleAlarm(PULL_PERIODIC_ALARM)).toBe(true);
    await vi.waitFor(() => expect(onPullFinished).toHaveBeenCalledWith(expect.objectContaining({ merged: 1 }), null));
    expect(sync.handleAlarm('someone-elses-alarm')).toBe(false);
  });

  it('does not pull when sync is off, has no endpoint, or may not reach it', async () => {
    const off = scheduler();
    expect(await off.pullNow()).toBeNull();
    expect(await off.requestItemPull('modqueue', 'MQ-1')).toBeNull();
    await enableSync();
    expect(await scheduler({ permissions: { contains: async () => false } }).pullNow()).toBeNull();
    expect(endpoint.fetch).not.toHaveBeenCalled();
    expect(await scheduler().pullNow()).toMatchObject({ pages: 1 });
  });

  it('pulls right after a push run that delivered something', async () => {
    await enableSync();
    const onPullFinished = vi.fn();
    const sync = scheduler({ onPullFinished });
    const item = { siteId: 'modqueue', itemId: 'MQ-1', itemUrl: 'https://tool.example.com/item/MQ-1' };
    const mine = await createNote(db, { item, authorId: 'qa-1', target: quote, body: 'look' }, T0, newId);
    await recordVerdict(db, { item, input: { verdict: 'correct', errorTags: [] }, auditorId: 'qa-1', taxonomyVersion: 1 }, T0);
    expect(await sync.runNow()).toMatchObject({ synced: 2, stoppedBy: null });
    await vi.waitFor(() => expect(onPullFinished).toHaveBeenCalledTimes(1));
    // Our own note comes back with the same rev: nothing to merge.
    expect(onPullFinished).toHaveBeenCalledWith(expect.objectContaining({ pulled: 1, merged: 0 }), null);
    expect(await db.notes.get(mine.id)).toEqual(mine);

    // A push with nothing to send is no reason to pull. The pull would be started without being awaited, so
    // give it time to reach the endpoint before looking.
    clock += 60_000;
    expect(await sync.runNow()).toMatchObject({ requests: 0 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(endpoint.changeCalls()).toHaveLength(1);
  });

  it('deletes what a push run delivered once the run is over', async () => {
    await enableSync();
    const item = { siteId: 'modqueue', itemId: 'MQ-1', itemUrl: 'https://tool.example.com/item/MQ-1' };
    await recordVerdict(db, { item, input: { verdict: 'correct', errorTags: [] }, auditorId: 'qa-1', taxonomyVersion: 1 }, T0);
    expect(await scheduler().runNow()).toMatchObject({ synced: 1, stoppedBy: null });
    expect(await db.outbox.count()).toBe(0);
  });

  it('asks for the next pull soon when one stopped at its page limit', async () => {
    endpoint = fakeEndpoint(1);
    endpoint.log.push(...Array.from({ length: 25 }, () => wire(note())));
    await enableSync();
    expect(await scheduler().pullNow()).toMatchObject({ pages: 20, hasMore: true });
    expect(await fakeBrowser.alarms.get(PULL_MORE_ALARM)).toMatchObject({ scheduledTime: T0 + 30_000 });
  });

  it('pulls an opened item\u2019s notes at most once per 30 s per item', async () => {
    await enableSync();
    const onPullFinished = vi.fn();
    const sync = scheduler({ onPullFinished });
    endpoint.log.push(wire(note()));
    expect(await sync.requestItemPull('modqueue', 'MQ-1')).toMatchObject({ merged: 1 });
    expect(onPullFinished).toHaveBeenLastCalledWith(expect.anything(), { siteId: 'modqueue', itemId: 'MQ-1' });
    clock += ITEM_PULL_THROTTLE_MS - 1;
    expect(await sync.requestItemPull('modqueue', 'MQ-1')).toBeNull();
    expect(await sync.requestItemPull('modqueue', 'MQ-2')).toMatchObject({ pages: 1 });
    clock += 1;
    expect(await sync.requestItemPull('modqueue', 'MQ-1')).toMatchObject({ pages: 1 });
    const items = endpoint.changeCalls().map((c) => c.url.searchParams.get('itemId'));
    expect(items).toEqual(['MQ-1', 'MQ-2', 'MQ-1']);
    expect(await loadPullCursor(db)).toBeNull();
  });

  it('never rejects an item pull, even when the database fails', async () => {
    await enableSync();
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    db.notes.hook('creating', () => {
      throw new Error('disk full');
    });
    endpoint.log.push(wire(note()));
    await expect(scheduler().requestItemPull('modqueue', 'MQ-1')).resolves.toBeNull();
    expect(error).toHaveBeenCalled();
  });
});

describe('against the reference receiver', () => {
  it('pulls what another browser pushed, page by page, and nothing twice', async () => {
    const receiver = await startReceiver({ port: 0, db: ':memory:', onError: () => undefined });
    const other = new LoupeDatabase(`loupe-pull-other-${crypto.randomUUID()}`);
    try {
      const item = { siteId: 'modqueue', itemId: 'MQ-1', itemUrl: 'https://tool.example.com/item/MQ-1' };
      const mentorNote = await createNote(other, { item, authorId: 'mentor-1', target: quote, body: 'Slur: HS-2.' }, T0, newId);
      for (let i = 0; i < 4; i += 1) await createNote(other, { item, authorId: 'mentor-1', target: quote, body: `note ${i}` }, T0, newId);
      await recordVerdict(other, { item, input: { verdict: 'correct', errorTags: [] }, auditorId: 'mentor-1', taxonomyVersion: 1 }, T0);
      const target = { endpoint: receiver.origin, token: null, clientId: '5b0f3f4e-8f5a-4c43-9d1e-2f6f1f0c9a11' };
      expect(await runSync({ db: other, fetch, now }, target)).toMatchObject({ synced: 6 });

      // Two pages of two records and a last one, through a fetch that asks for small pages.
      const small: typeof fetch = (input, init) => fetch(`${String(input)}&limit=2`, init);
      expect(await pullChanges(db, { endpoint: receiver.origin, token: null, fetch: small, now })).toEqual({
        pulled: 5,
        merged: 5,
        skipped: 0,
        pages: 3,
        hasMore: false,
      });
      expect(await db.notes.get(mentorNote.id)).toEqual(mentorNote);
      expect(await db.audits.count()).toBe(0);

      await editNote(other, mentorNote.id, 'mentor-1', { body: 'Slur: HS-2, line 4.' }, T0 + 1);
      await runSync({ db: other, fetch, now: () => T0 + 1 }, target);
      expect(await pullChanges(db, { endpoint: receiver.origin, token: null, fetch, now })).toMatchObject({ pulled: 1, merged: 1, pages: 1 });
      expect(await db.notes.get(mentorNote.id)).toMatchObject({ rev: 2, body: 'Slur: HS-2, line 4.' });
      expect(await pullChanges(db, { endpoint: receiver.origin, token: null, fetch, now, item: { siteId: 'modqueue', itemId: 'MQ-1' } })).toMatchObject({
        pulled: 5,
        merged: 0,
      });
    } finally {
      other.close();
      await Dexie.delete(other.name);
      await receiver.close();
    }
  });
});
