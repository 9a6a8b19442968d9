/**
 * Writing and reading mentors' inline notes (issue 5). Every change writes the note and its outbox entry in one
 * IndexedDB transaction, as lib/audits.ts does for verdicts: a note is either saved and queued for sync, or not
 * saved at all. Every record is checked against `noteSchema` before anything is written, so a bad note is refused
 * with a message and the database is left as it was.
 *
 * A record is only ever changed by its author (lib/schemas/note.ts): a reply, and an acknowledgement, are records
 * of their own under `parentId`. That is what lets sync settle every conflict with "highest rev wins".
 */
import type { LoupeDatabase } from '../db';
import { ProblemError, type ProblemKey } from '../problems';
import { noteSchema, type DetectedItem, type Note, type NoteTarget } from '../schemas';
import { outboxKey, queueRecordChange } from '../sync/outbox';

/** The item a note is about: where it was written, never the rest of the page's reading. */
export type NoteItem = Pick<DetectedItem, 'siteId' | 'itemId' | 'itemUrl'>;

export interface CreateNoteInput {
  item: NoteItem;
  authorId: string;
  target: NoteTarget;
  body: string;
  errorTag?: string;
}

export interface ReplyInput {
  parentId: string;
  authorId: string;
  body?: string;
  /** The reader has read and understood the note. */
  acknowledged?: boolean;
}

/**
 * What an author may change. Root notes: `body`, `target`, `errorTag` (`null` takes the tag away). Replies: `body`,
 * `acknowledged` (`false` takes the acknowledgement back). A change that does not fit the record's kind (a target
 * on a reply) is refused by the schema like any other invalid note.
 */
export interface NoteChanges {
  body?: string;
  target?: NoteTarget;
  errorTag?: string | null;
  acknowledged?: boolean;
}

/** Codes match the protocol's `Failure` codes, so the worker can hand them to the panel as they are. */
export class NoteRefusedError extends Error {
  constructor(
    readonly code: 'not-found' | 'refused',
    readonly reason: 'parent-missing' | 'parent-deleted' | 'parent-is-reply' | 'note-missing' | 'note-deleted' | 'not-author',
    message: string,
  ) {
    super(message);
    this.name = 'NoteRefusedError';
  }
}

/** The `problems` message for a field at fault, by the path's first name: the fields a person knows by name. */
const INVALID_FIELD: Readonly<Record<string, ProblemKey>> = {
  body: 'note.invalidText',
  target: 'note.invalidTarget',
  errorTag: 'note.invalidTag',
  authorId: 'note.invalidAuthor',
  siteId: 'note.invalidItem',
  itemId: 'note.invalidItem',
  itemUrl: 'note.invalidItem',
};

/**
 * The note would not pass `noteSchema`; `path` names the first field at fault. Nothing was written. Its key says
 * which field in the reader's language; zod's `detail` is English only, so it stays in the English `message`, the
 * words of a page without the key (and of the worker's logs), rather than in another language's sentence.
 */
export class NoteInvalidError extends ProblemError {
  readonly code = 'invalid' as const;
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    const message = `Not saved: the note is not valid (${path}: ${detail}).`;
    const field = path.split('.')[0] ?? path;
    const key = Object.hasOwn(INVALID_FIELD, field) ? INVALID_FIELD[field] : undefined;
    super(key ? { message, key } : { message, key: 'note.invalid', params: { field: path } });
    this.name = 'NoteInvalidError';
  }
}

/** Drops keys whose value is undefined, so stored rows and synced payloads carry no empty keys. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function validNote(candidate: Record<string, unknown>): Note {
  const parsed = noteSchema.safeParse(compact(candidate));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new NoteInvalidError(issue?.path.map(String).join('.') || 'note', issue?.message ?? 'invalid');
}

/** The outbox key of a note; sync and pull find a note's pending change by it. */
export function noteOutboxKey(noteId: string): string {
  return outboxKey('note', noteId);
}

function writeNoteChange(db: LoupeDatabase, note: Note, now: number): Promise<Note> {
  return db.transaction('rw', db.notes, db.outbox, async () => {
    await db.notes.put(note);
    // Queued on every change, replacing the note's waiting entry, as for audits (lib/audits.ts).
    await queueRecordChange(db, 'note', note, now);
    return note;
  });
}

/** Loads a note its author wants to change, refusing a missing one, a deleted one, or someone else's. */
async function ownLiveNote(db: LoupeDatabase, id: string, authorId: string): Promise<Note> {
  const note = await db.notes.get(id);
  if (!note) throw new NoteRefusedError('not-found', 'note-missing', 'That note is no longer stored; nothing was changed.');
  if (note.authorId !== authorId) {
    throw new NoteRefusedError('refused', 'not-author', 'Only the person who wrote a note can change or delete it.');
  }
  if (note.deleted) throw new NoteRefusedError('refused', 'note-deleted', 'That note was deleted; nothing was changed.');
  return note;
}

