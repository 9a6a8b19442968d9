/**
 * Exports mentors' notes as W3C Web Annotations (https://www.w3.org/TR/annotation-model/), JSON-LD that other
 * annotation tools (Hypothesis, Recogito, IIIF viewers) read: notes leave Loupe in a standard shape, not ours.
 *
 * Mapping, one annotation per live record (tombstones, and replies to them, are left out):
 * - a root note is `motivation: "commenting"` with a `TextualBody` for its text and, for its error tag, a second
 *   `TextualBody` with `purpose: "tagging"`. Its target is the item's URL with our selectors; text targets carry
 *   the TextQuoteSelector and the TextPositionSelector, which the model treats as alternatives for the same text;
 *   element targets carry the CssSelector (the element's own text is not an equivalent selection of the element,
 *   so it is not offered as an alternative, and the model has no field for our human description);
 * - a reply is `motivation: "replying"` and targets the parent annotation's IRI, as the model's replies do;
 * - an acknowledgement ("I have read and understood this note") is `motivation: "assessing"`: of the model's
 *   motivations it is the one for a judgement about the target, and a reader's "understood" is that, not a
 *   comment. Its body says "Acknowledged" with `purpose: "assessing"`; any text typed with it is a second body
 *   with `purpose: "replying"`.
 * Ids are `urn:uuid:` IRIs of our record ids, so re-exporting a note gives the same annotation id.
 */
import type { Note, TextPositionSelector, TextQuoteSelector, CssSelector } from '../schemas/note';

export const ANNOTATION_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';

export type Motivation = 'commenting' | 'replying' | 'assessing';

export interface TextualBody {
  type: 'TextualBody';
  value: string;
  format: 'text/plain';
  purpose: Motivation | 'tagging';
}

export interface Creator {
  /** An IRI for the person, when the caller has one (see `WebAnnotationOptions.creatorIri`). */
  id?: string;
  type: 'Person';
  nickname: string;
}

export type WebSelector = TextQuoteSelector | TextPositionSelector | CssSelector;

export interface SpecificTarget {
  source: string;
  selector: WebSelector[];
}

export interface WebAnnotation {
  '@context': typeof ANNOTATION_CONTEXT;
  id: string;
  type: 'Annotation';
  motivation: Motivation;
  created: string;
  modified: string;
  creator: Creator;
  body: TextualBody[];
  /** A page segment for root notes; the parent annotation's IRI for replies and acknowledgements. */
  target: SpecificTarget | string;
}

export interface AnnotationPage {
  id: string;
  type: 'AnnotationPage';
  startIndex: 0;
  items: WebAnnotation[];
}

export interface AnnotationCollection {
  '@context': typeof ANNOTATION_CONTEXT;
  id: string;
  type: 'AnnotationCollection';
  label?: string;
  total: number;
  /** The model requires `first` only when there are annotations. */
  first?: AnnotationPage;
  last?: string;
}

export interface WebAnnotationOptions {
  /** An IRI naming an auditor id (e.g. a directory URL). Without it the creator has a nickname and no IRI. */
  creatorIri?: (authorId: string) => string | undefined;
}

export interface AnnotationCollectionOptions extends WebAnnotationOptions {
  /** A person's name for the export ("Mentor notes, week 47"). */
  label?: string;
  /** Makes the collection's and the page's ids (UUIDs). Injectable so that tests get stable output. */
  newId?: () => string;
}

/** The IRI of a record id. */
export function annotationIri(recordId: string): string {
  return `urn:uuid:${recordId}`;
}

function isTombstone(note: Note): boolean {
  return note.deleted || note.deletedAt !== undefined;
}

/** One note as a Web Annotation; `null` for a deleted note, which must not leave the device as if alive. */
export function toWebAnnotation(note: Note, options: WebAnnotationOptions = {}): WebAnnotation | null {
  if (isTombstone(note)) return null;
  const iri = options.creatorIri?.(note.authorId);
  const base = {
    '@context': ANNOTATION_CONTEXT as typeof ANNOTATION_CONTEXT,
    id: annotationIri(note.id),
    type: 'Annotation' as const,
    created: new Date(note.createdAt).toISOString(),
    modified: new Date(note.updatedAt).toISOString(),
    creator: { ...(iri && { id: iri }), type: 'Person' as const, nickname: note.authorId },
  };

  if (note.parentId !== undefined) {
    const body: TextualBody[] = [];
    if (note.acknowledged) body.push(textBody('Acknowledged', 'assessing'));
    if (note.body) body.push(textBody(note.body, 'replying'));
    return {
      ...base,
      motivation: note.acknowledged ? 'assessing' : 'replying',
      body,
      target: annotationIri(note.parentId),
    };
  }

  const body: TextualBody[] = [];
  if (note.body) body.push(textBody(note.body, 'commenting'));
  if (note.errorTag) body.push(textBody(note.errorTag, 'tagging'));
  return { ...base, motivation: 'commenting', body, target: { source: note.itemUrl, selector: selectorsOf(note) } };
}

/**
 * Many notes as one AnnotationCollection with a single embedded page. Tombstones are left out, and so are
 * replies to a deleted note when that note is among `notes` (a reply to nothing would dangle). Annotations are
 * in the order they were written.
 */
export function toAnnotationCollection(
  notes: readonly Note[],
  options: AnnotationCollectionOptions = {},
): AnnotationCollection {
  const newId = options.newId ?? (() => crypto.randomUUID());
  const deleted = new Set(notes.filter(isTombstone).map((note) => note.id));
  const items = [...notes]
    .filter((note) => note.parentId === undefined || !deleted.has(note.parentId))
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((note) => toWebAnnotation(note, options))
    .filter((annotation): annotation is WebAnnotation => annotation !== null);

  const collection: AnnotationCollection = {
    '@context': ANNOTATION_CONTEXT,
    id: annotationIri(newId()),
    type: 'AnnotationCollection',
    ...(options.label && { label: options.label }),
    total: items.length,
  };
  if (items.length === 0) return collection;
  const pageId = annotationIri(newId());
  return { ...collection, first: { id: pageId, type: 'AnnotationPage', startIndex: 0, items }, last: pageId };
}

function textBody(value: string, purpose: TextualBody['purpose']): TextualBody {
  return { type: 'TextualBody', value, format: 'text/plain', purpose };
}

/** Our selectors already have the model's shapes (type, exact/prefix/suffix, start/end, value): copied as is. */
function selectorsOf(note: Note): WebSelector[] {
  const target = note.target;
  if (!target) return [];
  if (target.kind === 'element') return [{ ...target.css }];
  return target.position ? [{ ...target.quote }, { ...target.position }] : [{ ...target.quote }];
}
