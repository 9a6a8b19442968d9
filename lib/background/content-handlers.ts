/**
 * The content script's messages to the worker: its hello when a labeling page opens (the site's profile, keys,
 * layout, words and the panel's one-time token) and each item it reads off the page. Split from worker.ts, which
 * routes messages to these, as panel-handlers.ts and note-handlers.ts are.
 */
import type { LoupeDatabase } from '../db';
import { browserLanguages, resolveLocale } from '../i18n/locales';
import { pageWordsFor } from '../i18n/page-words';
import type { ContentReplies, WorkerInbox } from '../protocol';
import type { Settings, SiteProfile } from '../schemas';
import { loadLayout } from '../settings-store';
import { findSiteProfile, itemKey } from '../site-profile';
import { dayRange, resolveTimeZone } from '../time';
import { recordActivity } from '../wellbeing/activity';
import { contentSender, SenderRefusedError, type ExtensionIdentity, type Sender } from './senders';
import { newSecret, writeTabSession, type SessionStorage, type TabSession } from './tab-sessions';

type Message<K extends WorkerInbox['type']> = Extract<WorkerInbox, { type: K }>;

export interface ContentHandlerDeps {
  db: LoupeDatabase;
  /** storage.session, with the worker's tab sessions remembered. */
  session: SessionStorage;
  self: ExtensionIdentity;
  now: () => number;
  settings(): Promise<Settings>;
  /** Changes one tab's session in that tab's order (the worker's serial queue). */
  updateTab<T>(tabId: number, change: (current: TabSession | undefined) => Promise<T> | T): Promise<T>;
  /** Sends the tab's panel its context again. */
  pushContext(tabId: number): Promise<void>;
  /** Sends the page the notes of the item it shows, for it to anchor. */
  pushNotesToPage(tabId: number): Promise<void>;
  /** An item was opened: pull its notes from the endpoint soon (throttled by the caller). */
  requestItemPull?: (siteId: string, itemId: string) => void;
}

export function createContentHandlers(deps: ContentHandlerDeps) {
  const { db, session, self, now, updateTab, pushContext, pushNotesToPage } = deps;
  const currentSettings = () => deps.settings();

  /** The enabled profile for a content script's tab; refuses a page that is not (or no longer) an enabled site. */
  function profileFor(settings: Settings, url: string): SiteProfile {
    const profile = findSiteProfile(settings.siteProfiles, url);
    if (!profile) throw new SenderRefusedError('the page is not on an enabled site');
    return profile;
  }

  async function onContentHello(sender: Sender): Promise<ContentReplies['content/hello']> {
    const { tabId, url } = contentSender(sender, self);
    const settings = await currentSettings();
    const profile = findSiteProfile(settings.siteProfiles, url);
    if (!profile) return { enabled: false };
    const panelToken = newSecret();
    // A hello means a new document in the tab: any earlier panel there is gone, so its secret is retired.
    await updateTab(tabId, () =>
      writeTabSession(session, tabId, { siteId: profile.id, url, reading: null, shownAt: null, panelToken }),
    );
    return {
      enabled: true,
      profile,
      hotkeys: settings.hotkeys,
      tagHotkeys: settings.taxonomy.tags.flatMap((t) => (t.hotkey ? [{ tagId: t.id, hotkey: t.hotkey }] : [])),
      layout: await loadLayout(db, profile.id),
      panelToken,
      words: pageWordsFor(resolveLocale(settings.locale, browserLanguages())),
    };
  }

  async function onContentItem(message: Message<'content/item'>, sender: Sender): Promise<ContentReplies['content/item']> {
    const { tabId, url } = contentSender(sender, self);
    const settings = await currentSettings();
    const profile = profileFor(settings, url);
    const { reading } = message;
    if (reading.status === 'found' && reading.item.siteId !== profile.id) {
      throw new SenderRefusedError(`the item claims site "${reading.item.siteId}" on a page of "${profile.id}"`);
    }
    const newItem = await updateTab(tabId, async (tab) => {
      if (!tab || tab.siteId !== profile.id) throw new SenderRefusedError('the content script did not say hello first');
      const before = tab.reading?.status === 'found' ? tab.reading.item : undefined;
      const after = reading.status === 'found' ? reading.item : undefined;
      const sameItem = before && after && before.itemId === after.itemId;
      await writeTabSession(session, tabId, {
        ...tab,
        url,
        reading,
        shownAt: sameItem ? tab.shownAt : after ? now() : null,
      });
      return after !== undefined && !sameItem;
    });
    if (newItem && reading.status === 'found') {
      // The analyst's own count of items seen today, and their stretch of work (never synced). A failure here
      // costs a count, never the item's panel.
      const timeZone = resolveTimeZone(settings.timeZone);
      await recordActivity(db, now(), { day: dayRange(now(), timeZone).day, itemKey: itemKey(reading.item) }).catch((error: unknown) =>
        console.error('Loupe could not count the item as viewed', error),
      );
    }
    await pushContext(tabId);
    if (reading.status === 'found') {
      // The page anchors the item's notes as soon as they come; newer ones from other people are pulled meanwhile.
      pushNotesToPage(tabId).catch((error: unknown) => console.error('Loupe could not send the item\u2019s notes', error));
      deps.requestItemPull?.(reading.item.siteId, reading.item.itemId);
    }
    return { ok: true };
  }

  return { onContentHello, onContentItem };
}
