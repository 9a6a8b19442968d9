/**
 * lib/notes/store.ts against fake-indexeddb: each write is the note and its outbox entry together or nothing,
 * only a note's author changes it, and an item's notes come back as threads with who acknowledged them.
 */
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoupeDatabase } from '@/lib/db';
import {
  createNote,
  deleteNote,
  editNote,
  NoteInvalidError,
  NoteRefusedError,
  notesForItem,
  replyToNote,
  type CreateNoteInput,
} from '@/lib/notes/store';
import type { NoteTarget } from '@/lib/schemas';
import { outboxEntriesOf, toSyncRecord } from '@/lib/sync/outbox';

let db: LoupeDatabase;
beforeEach(() => {
  db = new LoupeDatabase(`loupe-notes-${crypto.randomUUID()}`);
});
afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

function ids() {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
}

const item = { siteId: 'modqueue', itemId: 'MQ-1001', itemUrl: 'http://127.0.0.1/modqueue/item/MQ-1001' };
const quote: NoteTarget = { kind: 'text', quote: { type: 'TextQuoteSelector', exact: 'you people', prefix: 'all ', suffix: ' should' } };
const element: NoteTarget = { kind: 'element', css: { type: 'CssSelector', value: '.media img' }, description: 'image in .media' };
const mentorNote: CreateNoteInput = { item, authorId: 'mentor-1', target: quote, body: 'This is a slur: remove under HS-2.', errorTag: 'missed-violation' };

/** The note's waiting outbox entry, if any. */
async function entryOf(noteId: string) {
  return (await outboxEntriesOf(db, [`note:${noteId}`])).get(`note:${noteId}`);
}

/** Everything stored, to prove a refused write left the database as it was. */
async function snapshot() {
  return { notes: await db.notes.toArray(), outbox: await db.outbox.toArray() };
}

describe('createNote', () => {
  it('writes the note and its outbox entry together', async () => {
    const note = await createNote(db, mentorNote, 1_000, ids());
    expect(note).toMatchObject({ id: '00000000-0000-4000-8000-000000000001', rev: 1, createdAt: 1_000, updatedAt: 1_000, deleted: false, ...item });
    expect(await db.notes.get(note.id)).toEqual(note);
    expect(await entryOf(note.id)).toEqual({
      seq: expect.any(Number) as number,
      key: `note:${note.id}`,
      type: 'note',
      recordId: note.id,
      rev: 1,
      record: toSyncRecord('note', note),
      status: 'pending',
      enqueuedAt: 1_000,
    });
  });

  it('stores no empty keys and trims what was typed', async () => {
    const note = await createNote(db, { item, authorId: 'mentor-1', target: element, body: '  look here  ' }, 1_000, ids());
    expect(note.body).toBe('look here');
    expect(Object.keys((await db.notes.get(note.id))!)).not.toContain('errorTag');
  });

  it.each<[string, Partial<CreateNoteInput>, string, string]>([
    ['an empty body', { body: '   ' }, 'body', 'note.invalidText'],
    ['an error tag that is not a tag id', { errorTag: 'Missed Violation' }, 'errorTag', 'note.invalidTag'],
    ['a target with nothing quoted', { target: { kind: 'text', quote: { type: 'TextQuoteSelector', exact: '' } } }, 'target.quote.exact', 'note.invalidTarget'],
    ['an item id that is blank', { item: { ...item, itemId: ' ' } }, 'itemId', 'note.invalidItem'],
    ['an author id too long', { authorId: 'm'.repeat(129) }, 'authorId', 'note.invalidAuthor'],
  ])('refuses %s with the field at fault, and writes nothing', async (_name, change, path, key) => {
    const error = await createNote(db, { ...mentorNote, ...change }, 1_000, ids()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoteInvalidError);
    expect(error).toMatchObject({ code: 'invalid', path, key });
    expect((error as NoteInvalidError).params).toBeUndefined();
    // zod's own words stay in the English message.
    expect((error as NoteInvalidError).message).toBe(`Not saved: the note is not valid (${path}: ${(error as NoteInvalidError).detail}).`);
    expect(await snapshot()).toEqual({ notes: [], outbox: [] });
  });

  it('writes neither the note nor its entry when the outbox write fails', async () => {
    db.outbox.hook('creating', () => {
      throw new Error('disk full');
    });
    await expect(createNote(db, mentorNote, 1_000, ids())).rejects.toThrow(/disk full/);
    expect(await db.notes.count()).toBe(0);
  });
});

