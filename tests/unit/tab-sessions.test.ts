/**
 * lib/background/tab-sessions.ts: the worker's memory of its tab sessions must always answer what storage.session
 * holds, while asking storage only when it does not know.
 */
import { describe, expect, it } from 'vitest';
import {
  readTabSession,
  rememberTabSessions,
  tabsWithSessions,
  writeTabSession,
  forgetTabSession,
  type SessionStorage,
  type TabSession,
} from '../../lib/background/tab-sessions';

/** An in-memory storage.session that counts reads, and can hold a read back until told. */
class FakeSession implements SessionStorage {
  data = new Map<string, unknown>();
  reads = 0;
  failWrites = false;
  held: Array<() => void> = [];
  holdReads = false;

  async get(keys: string | null): Promise<Record<string, unknown>> {
    this.reads += 1;
    // Storage answers with what it held when asked, however late the answer arrives.
    const answer = keys === null ? Object.fromEntries(this.data) : this.data.has(keys) ? { [keys]: this.data.get(keys) } : {};
    if (this.holdReads) await new Promise<void>((resolve) => this.held.push(resolve));
    return JSON.parse(JSON.stringify(answer)) as Record<string, unknown>;
  }

  holdWrites = false;
  heldWrites: Array<() => void> = [];

  async set(items: Record<string, unknown>): Promise<void> {
    if (this.failWrites) throw new Error('QuotaExceededError');
    if (this.holdWrites) await new Promise<void>((resolve) => this.heldWrites.push(resolve));
    for (const [key, value] of Object.entries(items)) this.data.set(key, JSON.parse(JSON.stringify(value)));
  }

  async remove(key: string): Promise<void> {
    this.data.delete(key);
  }
}

const tab = (over: Partial<TabSession> = {}): TabSession => ({
  siteId: 'modqueue',
  url: 'http://127.0.0.1/modqueue/item/1',
  reading: null,
  shownAt: null,
  ...over,
});

describe('rememberTabSessions', () => {
  it('reads a tab’s session from storage once, then from memory', async () => {
    const storage = new FakeSession();
    storage.data.set('tab:7', tab({ panelSecret: 's'.repeat(32) }));
    const session = rememberTabSessions(storage);
    for (let i = 0; i < 5; i += 1) expect((await readTabSession(session, 7))?.panelSecret).toBe('s'.repeat(32));
    expect(await readTabSession(session, 8)).toBeUndefined();
    expect(await readTabSession(session, 8)).toBeUndefined();
    expect(storage.reads).toBe(2);
  });

  it('answers what it wrote, as storage keeps it, and stores it', async () => {
    const storage = new FakeSession();
    const session = rememberTabSessions(storage);
    await writeTabSession(session, 7, tab({ panelToken: undefined, panelSecret: 'a'.repeat(32) }));
    const read = await readTabSession(session, 7);
    expect(read).toEqual(tab({ panelSecret: 'a'.repeat(32) }));
    expect(read && 'panelToken' in read).toBe(false); // storage.session drops undefined values; so does the memory
    expect(storage.data.get('tab:7')).toEqual(read);
    await forgetTabSession(session, 7);
    expect(await readTabSession(session, 7)).toBeUndefined();
    expect(storage.data.has('tab:7')).toBe(false);
    expect(storage.reads).toBe(0);
  });

  it('does not remember a read that a write overtook', async () => {
    const storage = new FakeSession();
    storage.data.set('tab:7', tab({ panelSecret: 'old'.padEnd(32, '-') }));
    const session = rememberTabSessions(storage);
    storage.holdReads = true;
    const slow = readTabSession(session, 7);
    storage.holdReads = false;
    await writeTabSession(session, 7, tab({ panelSecret: 'new'.padEnd(32, '-') }));
    storage.held.forEach((release) => release());
    expect((await slow)?.panelSecret).toBe('old'.padEnd(32, '-')); // it was asked before the write
    expect((await readTabSession(session, 7))?.panelSecret).toBe('new'.padEnd(32, '-'));
  });

  it('reads storage while a write is under way, and remembers the write once it is done', async () => {
    const storage = new FakeSession();
    storage.data.set('tab:7', tab({ url: 'http://127.0.0.1/before' }));
    const session = rememberTabSessions(storage);
    await readTabSession(session, 7);
    storage.holdWrites = true;
    const writing = writeTabSession(session, 7, tab({ url: 'http://127.0.0.1/after' }));
    expect((await readTabSession(session, 7))?.url).toBe('http://127.0.0.1/before'); // what storage holds so far
    storage.heldWrites.forEach((release) => release());
    await writing;
    const reads = storage.reads;
    expect((await readTabSession(session, 7))?.url).toBe('http://127.0.0.1/after');
    expect(storage.reads).toBe(reads);
  });

  it('asks storage again after a write that failed', async () => {
    const storage = new FakeSession();
    storage.data.set('tab:7', tab());
    const session = rememberTabSessions(storage);
    await readTabSession(session, 7);
    storage.failWrites = true;
    await expect(writeTabSession(session, 7, tab({ url: 'http://127.0.0.1/other' }))).rejects.toThrow(/Quota/);
    expect((await readTabSession(session, 7))?.url).toBe(tab().url);
    expect(storage.reads).toBe(2);
  });

  it('passes every other key, and listings, straight to storage', async () => {
    const storage = new FakeSession();
    const session = rememberTabSessions(storage);
    await session.set({ 'setup:7': { step: 1 } });
    await session.get('setup:7');
    await session.get('setup:7');
    await writeTabSession(session, 9, tab());
    expect(await tabsWithSessions(session)).toEqual([9]);
    expect(storage.reads).toBe(3);
  });

  it('hands out frozen sessions, so no handler can change what the next one reads', async () => {
    const session = rememberTabSessions(new FakeSession());
    await writeTabSession(session, 7, tab({ reading: { status: 'found', item: { siteId: 'modqueue', itemId: '1', itemUrl: 'http://x/1' }, problems: [] } }));
    const read = await readTabSession(session, 7);
    expect(Object.isFrozen(read) && Object.isFrozen(read?.reading)).toBe(true);
  });
});
