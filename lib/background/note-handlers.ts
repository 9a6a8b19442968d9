/**
 * The worker's side of mentors' inline notes (issue 5): the panel saves, answers, acknowledges and deletes notes;
 * the page is told which notes to anchor for the item on screen and reports back what it found, what the mentor
 * pointed at in annotate mode, and which highlight was focused. The worker relays between the two, since the page
 * and the panel never talk directly (DESIGN.md), and checks every message's sender as lib/background/worker.ts does.
 */
import { describeStorageFailure } from '../audits';
import type { LoupeDatabase } from '../db';
import { createNote, deleteNote, NoteInvalidError, NoteRefusedError, notesForItem, replyToNote } from '../notes/store';
import { englishProblem, errorDetail, problemOfError, type ProblemKey, type ProblemText } from '../problems';
import {
  MAX_NOTES,
  MAX_REPLIES,
  type ContentReplies,
  type Failure,
  type NoteAnchors,
  type NoteThread,
  type PageNote,
  type PanelPortOut,
  type PanelReplies,
  type WorkerInbox,
  type WorkerToContent,
} from '../protocol';
import type { Note, Settings } from '../schemas';
import { itemKey } from '../site-profile';
import type { TabSession } from './tab-sessions';
import { contentSender, SenderRefusedError, type ExtensionIdentity, type Sender } from './senders';

type Message<T extends WorkerInbox['type']> = Extract<WorkerInbox, { type: T }>;

/**
 * The notes code for the page (entrypoints/page-notes.ts, an unlisted script): the content script asks for it only
 * when the item has notes or annotate mode starts, so pages without notes never parse it (issue 6).
 */
export const NOTES_BUNDLE_FILE = '/page-notes.js';

export interface NoteHandlerDeps {
  db: LoupeDatabase;
  self: ExtensionIdentity;
  now: () => number;
  /** The panel request's tab, once its secret is checked (throws otherwise). */
  authorisePanel(sender: Sender, secret: string): Promise<{ tabId: number; tab: TabSession }>;
  readTab(tabId: number): Promise<TabSession | undefined>;
  /**
   * Keeps the page's anchoring report in the tab's session if it is about the item on screen; false when it is
   * not (a late report for an item the page has left).
   */
  recordAnchors(tabId: number, anchors: NoteAnchors): Promise<boolean>;
  tellContent(tabId: number, message: WorkerToContent): Promise<void>;
  /** Runs NOTES_BUNDLE_FILE in the tab's top frame, in the content script's world (`scripting.executeScript`). */
  injectNotesBundle(tabId: number): Promise<void>;
  /** Posts to the tab's panel if one is attached; false when none is. */
  postToPanel(tabId: number, message: PanelPortOut): boolean;
  refreshPanel(tabId: number): void;
  requestSync?: (reason: 'change') => void;
  /** The stored settings; the worker's cached copy (lib/background/settings-cache.ts), read on every item change. */
  settings(): Promise<Settings>;
}

/** An item's threads as the panel context carries them, within the protocol's bounds. */
export async function noteThreadsFor(db: LoupeDatabase, siteId: string, itemId: string): Promise<NoteThread[]> {
  const threads = await notesForItem(db, siteId, itemId);
  return threads.slice(-MAX_NOTES).map(({ note, replies }) => ({ note, replies: replies.slice(-MAX_REPLIES) }));
}

function toPageNote(thread: Awaited<ReturnType<typeof notesForItem>>[number], settings: Settings): PageNote | null {
  const { note } = thread;
  if (!note.target || !note.body) return null;
  const tag = note.errorTag ? settings.taxonomy.tags.find((t) => t.id === note.errorTag) : undefined;
  return {
    id: note.id,
    target: note.target,
    authorId: note.authorId,
    body: note.body,
    ...(note.errorTag ? { tagLabel: tag?.label ?? note.errorTag } : {}),
    replies: thread.replies.filter((reply) => reply.body !== undefined).length,
    acknowledged: thread.acknowledged.length > 0,
  };
}

