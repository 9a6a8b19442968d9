/**
 * Per-tab state the worker must not keep in its globals (it can be stopped at any moment): the site the tab is
 * on, the item last read there, and the panel's one-time token and session secret. Kept in `storage.session`,
 * which lives as long as the browser session, is cleared on restart, and is not readable by content scripts
 * (its default access level is TRUSTED_CONTEXTS).
 */
import type { ItemReadingMessage, NoteAnchors } from '../protocol';

export interface TabSession {
  siteId: string;
  /** The tab's URL when the content script last spoke. */
  url: string;
  reading: ItemReadingMessage | null;
  /** When the current item was first read on this tab. */
  shownAt: number | null;
  /** Issued to the content script; accepted once from a panel frame in this tab. */
  panelToken?: string;
  /** Issued to the panel that presented the token; signs its requests and re-attaches it after a worker restart. */
  panelSecret?: string;
  /** The page's last report of which notes it anchored, for the panel that attaches after it. */
  anchors?: NoteAnchors;
}

/** The part of `storage.session` this module uses (an interface of our own, so tests can pass any store). */
export interface SessionStorage {
  get(keys: string | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string): Promise<void>;
}

const TAB_KEY_PREFIX = 'tab:';
const keyOf = (tabId: number) => `${TAB_KEY_PREFIX}${tabId}`;

/** A value as storage.session keeps it (JSON-like: keys whose value is undefined are not kept), frozen. */
function asStored<T>(value: T): T {
  if (value === undefined) return value;
  const copy = JSON.parse(JSON.stringify(value)) as T;
  const freeze = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    Object.freeze(node);
    for (const child of Object.values(node)) freeze(child);
  };
  freeze(copy);
  return copy;
}

/**
 * `storage` with the tab sessions remembered in the worker. Every panel request checks its tab's session, and each
 * storage.session read is a round trip to the browser process (~1 ms at the median, several at the 95th
 * percentile, on the verdict path; issue 6). Only the worker writes `tab:` keys, always through this object, so
 * the last value it wrote (or read, when it has written none since) is what storage holds; pages and content
 * scripts never write them. A cache, not the record: a worker that stops loses it and reads storage again.
 * While a write is under way, reads go to storage, and a read that overlapped a write is not remembered.
 */
export function rememberTabSessions(storage: SessionStorage): SessionStorage {
  const known = new Map<string, unknown>();
  /** Bumped when a write of the key starts and when it ends: a read that saw either is not remembered. */
  const versions = new Map<string, number>();
  /** The write of each key started last: only its value is remembered, whatever order writes end in. */
  const lastWrite = new Map<string, symbol>();
  const isTabKey = (key: string) => key.startsWith(TAB_KEY_PREFIX);
  const versionOf = (key: string) => versions.get(key) ?? 0;
  const bump = (key: string) => versions.set(key, versionOf(key) + 1);

  async function write(keys: string[], apply: () => Promise<void>, value: (key: string) => unknown): Promise<void> {
    const token = Symbol('write');
    for (const key of keys) {
      lastWrite.set(key, token);
      bump(key);
      known.delete(key);
    }
    try {
      await apply();
      for (const key of keys) if (lastWrite.get(key) === token) known.set(key, value(key));
    } finally {
      keys.forEach(bump);
    }
  }

  return {
    async get(keys) {
      if (keys === null || !isTabKey(keys)) return storage.get(keys);
      if (known.has(keys)) {
        const value = known.get(keys);
        return value === undefined ? {} : { [keys]: value };
      }
      const before = versionOf(keys);
      const stored = await storage.get(keys);
      if (versionOf(keys) === before) known.set(keys, asStored(stored[keys]));
      return stored;
    },
    set(items) {
      const keys = Object.keys(items).filter(isTabKey);
      return write(keys, () => storage.set(items), (key) => asStored(items[key]));
    },
    remove(keys) {
      return write(isTabKey(keys) ? [keys] : [], () => storage.remove(keys), () => undefined);
    },
  };
}

export async function readTabSession(storage: SessionStorage, tabId: number): Promise<TabSession | undefined> {
  const key = keyOf(tabId);
  const stored = (await storage.get(key)) as Record<string, TabSession | undefined>;
  return stored[key];
}

export async function writeTabSession(storage: SessionStorage, tabId: number, session: TabSession): Promise<void> {
  await storage.set({ [keyOf(tabId)]: session });
}

export async function forgetTabSession(storage: SessionStorage, tabId: number): Promise<void> {
  await storage.remove(keyOf(tabId));
}

/** The ids of every tab that has a session, for refreshing them all after a settings change. */
export async function tabsWithSessions(storage: Pick<SessionStorage, 'get'>): Promise<number[]> {
  const all = await storage.get(null);
  return Object.keys(all)
    .filter((key) => key.startsWith(TAB_KEY_PREFIX))
    .map((key) => Number(key.slice(TAB_KEY_PREFIX.length)))
    .filter(Number.isInteger);
}

/** A random URL-safe secret (the protocol accepts 20 to 64 of [A-Za-z0-9_-]). */
export function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
