/**
 * The vocabulary of point-and-click site setup (issue 7), beside lib/protocol.ts, which carries its runtime
 * messages (`page/start-setup`, `panel/start-setup`, `content/setup-hello`, `content/setup-picked`, the worker's
 * `worker/setup-*`) and imports the payload schemas from here. What is only setup's lives here: the Port between
 * the setup UI (panel.html#setup, framed by the page's setup script) and the worker, and the shapes both sides of
 * it and the page exchange.
 *
 * The page's setup script imports types only (no zod in the page, DESIGN.md); the worker parses everything.
 */
import { z } from 'zod';
import { LOCALE_CHOICES } from '../i18n/locales';
import { fieldSourceSchema, ITEM_FIELDS, siteProfileSchema, slugSchema, type FieldSource, type ItemField } from '../schemas';

export { SETUP_FRAME_HASH, SETUP_PORT, SETUP_TOKEN_MESSAGE } from './setup-constants';

const secretSchema = z.string().regex(/^[A-Za-z0-9_-]{20,64}$/);
const itemFieldSchema = z.enum(ITEM_FIELDS);

export const SELECTOR_BASES = ['id', 'test-attribute', 'data-attribute', 'accessible-name', 'class', 'tag', 'path'] as const;

/** What the picker tells about the element the user picked: never the element's markup, only these words. */
export const pickedElementSchema = z.strictObject({
  /** lib/dom/robust-selector's proposal: matches exactly this element on the page. */
  selector: z.string().min(1).max(500),
  basis: z.enum(SELECTOR_BASES),
  /** `span.cb-reviewer “Reviewed by rev-kim”`, for people. */
  description: z.string().max(200),
  /** The element's text, whitespace collapsed, cut at 500. */
  text: z.string().max(500),
  /** Attributes that may hold the value better than the text does (`data-*`, `aria-label`, `title`, `value`…). */
  attributes: z
    .array(z.strictObject({ name: z.string().min(1).max(100), value: z.string().max(200) }))
    .max(12),
});
export type PickedElement = z.infer<typeof pickedElementSchema>;

/** A pick ended: an element, or the user pressed Esc / Cancel on the page. */
export const pickOutcomeSchema = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('picked'), field: itemFieldSchema, element: pickedElementSchema }),
  z.strictObject({ outcome: z.literal('cancelled'), field: itemFieldSchema }),
]);
export type PickOutcome = z.infer<typeof pickOutcomeSchema>;

const fieldProblemSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('invalid-selector') }),
  z.strictObject({ kind: z.literal('no-match') }),
  z.strictObject({ kind: z.literal('several'), count: z.number().int().min(2).max(1000) }),
  z.strictObject({ kind: z.literal('no-attribute'), attribute: z.string().max(100) }),
  z.strictObject({ kind: z.literal('empty') }),
  z.strictObject({ kind: z.literal('invalid-regex') }),
  z.strictObject({ kind: z.literal('regex-no-match'), text: z.string().max(500) }),
  z.strictObject({ kind: z.literal('no-group'), groups: z.number().int().min(0).max(100) }),
]);

/** The page's bounded text (lib/site-profile.ts quotes at most 60 characters and an ellipsis). */
const quotedSchema = z.string().max(100);
const patternSchema = z.string().max(500);
const selectorSchema = z.string().max(500);
const attributeSchema = z.string().max(100);
const groupSchema = z.number().int().min(0).max(20);

/** lib/site-profile.ts's `ReadProblem`: why a field of an item read nothing, worded where it is shown. */
export const readProblemSchema = z.discriminatedUnion('code', [
  z.strictObject({ code: z.literal('not-http'), url: quotedSchema }),
  z.strictObject({ code: z.literal('invalid-selector'), selector: selectorSchema }),
  z.strictObject({ code: z.literal('no-match'), selector: selectorSchema }),
  z.strictObject({ code: z.literal('no-attribute'), attribute: attributeSchema }),
  z.strictObject({ code: z.literal('empty-attribute'), attribute: attributeSchema }),
  z.strictObject({ code: z.literal('empty-element'), selector: selectorSchema }),
  z.strictObject({ code: z.literal('invalid-regex'), pattern: patternSchema }),
  z.strictObject({ code: z.literal('url-no-match'), pattern: patternSchema }),
  z.strictObject({ code: z.literal('text-no-match'), pattern: patternSchema, text: quotedSchema }),
  z.strictObject({ code: z.literal('no-group'), pattern: patternSchema, group: groupSchema, last: z.number().int().min(0).max(1000) }),
  z.strictObject({ code: z.literal('url-group-empty'), pattern: patternSchema, group: groupSchema }),
  z.strictObject({ code: z.literal('text-group-empty'), pattern: patternSchema, group: groupSchema, text: quotedSchema }),
]);

/**
 * Why setup could not do what was asked (start, attach, read the page, save), as data the setup UI and the popup word
 * in the reader's language (lib/setup/setup-text.ts). `detail` is the browser's or storage's own words.
 */
