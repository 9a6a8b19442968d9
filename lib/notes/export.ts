/**
 * Every note stored in this browser as one W3C Web Annotation collection (issue 5: "export of an item's notes, or
 * all notes, as W3C Web Annotation JSON-LD"), for the options page. Tombstones and replies to deleted notes are
 * left out by `toAnnotationCollection`.
 */
import type { LoupeDatabase } from '../db';
import { dayOf, resolveTimeZone } from '../time';
import { loadSettings } from '../settings-store';
import { toAnnotationCollection } from './web-annotation';

export interface NotesExport {
  fileName: string;
  /** JSON-LD text. */
  text: string;
  /** Annotations in it (notes, replies and acknowledgements). */
  count: number;
}

export async function exportAllNotes(db: LoupeDatabase, now: number = Date.now()): Promise<NotesExport> {
  const [notes, settings] = await Promise.all([db.notes.toArray(), loadSettings(db)]);
  const collection = toAnnotationCollection(notes, { label: 'Loupe notes' });
  return {
    fileName: `loupe-notes-${dayOf(now, resolveTimeZone(settings.timeZone))}.jsonld`,
    text: `${JSON.stringify(collection, null, 2)}\n`,
    count: collection.total,
  };
}
