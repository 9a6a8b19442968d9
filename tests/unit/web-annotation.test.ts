import { describe, expect, it } from 'vitest';
import { noteSchema, type Note } from '../../lib/schemas';
import {
  ANNOTATION_CONTEXT,
  toAnnotationCollection,
  toWebAnnotation,
  type WebAnnotation,
} from '../../lib/notes/web-annotation';

const ROOT_ID = '0b5e7c1e-3c43-4c59-9a39-0d3f0a1d8f10';
const ELEMENT_ID = '1f0c4c9a-8c2b-4a5e-b0a8-2b6f0c6e9d21';
const REPLY_ID = '2a7d9e3b-1f4c-4d6e-8a9b-3c5d7e9f1a32';
const ACK_ID = '3b8e0f4c-2a5d-4e7f-9b0c-4d6e8f0a2b43';
const CREATED = Date.UTC(2026, 10, 21, 9, 30);
const ITEM_URL = 'https://modqueue.example.com/modqueue/queue/hate-speech/item/MQ-2041';

/** Notes go through the schema, as stored ones have, so the fixtures cannot drift from what the app writes. */
function note(fields: Partial<Note> & Pick<Note, 'id'>): Note {
  return noteSchema.parse({
    rev: 1,
    createdAt: CREATED,
    updatedAt: CREATED,
    deleted: false,
    siteId: 'modqueue',
    itemId: 'MQ-2041',
    itemUrl: ITEM_URL,
    authorId: 'mentor-lina',
    ...fields,
  });
}

const textNote = note({
  id: ROOT_ID,
  updatedAt: CREATED + 60_000,
  body: '“teh same” generalises about a protected group: this is hate speech, not harassment.',
  errorTag: 'wrong-policy',
  target: {
    kind: 'text',
    quote: { type: 'TextQuoteSelector', exact: 'all teh same', prefix: 'People from that town are ', suffix: ', they should' },
    position: { type: 'TextPositionSelector', start: 412, end: 424 },
  },
});

const elementNote = note({
  id: ELEMENT_ID,
  createdAt: CREATED + 1000,
  updatedAt: CREATED + 1000,
  body: 'The image alone shows the slur: look at it before the text.',
  target: {
    kind: 'element',
    css: { type: 'CssSelector', value: 'div.media-panel img' },
    description: 'image “Screenshot of a group chat”',
    quote: { type: 'TextQuoteSelector', exact: 'Screenshot of a group chat' },
  },
});

const reply = note({
  id: REPLY_ID,
  createdAt: CREATED + 2000,
  updatedAt: CREATED + 2000,
  authorId: 'lab-ana',
  parentId: ROOT_ID,
  body: 'I read it as an insult to one person.',
});

const acknowledgement = note({
  id: ACK_ID,
  createdAt: CREATED + 3000,
  updatedAt: CREATED + 3000,
  authorId: 'lab-ana',
  parentId: ROOT_ID,
  acknowledged: true,
});