export const setupProblemSchema = z.discriminatedUnion('code', [
  z.strictObject({ code: z.literal('not-web-page') }),
  z.strictObject({ code: z.literal('no-access'), detail: z.string().max(500).optional() }),
  z.strictObject({ code: z.literal('not-panel') }),
  z.strictObject({ code: z.literal('not-covered'), url: z.string().max(4096) }),
  z.strictObject({ code: z.literal('id-taken'), id: z.string().max(100) }),
  z.strictObject({ code: z.literal('id-changed'), id: z.string().max(100) }),
  z.strictObject({ code: z.literal('page-gone') }),
  z.strictObject({ code: z.literal('not-ours') }),
  z.strictObject({ code: z.literal('expired') }),
  z.strictObject({ code: z.literal('not-saved'), detail: z.string().max(1000) }),
  z.strictObject({ code: z.literal('no-data'), detail: z.string().max(500) }),
  /** Set by the setup frame itself: the worker went away before or while answering. */
  z.strictObject({ code: z.literal('lost') }),
  z.strictObject({ code: z.literal('not-answered') }),
  /** Set by lib/setup/start-setup.ts: no tab to set up, or no (understandable) answer from the worker. */
  z.strictObject({ code: z.literal('no-tab') }),
  z.strictObject({ code: z.literal('no-answer'), detail: z.string().max(500).optional() }),
]);
export type SetupProblem = z.infer<typeof setupProblemSchema>;

const pickerWordSchema = z.string().min(1).max(300);

/**
 * The picker's words in the reader's language, sent with each pick: the page's setup script carries no catalogs.
 * `outlined` holds `{label}` where the outlined element's label goes.
 */
export const pickerWordsSchema = z.strictObject({
  prompt: pickerWordSchema,
  keys: pickerWordSchema,
  cancel: z.string().min(1).max(60),
  nothingThere: pickerWordSchema,
  nothingHighlighted: pickerWordSchema,
  outlined: pickerWordSchema.refine((text) => text.includes('{label}'), 'needs {label}'),
});
export type PickerWords = z.infer<typeof pickerWordsSchema>;

/** lib/setup/field-check.ts's answer, as the worker relays it from the page. */
export const fieldCheckSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), value: z.string().max(256), text: z.string().max(500) }),
  z.strictObject({ ok: z.literal(false), problem: fieldProblemSchema }),
]);

export const fieldSourcesSchema = z.strictObject({
  itemId: fieldSourceSchema.optional(),
  labelerId: fieldSourceSchema.optional(),
  labelerDecision: fieldSourceSchema.optional(),
  queue: fieldSourceSchema.optional(),
});
export type FieldSources = Partial<Record<ItemField, FieldSource>>;

export const fieldChecksSchema = z.strictObject({
  itemId: fieldCheckSchema.optional(),
  labelerId: fieldCheckSchema.optional(),
  labelerDecision: fieldCheckSchema.optional(),
  queue: fieldCheckSchema.optional(),
});
export type FieldChecks = z.infer<typeof fieldChecksSchema>;

/** What setup starts from: the page, the profile that already covers it (set up again), the ids taken. */
export const setupStartSchema = z.strictObject({
  url: z.string().max(4096),
  title: z.string().max(300),
  existing: siteProfileSchema.nullable(),
  takenIds: z.array(slugSchema).max(100),
  /** The language setting (Options → You): the setup frame has no storage of its own to read it from. */
  locale: z.enum(LOCALE_CHOICES),
});
export type SetupStart = z.infer<typeof setupStartSchema>;

export const setupSaveReplySchema = z.discriminatedUnion('ok', [
  /** `enabled` is false when the browser did not grant the site's pages: saved, but Loupe does not run there. */
  z.strictObject({ ok: z.literal(true), profile: siteProfileSchema, enabled: z.boolean() }),
  z.strictObject({ ok: z.literal(false), problem: setupProblemSchema }),
]);
export type SetupSaveReply = z.infer<typeof setupSaveReplySchema>;

/** Setup UI → worker. Requests that need an answer carry an `id` the answer repeats. */
export const setupPortInSchema = z.discriminatedUnion('type', [
  /** First message: the page's one-time token, or the secret of a session the worker restarted under. */
  z.strictObject({ type: z.literal('setup/attach'), token: secretSchema.optional(), secret: secretSchema.optional() }),
  /** Point at the element that shows `field` on the page (null: stop pointing), the picker saying `words`. */
  z.strictObject({ type: z.literal('setup/pick'), field: itemFieldSchema.nullable(), words: pickerWordsSchema.optional() }),
  /** Read these sources on the live page. */
  z.strictObject({ type: z.literal('setup/check'), id: z.number().int().nonnegative(), sources: fieldSourcesSchema }),
  /** Store the profile; the UI asked the browser for its pages first, in the Save click. */
  z.strictObject({ type: z.literal('setup/save'), id: z.number().int().nonnegative(), profile: siteProfileSchema }),
  /** Leave setup: the page's overlay and frame go away. */
  z.strictObject({ type: z.literal('setup/cancel') }),
]);
export type SetupPortIn = z.infer<typeof setupPortInSchema>;

/** Worker → setup UI. */
export const setupPortOutSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('setup/attached'), secret: secretSchema, start: setupStartSchema }),
  z.strictObject({ type: z.literal('setup/refused'), reason: setupProblemSchema }),
  z.strictObject({ type: z.literal('setup/picked'), pick: pickOutcomeSchema }),
  z.strictObject({
    type: z.literal('setup/checked'),
    id: z.number().int().nonnegative(),
    checks: fieldChecksSchema.nullable(),
    /** Why the page could not be asked (reloaded, closed). */
    problem: setupProblemSchema.optional(),
  }),
  z.strictObject({ type: z.literal('setup/saved'), id: z.number().int().nonnegative(), reply: setupSaveReplySchema }),
]);
export type SetupPortOut = z.infer<typeof setupPortOutSchema>;
