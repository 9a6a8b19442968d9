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

const keyOf = (tabId: number) => `tab:${tabId}`;

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
    .filter((key) => key.startsWith('tab:'))
    .map((key) => Number(key.slice(4)))
    .filter(Number.isInteger);
}

/** A random URL-safe secret (the protocol accepts 20 to 64 of [A-Za-z0-9_-]). */
export function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