describe('one note as a Web Annotation', () => {
  it('maps a text note to a commenting annotation with its tag, quote and position', () => {
    const annotation = toWebAnnotation(textNote, { creatorIri: (id) => `https://people.example.com/${id}` });
    expect(annotation).toEqual({
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      id: `urn:uuid:${ROOT_ID}`,
      type: 'Annotation',
      motivation: 'commenting',
      created: '2026-11-21T09:30:00.000Z',
      modified: '2026-11-21T09:31:00.000Z',
      creator: { id: 'https://people.example.com/mentor-lina', type: 'Person', nickname: 'mentor-lina' },
      body: [
        { type: 'TextualBody', value: textNote.body!, format: 'text/plain', purpose: 'commenting' },
        { type: 'TextualBody', value: 'wrong-policy', format: 'text/plain', purpose: 'tagging' },
      ],
      target: {
        source: ITEM_URL,
        selector: [
          { type: 'TextQuoteSelector', exact: 'all teh same', prefix: 'People from that town are ', suffix: ', they should' },
          { type: 'TextPositionSelector', start: 412, end: 424 },
        ],
      },
    } satisfies WebAnnotation);
  });

  it('maps an element note to its CSS selector, and leaves the creator without an IRI when none is given', () => {
    const annotation = toWebAnnotation(elementNote)!;
    expect(annotation.target).toEqual({ source: ITEM_URL, selector: [{ type: 'CssSelector', value: 'div.media-panel img' }] });
    expect(annotation.body).toHaveLength(1);
    expect(annotation.creator).toEqual({ type: 'Person', nickname: 'mentor-lina' });
    // No `id: undefined` left behind: the JSON is what the object says.
    expect(JSON.parse(JSON.stringify(annotation))).toEqual(annotation);
  });

  it('maps a reply to a replying annotation on the parent annotation', () => {
    expect(toWebAnnotation(reply)).toMatchObject({
      id: `urn:uuid:${REPLY_ID}`,
      motivation: 'replying',
      target: `urn:uuid:${ROOT_ID}`,
      body: [{ type: 'TextualBody', value: 'I read it as an insult to one person.', purpose: 'replying' }],
      creator: { nickname: 'lab-ana' },
    });
  });

  it('maps an acknowledgement to an assessing annotation, keeping any text typed with it', () => {
    expect(toWebAnnotation(acknowledgement)).toMatchObject({
      motivation: 'assessing',
      target: `urn:uuid:${ROOT_ID}`,
      body: [{ type: 'TextualBody', value: 'Acknowledged', purpose: 'assessing' }],
    });
    const withText = toWebAnnotation(note({ ...acknowledgement, body: 'Got it, thanks.' }))!;
    expect(withText.body.map((body) => body.purpose)).toEqual(['assessing', 'replying']);
  });

  it('gives nothing for a deleted note', () => {
    expect(toWebAnnotation(note({ ...textNote, deleted: true, deletedAt: CREATED + 5000 }))).toBeNull();
  });
});

describe('many notes as an AnnotationCollection', () => {
  const ids = ['c0a80101-0000-4000-8000-000000000001', 'c0a80101-0000-4000-8000-000000000002'];
  const newIdFrom = (queue: string[]) => () => queue.shift()!;

  it('wraps the live notes in one page, in the order they were written', () => {
    const collection = toAnnotationCollection([acknowledgement, elementNote, reply, textNote], {
      label: 'Mentor notes, MQ-2041',
      newId: newIdFrom([...ids]),
    });
    expect(collection).toMatchObject({
      '@context': ANNOTATION_CONTEXT,
      id: `urn:uuid:${ids[0]}`,
      type: 'AnnotationCollection',
      label: 'Mentor notes, MQ-2041',
      total: 4,
      first: { id: `urn:uuid:${ids[1]}`, type: 'AnnotationPage', startIndex: 0 },
      last: `urn:uuid:${ids[1]}`,
    });
    expect(collection.first!.items.map((item) => item.id)).toEqual(
      [ROOT_ID, ELEMENT_ID, REPLY_ID, ACK_ID].map((id) => `urn:uuid:${id}`),
    );
  });

  it('leaves out tombstones and the replies to them', () => {
    const deletedRoot = note({ ...textNote, deleted: true, rev: 2 });
    const collection = toAnnotationCollection([deletedRoot, reply, acknowledgement, elementNote], { newId: newIdFrom([...ids]) });
    expect(collection.total).toBe(1);
    expect(collection.first!.items.map((item) => item.id)).toEqual([`urn:uuid:${ELEMENT_ID}`]);
    expect(JSON.stringify(collection)).not.toContain('teh same');
  });

  it('has no page when there is nothing to export', () => {
    const collection = toAnnotationCollection([], { newId: newIdFrom([...ids]) });
    expect(collection).toEqual({ '@context': ANNOTATION_CONTEXT, id: `urn:uuid:${ids[0]}`, type: 'AnnotationCollection', total: 0 });
  });
});