describe('replyToNote', () => {
  it('files the reply under the note, about the same item', async () => {
    const newId = ids();
    const note = await createNote(db, mentorNote, 1_000, newId);
    const reply = await replyToNote(db, { parentId: note.id, authorId: 'lab-ana', body: 'Understood, thanks.' }, 2_000, newId);
    expect(reply).toMatchObject({ parentId: note.id, siteId: item.siteId, itemId: item.itemId, itemUrl: item.itemUrl, authorId: 'lab-ana', rev: 1 });
    expect(reply).not.toHaveProperty('target');
    expect(await entryOf(reply.id)).toMatchObject({ type: 'note', rev: 1, status: 'pending' });
  });

  it('takes an acknowledgement without text, and stores no `acknowledged: false`', async () => {
    const newId = ids();
    const note = await createNote(db, mentorNote, 1_000, newId);
    const ack = await replyToNote(db, { parentId: note.id, authorId: 'lab-ana', acknowledged: true }, 2_000, newId);
    expect(ack).toMatchObject({ acknowledged: true });
    expect(ack).not.toHaveProperty('body');
    const plain = await replyToNote(db, { parentId: note.id, authorId: 'lab-ana', body: 'why?', acknowledged: false }, 3_000, newId);
    expect(plain).not.toHaveProperty('acknowledged');
  });

  it('refuses a reply with neither text nor acknowledgement, and writes nothing', async () => {
    const note = await createNote(db, mentorNote, 1_000, ids());
    const before = await snapshot();
    const error = await replyToNote(db, { parentId: note.id, authorId: 'lab-ana' }, 2_000, ids()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoteInvalidError);
    expect(error).toMatchObject({ path: 'body' });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses to answer a note that is missing, deleted, or itself a reply', async () => {
    const newId = ids();
    const note = await createNote(db, mentorNote, 1_000, newId);
    const reply = await replyToNote(db, { parentId: note.id, authorId: 'lab-ana', body: 'ok' }, 2_000, newId);
    const other = await createNote(db, { ...mentorNote, body: 'second' }, 3_000, newId);
    await deleteNote(db, other.id, 'mentor-1', 4_000);
    const before = await snapshot();

    const attempt = (parentId: string) =>
      replyToNote(db, { parentId, authorId: 'lab-ana', body: 'hello' }, 5_000, newId).catch((e: unknown) => e);
    const missing = await attempt('00000000-0000-4000-8000-0000000000ff');
    expect(missing).toBeInstanceOf(NoteRefusedError);
    expect(missing).toMatchObject({ code: 'not-found', reason: 'parent-missing' });
    expect(await attempt(other.id)).toMatchObject({ code: 'refused', reason: 'parent-deleted' });
    expect(await attempt(reply.id)).toMatchObject({ code: 'refused', reason: 'parent-is-reply' });
    expect(await snapshot()).toEqual(before);
  });
});

describe('editNote', () => {
  it('lets the author change the note, with the next rev and one outbox entry', async () => {
    const note = await createNote(db, mentorNote, 1_000, ids());
    const edited = await editNote(db, note.id, 'mentor-1', { body: 'Slur: HS-2 applies.', target: element, errorTag: null }, 2_000);
    expect(edited).toMatchObject({ rev: 2, body: 'Slur: HS-2 applies.', target: element, createdAt: 1_000, updatedAt: 2_000 });
    expect(edited).not.toHaveProperty('errorTag');
    expect(await db.notes.get(note.id)).toEqual(edited);
    expect(await db.outbox.toArray()).toMatchObject([{ key: `note:${note.id}`, rev: 2, status: 'pending' }]);
  });

  it('lets a reply\u2019s author acknowledge later, or take it back', async () => {
    const newId = ids();
    const note = await createNote(db, mentorNote, 1_000, newId);
    const reply = await replyToNote(db, { parentId: note.id, authorId: 'lab-ana', body: 'Why is this a slur?' }, 2_000, newId);
    expect(await editNote(db, reply.id, 'lab-ana', { acknowledged: true }, 3_000)).toMatchObject({ rev: 2, acknowledged: true });
    expect(await editNote(db, reply.id, 'lab-ana', { acknowledged: false }, 4_000)).not.toHaveProperty('acknowledged');
  });

  it('refuses anyone but the author, and changes nothing', async () => {
    const note = await createNote(db, mentorNote, 1_000, ids());
    const before = await snapshot();
    const error = await editNote(db, note.id, 'lab-ana', { body: 'not mine' }, 2_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoteRefusedError);
    expect(error).toMatchObject({ code: 'refused', reason: 'not-author' });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a change that does not fit the record (a target on a reply), and changes nothing', async () => {
    const newId = ids();
    const note = await createNote(db, mentorNote, 1_000, newId);
    const reply = await replyToNote(db, { parentId: note.id, authorId: 'lab-ana', body: 'ok' }, 2_000, newId);
    const before = await snapshot();
    await expect(editNote(db, reply.id, 'lab-ana', { target: quote }, 3_000)).rejects.toMatchObject({ code: 'invalid', path: 'target' });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a missing note and a deleted one', async () => {
    const note = await createNote(db, mentorNote, 1_000, ids());
    await expect(editNote(db, '00000000-0000-4000-8000-0000000000ff', 'mentor-1', { body: 'x' })).rejects.toMatchObject({ reason: 'note-missing' });
    await deleteNote(db, note.id, 'mentor-1', 2_000);
    await expect(editNote(db, note.id, 'mentor-1', { body: 'x' }, 3_000)).rejects.toMatchObject({ reason: 'note-deleted' });
    expect((await db.notes.get(note.id))?.rev).toBe(2);
  });
});