const failure = (code: Failure['code'], problem: ProblemText) => ({ ok: false as const, error: { code, ...problem } });

/** The store's refusals as `problems` messages; the store's English `message` stays the fallback. */
const REFUSALS: Record<NoteRefusedError['reason'], ProblemKey> = {
  'note-missing': 'note.gone',
  'not-author': 'note.notAuthor',
  'note-deleted': 'note.deleted',
  'parent-missing': 'note.parentGone',
  'parent-deleted': 'note.parentDeleted',
  'parent-is-reply': 'note.parentIsReply',
};

/** A note write that failed, in words for the panel: what happened, and that what was typed is still there. */
function noteFailure(error: unknown): { ok: false; error: Failure } {
  if (error instanceof NoteRefusedError) return failure(error.code, { message: error.message, key: REFUSALS[error.reason] });
  // The field at fault by key; zod's English words about it stay in the message only (lib/notes/store.ts).
  if (error instanceof NoteInvalidError) return failure('invalid', problemOfError(error));
  const storage = describeStorageFailure(error);
  return failure(
    storage.code,
    storage.code === 'storage-full' ? englishProblem('note.storageFull') : englishProblem('note.storageUnavailable', { detail: errorDetail(error) }),
  );
}

export function createNoteHandlers(deps: NoteHandlerDeps) {
  const { db, self, now } = deps;

  /** Sends the page the notes of the item on screen (an empty list when there is none), for it to anchor. */
  async function pushNotesToPage(tabId: number): Promise<void> {
    const tab = await deps.readTab(tabId);
    if (tab?.reading?.status !== 'found') return;
    const { item } = tab.reading;
    const [threads, settings] = await Promise.all([notesForItem(db, item.siteId, item.itemId), deps.settings()]);
    const notes = threads.flatMap((thread) => toPageNote(thread, settings) ?? []).slice(-MAX_NOTES);
    await deps.tellContent(tabId, { type: 'worker/notes', itemKey: itemKey(item), notes });
  }

  /** After a note changed: the panel's list and the page's highlights both follow. */
  function noteChanged(tabId: number): void {
    deps.refreshPanel(tabId);
    pushNotesToPage(tabId).catch((error: unknown) => console.error('Loupe could not update the page\u2019s notes', error));
    deps.requestSync?.('change');
  }

  async function authorOf(): Promise<string | null> {
    return (await deps.settings()).auditorId ?? null;
  }

  // content script → worker ---------------------------------------------------------------------------------------

  function onCaptured(message: Message<'content/captured'>, sender: Sender): ContentReplies['content/captured'] {
    const { tabId } = contentSender(sender, self);
    deps.postToPanel(tabId, {
      type: 'worker/captured',
      target: message.target,
      ...(message.problem ? { problem: message.problem } : {}),
    });
    return { ok: true };
  }

  async function onAnchors(message: Message<'content/anchors'>, sender: Sender): Promise<ContentReplies['content/anchors']> {
    const { tabId } = contentSender(sender, self);
    const anchors = { itemKey: message.itemKey, found: message.found, missing: message.missing };
    // Kept for a panel that attaches later; a report about an item no longer on screen is dropped (the page
    // reports again for the new one).
    if (await deps.recordAnchors(tabId, anchors)) deps.postToPanel(tabId, { type: 'worker/anchors', ...anchors });
    return { ok: true };
  }

  function onNoteFocused(message: Message<'content/note-focused'>, sender: Sender): ContentReplies['content/note-focused'] {
    const { tabId } = contentSender(sender, self);
    deps.postToPanel(tabId, { type: 'worker/note-focused', noteId: message.noteId });
    return { ok: true };
  }

  async function onLoadNotes(_message: Message<'content/load-notes'>, sender: Sender): Promise<ContentReplies['content/load-notes']> {
    const { tabId } = contentSender(sender, self);
    // Only into a page where our content script runs: it said hello, so the tab is on an enabled site.
    if (!(await deps.readTab(tabId))) throw new SenderRefusedError('the content script did not say hello first');
    await deps.injectNotesBundle(tabId);
    return { ok: true };
  }

  // panel → worker ------------------------------------------------------------------------------------------------

  async function onCapture(message: Message<'panel/capture'>, sender: Sender): Promise<PanelReplies['panel/capture']> {
    const { tabId } = await deps.authorisePanel(sender, message.secret);
    try {
      await deps.tellContent(tabId, { type: 'worker/capture', action: message.action });
    } catch {
      return failure('refused', englishProblem('note.pageSilent'));
    }
    return { ok: true };
  }

  async function onSaveNote(message: Message<'panel/save-note'>, sender: Sender): Promise<PanelReplies['panel/save-note']> {
    const { tabId, tab } = await deps.authorisePanel(sender, message.secret);
    const settings = await deps.settings();
    if (!settings.auditorId) return failure('no-auditor', englishProblem('note.noAuditor'));
    if (message.item.siteId !== tab.siteId) return failure('invalid', englishProblem('note.otherSite'));
    if (message.errorTag && !settings.taxonomy.tags.some((t) => t.id === message.errorTag)) {
      return failure('invalid', englishProblem('note.unknownTag', { tag: message.errorTag }));
    }
    try {
      const note = await createNote(
        db,
        {
          item: message.item,
          authorId: settings.auditorId,
          target: message.target,
          body: message.body,
          ...(message.errorTag ? { errorTag: message.errorTag } : {}),
        },
        now(),
      );
      noteChanged(tabId);
      return { ok: true, note };
    } catch (error) {
      return noteFailure(error);
    }
  }

  /** The note a panel request is about must belong to the item on that panel's tab. */
  async function noteOfTab(noteId: string, tab: TabSession): Promise<Note | undefined> {
    const note = await db.notes.get(noteId);
    if (!note || note.siteId !== tab.siteId) return undefined;
    return note;
  }

  async function onReplyNote(message: Message<'panel/reply-note'>, sender: Sender): Promise<PanelReplies['panel/reply-note']> {
    const { tabId, tab } = await deps.authorisePanel(sender, message.secret);
    const authorId = await authorOf();
    if (!authorId) return failure('no-auditor', englishProblem('note.replyNoAuditor'));
    if (!(await noteOfTab(message.parentId, tab))) return failure('not-found', englishProblem('note.replyElsewhere'));
    if (!message.body && !message.acknowledged) return failure('invalid', englishProblem('note.replyEmpty'));
    try {
      const note = await replyToNote(
        db,
        { parentId: message.parentId, authorId, ...(message.body ? { body: message.body } : {}), ...(message.acknowledged ? { acknowledged: true } : {}) },
        now(),
      );
      noteChanged(tabId);
      return { ok: true, note };
    } catch (error) {
      return noteFailure(error);
    }
  }

  async function onDeleteNote(message: Message<'panel/delete-note'>, sender: Sender): Promise<PanelReplies['panel/delete-note']> {
    const { tabId, tab } = await deps.authorisePanel(sender, message.secret);
    const authorId = await authorOf();
    if (!authorId) return failure('no-auditor', englishProblem('note.deleteNoAuditor'));
    if (!(await noteOfTab(message.noteId, tab))) return failure('not-found', englishProblem('note.deleteElsewhere'));
    try {
      const note = await deleteNote(db, message.noteId, authorId, now());
      noteChanged(tabId);
      return { ok: true, note };
    } catch (error) {
      return noteFailure(error);
    }
  }

  async function onShowNote(message: Message<'panel/show-note'>, sender: Sender): Promise<PanelReplies['panel/show-note']> {
    const { tabId } = await deps.authorisePanel(sender, message.secret);
    await deps.tellContent(tabId, { type: 'worker/show-note', noteId: message.noteId }).catch(() => undefined);
    return { ok: true };
  }

  return {
    pushNotesToPage,
    onCaptured,
    onAnchors,
    onNoteFocused,
    onLoadNotes,
    onCapture,
    onSaveNote,
    onReplyNote,
    onDeleteNote,
    onShowNote,
  };
}