/** A mentor pins a new note to the item's page. */
export async function createNote(
  db: LoupeDatabase,
  { item, authorId, target, body, errorTag }: CreateNoteInput,
  now: number = Date.now(),
  newId: () => string = () => crypto.randomUUID(),
): Promise<Note> {
  const note = validNote({
    id: newId(),
    rev: 1,
    createdAt: now,
    updatedAt: now,
    deleted: false,
    siteId: item.siteId,
    itemId: item.itemId,
    itemUrl: item.itemUrl,
    authorId,
    target,
    body,
    errorTag,
  });
  return writeNoteChange(db, note, now);
}

/**
 * Someone answers a note, or acknowledges it. The reply is about the same item as its note, so it is listed with
 * it. Threads are one level deep: a reply answers a root note, never another reply.
 */
export async function replyToNote(
  db: LoupeDatabase,
  { parentId, authorId, body, acknowledged }: ReplyInput,
  now: number = Date.now(),
  newId: () => string = () => crypto.randomUUID(),
): Promise<Note> {
  return db.transaction('rw', db.notes, db.outbox, async () => {
    const parent = await db.notes.get(parentId);
    if (!parent) throw new NoteRefusedError('not-found', 'parent-missing', 'The note you answered is no longer stored; the reply was not saved.');
    if (parent.deleted) throw new NoteRefusedError('refused', 'parent-deleted', 'The note you answered was deleted; the reply was not saved.');
    if (parent.parentId !== undefined) {
      throw new NoteRefusedError('refused', 'parent-is-reply', 'Answer the note itself, not one of its replies; the reply was not saved.');
    }
    const reply = validNote({
      id: newId(),
      rev: 1,
      createdAt: now,
      updatedAt: now,
      deleted: false,
      siteId: parent.siteId,
      itemId: parent.itemId,
      itemUrl: parent.itemUrl,
      authorId,
      parentId,
      body,
      // `false` is not stored: a reply either acknowledges or says nothing about it.
      acknowledged: acknowledged === true ? true : undefined,
    });
    return writeNoteChange(db, reply, now);
  });
}

/** The author changes their note or reply; it gets the next rev. */
export async function editNote(
  db: LoupeDatabase,
  id: string,
  authorId: string,
  changes: NoteChanges,
  now: number = Date.now(),
): Promise<Note> {
  return db.transaction('rw', db.notes, db.outbox, async () => {
    const current = await ownLiveNote(db, id, authorId);
    const edited = validNote({
      ...current,
      ...(changes.body !== undefined && { body: changes.body }),
      ...(changes.target !== undefined && { target: changes.target }),
      ...(changes.errorTag !== undefined && { errorTag: changes.errorTag ?? undefined }),
      ...(changes.acknowledged !== undefined && { acknowledged: changes.acknowledged ? true : undefined }),
      rev: current.rev + 1,
      updatedAt: now,
    });
    return writeNoteChange(db, edited, now);
  });
}

/**
 * The author deletes their note: it becomes a tombstone with the next rev, so the delete syncs too. Replies by
 * other people are theirs and stay stored, but a deleted note's thread is no longer listed. Deleting a tombstone
 * again changes nothing (a double click is not an error).
 */
export async function deleteNote(db: LoupeDatabase, id: string, authorId: string, now: number = Date.now()): Promise<Note> {
  return db.transaction('rw', db.notes, db.outbox, async () => {
    const current = await db.notes.get(id);
    if (current?.deleted && current.authorId === authorId) return current;
    const live = await ownLiveNote(db, id, authorId);
    // The body and target stay: noteSchema asks for them on every root note, tombstones included.
    const tombstone = validNote({ ...live, rev: live.rev + 1, updatedAt: now, deleted: true, deletedAt: now });
    return writeNoteChange(db, tombstone, now);
  });
}

export interface Acknowledgement {
  authorId: string;
  /**
   * When their earliest acknowledging reply was written (its `createdAt`, epoch ms). A reply acknowledged by a later
   * edit counts from when it was written: records keep no per-field times.
   */
  at: number;
}

export interface NoteThread {
  note: Note;
  /** Live replies, acknowledgements included, oldest first. */
  replies: Note[];
  /** Who acknowledged the note and when, once per person, earliest first. */
  acknowledged: Acknowledgement[];
}

const byCreation = (a: Note, b: Note) => a.createdAt - b.createdAt || a.id.localeCompare(b.id);

/**
 * An item's live notes, oldest first (a pin keeps its place as notes are added), each with its live replies and
 * who acknowledged it. Tombstones are left out, and so is the thread of a deleted note.
 */
export async function notesForItem(db: LoupeDatabase, siteId: string, itemId: string): Promise<NoteThread[]> {
  const live = (await db.notes.where('[siteId+itemId]').equals([siteId, itemId]).toArray()).filter((n) => !n.deleted);
  const threads = new Map<string, NoteThread>();
  for (const note of live.filter((n) => n.parentId === undefined).sort(byCreation)) {
    threads.set(note.id, { note, replies: [], acknowledged: [] });
  }
  for (const reply of live.filter((n) => n.parentId !== undefined).sort(byCreation)) {
    const thread = threads.get(reply.parentId!);
    if (!thread) continue; // Its note was deleted, or has not been pulled yet.
    thread.replies.push(reply);
    if (reply.acknowledged && !thread.acknowledged.some((a) => a.authorId === reply.authorId)) {
      thread.acknowledged.push({ authorId: reply.authorId, at: reply.createdAt });
    }
  }
  return [...threads.values()];
}