describe('deleteNote', () => {
  it('leaves a tombstone with the next rev, queued for sync', async () => {
    const note = await createNote(db, mentorNote, 1_000, ids());
    const tombstone = await deleteNote(db, note.id, 'mentor-1', 2_000);
    expect(tombstone).toMatchObject({ id: note.id, rev: 2, deleted: true, deletedAt: 2_000, updatedAt: 2_000 });
    expect(await db.notes.get(note.id)).toEqual(tombstone);
    expect(await entryOf(note.id)).toMatchObject({ rev: 2, status: 'pending', enqueuedAt: 2_000 });
  });

  it('refuses anyone but the author', async () => {
    const note = await createNote(db, mentorNote, 1_000, ids());
    await expect(deleteNote(db, note.id, 'lab-ana', 2_000)).rejects.toMatchObject({ code: 'refused', reason: 'not-author' });
    expect(await db.notes.get(note.id)).toMatchObject({ rev: 1, deleted: false });
  });

  it('changes nothing when the note is already deleted', async () => {
    const note = await createNote(db, mentorNote, 1_000, ids());
    const first = await deleteNote(db, note.id, 'mentor-1', 2_000);
    expect(await deleteNote(db, note.id, 'mentor-1', 3_000)).toEqual(first);
    expect(await entryOf(note.id)).toMatchObject({ rev: 2 });
  });
});

describe('notesForItem', () => {
  it('threads replies under their note, oldest first, with who acknowledged and when', async () => {
    const newId = ids();
    const second = await createNote(db, { ...mentorNote, body: 'and here' }, 2_000, newId);
    const first = await createNote(db, mentorNote, 1_000, newId);
    const question = await replyToNote(db, { parentId: first.id, authorId: 'lab-ana', body: 'Why?' }, 3_000, newId);
    const answer = await replyToNote(db, { parentId: first.id, authorId: 'mentor-1', body: 'HS-2, line 4.' }, 4_000, newId);
    const ack = await replyToNote(db, { parentId: first.id, authorId: 'lab-ana', acknowledged: true }, 5_000, newId);
    await replyToNote(db, { parentId: first.id, authorId: 'lab-ana', acknowledged: true }, 6_000, newId); // twice: counted once
    const bo = await replyToNote(db, { parentId: second.id, authorId: 'lab-bo', body: 'ok', acknowledged: true }, 7_000, newId);
    await createNote(db, { ...mentorNote, item: { ...item, itemId: 'MQ-2002' } }, 1_500, newId); // another item

    const threads = await notesForItem(db, item.siteId, item.itemId);
    expect(threads.map((t) => t.note.id)).toEqual([first.id, second.id]);
    expect(threads[0]!.replies.map((r) => r.id)).toEqual([question.id, answer.id, ack.id, expect.any(String)]);
    expect(threads[0]!.acknowledged).toEqual([{ authorId: 'lab-ana', at: 5_000 }]);
    expect(threads[1]).toEqual({ note: second, replies: [bo], acknowledged: [{ authorId: 'lab-bo', at: 7_000 }] });
  });

  it('leaves out deleted replies, withdrawn acknowledgements, and the whole thread of a deleted note', async () => {
    const newId = ids();
    const kept = await createNote(db, mentorNote, 1_000, newId);
    const gone = await createNote(db, { ...mentorNote, body: 'wrong pin' }, 2_000, newId);
    await replyToNote(db, { parentId: gone.id, authorId: 'lab-ana', body: 'ok' }, 3_000, newId);
    const ack = await replyToNote(db, { parentId: kept.id, authorId: 'lab-ana', acknowledged: true }, 4_000, newId);
    const typo = await replyToNote(db, { parentId: kept.id, authorId: 'lab-bo', body: 'tpyo' }, 5_000, newId);
    await deleteNote(db, gone.id, 'mentor-1', 6_000);
    await deleteNote(db, typo.id, 'lab-bo', 6_000);
    await deleteNote(db, ack.id, 'lab-ana', 6_000);

    const threads = await notesForItem(db, item.siteId, item.itemId);
    expect(threads).toEqual([{ note: kept, replies: [], acknowledged: [] }]);
  });

  it('answers an empty list for an item without notes', async () => {
    expect(await notesForItem(db, 'modqueue', 'nothing-here')).toEqual([]);
  });
});
