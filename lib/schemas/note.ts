/**
 * Mentors' inline notes (issue 5): a note is pinned to the text or an element of a labeling page, keyed by the
 * item it is about (site + item id), never by URL. Targets are described with W3C Web Annotation selectors
 * (https://www.w3.org/TR/annotation-model/#selectors); text offsets count Unicode code points, as the model says,
 * so an emoji or a character outside the BMP counts once whatever the engine's string encoding.
 *
 * Each record has one author and only its author changes it: a reply, and an acknowledgement, are records of
 * their own under `parentId`. So two people never edit the same record and "highest rev wins" loses nothing.
 */
import { z } from 'zod';
import { detectedItemSchema } from './audit';
import { epochMsSchema, pageTextSchema, recordBaseShape, slugSchema } from './common';

/** Longest quote kept for a text target; longer selections are refused with a message. */
export const MAX_QUOTE_CHARS = 2000;
/** Context kept on each side of a quote: enough to tell two occurrences apart. */
export const QUOTE_CONTEXT_CHARS = 32;

export const textQuoteSelectorSchema = z.strictObject({
  type: z.literal('TextQuoteSelector'),
  exact: z.string().min(1).max(MAX_QUOTE_CHARS),
  prefix: z.string().max(QUOTE_CONTEXT_CHARS * 4).optional(),
  suffix: z.string().max(QUOTE_CONTEXT_CHARS * 4).optional(),
});
export type TextQuoteSelector = z.infer<typeof textQuoteSelectorSchema>;

/** Code-point offsets into the text of the item's scope (the page body, less Loupe's own elements). */
export const textPositionSelectorSchema = z
  .strictObject({
    type: z.literal('TextPositionSelector'),
    start: z.number().int().nonnegative(),
    end: z.number().int().positive(),
  })
  .refine((s) => s.end > s.start, { message: 'end must be after start', path: ['end'] });
export type TextPositionSelector = z.infer<typeof textPositionSelectorSchema>;

export const cssSelectorSchema = z.strictObject({
  type: z.literal('CssSelector'),
  value: z.string().min(1).max(1000),
});
export type CssSelector = z.infer<typeof cssSelectorSchema>;

export const noteTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('text'),
    quote: textQuoteSelectorSchema,
    /** A hint: tried first, and kept only when the text found there is still the quote. */
    position: textPositionSelectorSchema.optional(),
  }),
  z.strictObject({
    kind: z.literal('element'),
    css: cssSelectorSchema,
    /** What a person would call it ("button “Approve”", "image in .media-panel"): shown when it is not found. */
    description: pageTextSchema(300),
    /** The element's own text when it has some: finds it again when the selector no longer matches. */
    quote: textQuoteSelectorSchema.optional(),
  }),
]);
export type NoteTarget = z.infer<typeof noteTargetSchema>;

export const noteSchema = z
  .strictObject({
    ...recordBaseShape,
    ...detectedItemSchema.pick({ siteId: true, itemId: true, itemUrl: true }).shape,
    /** The auditor id of whoever wrote it. */
    authorId: pageTextSchema(128),
    /** Set on replies (and acknowledgements): the note they answer. */
    parentId: z.uuid().optional(),
    /** Root notes only: where on the page the note is pinned. */
    target: noteTargetSchema.optional(),
    body: pageTextSchema(5000).optional(),
    /** Root notes only: the error the mentor is pointing at. */
    errorTag: slugSchema.optional(),
    /** Replies only: the note's reader says they have read and understood it. */
    acknowledged: z.boolean().optional(),
    deletedAt: epochMsSchema.optional(),
  })
  .superRefine((note, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (note.parentId === undefined) {
      if (!note.target) issue('target', 'a note needs a target on the page');
      if (!note.body) issue('body', 'a note needs some text');
      if (note.acknowledged !== undefined) issue('acknowledged', 'only a reply acknowledges a note');
    } else {
      if (note.target) issue('target', 'a reply has no target of its own');
      if (note.errorTag) issue('errorTag', 'a reply has no error tag');
      if (!note.body && !note.acknowledged) issue('body', 'a reply needs some text or an acknowledgement');
    }
  });
export type Note = z.infer<typeof noteSchema>;
