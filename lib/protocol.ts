/**
 * Every message between Loupe's contexts, in one place (STYLE.md §2). Each entry maps a message type to the zod
 * schema its receiver parses and to the type its sender gets back, so a wrong payload is a compile error on the
 * sending side and a clear refusal on the receiving side.
 *
 * Directions:
 * - content script → worker: `runtime.sendMessage`, checked by sender (frame 0 of a tab on an enabled site).
 * - panel → worker: `runtime.sendMessage` carrying the panel's session secret (requests with replies), plus one
 *   `runtime.connect` Port per panel over which the worker pushes context and commands.
 * - worker → content script: `tabs.sendMessage` to frame 0.
 * - extension pages (options, popup) → worker: `runtime.sendMessage` from an extension-origin page.
 *
 * The content script never imports this module's values (zod stays out of the page): it imports types only,
 * and receives nothing but the worker's own messages (`tabs.sendMessage` cannot be called by a page).
 */
import { z } from 'zod';
import { LOCALE_CHOICES } from './i18n/locales';
import type { PageWords } from './i18n/page-words';
import { problemKeySchema, problemParamsSchema } from './problem-schema';
import {
  auditSchema,
  detectedItemSchema,
  hotkeysSchema,
  panelLayoutSchema,
  siteProfileSchema,
  slugSchema,
  taxonomySchema,
  verdictInputSchema,
  verdictSchema,
  ITEM_FIELDS,
  noteSchema,
  noteTargetSchema,
  type NoteTarget,
} from './schemas';
import {
  fieldChecksSchema,
  pickOutcomeSchema,
  readProblemSchema,
  type FieldSources,
  type PickerWords,
  type PickOutcome,
  type SetupProblem,
} from './setup/setup-protocol';

/** Caps keep a hostile or broken sender from handing the worker megabytes to parse. */
const urlSchema = z.string().max(4096);
const secretSchema = z.string().regex(/^[A-Za-z0-9_-]{20,64}$/);

// ---------------------------------------------------------------------------------------------------------------
// Shared payloads

export const fieldProblemSchema = z.strictObject({
  field: z.enum(ITEM_FIELDS),
  /** A code and its values, worded where it is shown: the content script carries no catalogs. */
  problem: readProblemSchema,
});
export type FieldProblemMessage = z.infer<typeof fieldProblemSchema>;

/** What the content script read off the page (see `extractItem` in lib/site-profile.ts). */
export const itemReadingSchema = z.discriminatedUnion('status', [
  z.strictObject({
    status: z.literal('found'),
    item: detectedItemSchema,
    problems: z.array(fieldProblemSchema).max(ITEM_FIELDS.length),
  }),
  z.strictObject({ status: z.literal('missing'), problems: z.array(fieldProblemSchema).max(ITEM_FIELDS.length) }),
]);
export type ItemReadingMessage = z.infer<typeof itemReadingSchema>;

/**
 * A command for the panel, typed on the host page (it comes through the channel handed over with the panel's
 * token, lib/content/panel-frame.ts) or in the panel (see lib/hotkeys.ts).
 */
export const panelCommandSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('verdict'), verdict: verdictSchema }),
  z.strictObject({ kind: z.literal('toggle-tag'), tagId: slugSchema }),
  z.strictObject({ kind: z.literal('save') }),
  z.strictObject({ kind: z.literal('undo') }),
  z.strictObject({ kind: z.literal('help') }),
  z.strictObject({ kind: z.literal('toggle-panel') }),
  z.strictObject({ kind: z.literal('annotate') }),
  z.strictObject({ kind: z.literal('shield-media') }),
]);
export type PanelCommandMessage = z.infer<typeof panelCommandSchema>;

/** Today's count for the auditor, for the panel's progress line. */
export const todayProgressSchema = z.strictObject({
  day: z.string(),
  audited: z.number().int().nonnegative(),
  quota: z.number().int().positive().optional(),
});
export type TodayProgress = z.infer<typeof todayProgressSchema>;

/** What is the analyst's alone (issue 7): never synced, shown only in their own panel. */
export const wellbeingSchema = z.strictObject({
  /** Items shown on this browser today, each once. */
  viewed: z.number().int().nonnegative(),
  /** When the current stretch of work without a break began; null after a break. */
  activeSince: z.number().nullable(),
  /** Remind to rest after this long a stretch; 0: never. */
  breakAfterMinutes: z.number().int().nonnegative(),
});
export type Wellbeing = z.infer<typeof wellbeingSchema>;

/** Sync at a glance, for the panel's compact status line (the popup reads the same from the database). */
export const syncSummarySchema = z.strictObject({
  /** False when no endpoint is set or sync is off: the panel then says nothing about sync. */
  configured: z.boolean(),
  pending: z.number().int().nonnegative(),
  /** More than `pending` wait (counting stops at a cap so a huge backlog cannot slow the popup). */
  pendingCapped: z.boolean(),
  rejected: z.number().int().nonnegative(),
  lastSuccessAt: z.number().nullable(),
  pausedForAuth: z.boolean(),
  problem: z
    .strictObject({
      kind: z.enum(['offline', 'server', 'throttled', 'auth', 'no-permission', 'invalid-response']),
      message: z.string(),
      /** Issue 7: the problem's message and values, for pages to say it in their language (lib/problems.ts). */
      key: problemKeySchema.optional(),
      params: problemParamsSchema.optional(),
      retryAt: z.number().optional(),
    })
    .nullable(),
});
export type SyncSummary = z.infer<typeof syncSummarySchema>;

/** Bounds on what one item's notes may hold in a message; more are listed as "older notes not shown". */
export const MAX_NOTES = 200;
export const MAX_REPLIES = 100;

/** Which of an item's notes the page found after (re-)anchoring; `itemKey` says for which item. */
export const noteAnchorsSchema = z.strictObject({
  itemKey: z.string().max(600),
  found: z.array(z.uuid()).max(MAX_NOTES),
  missing: z.array(z.uuid()).max(MAX_NOTES),
});
export type NoteAnchors = z.infer<typeof noteAnchorsSchema>;

/** Everything the panel shows that it does not own: pushed by the worker whenever any of it changes. */
export const panelContextSchema = z.strictObject({
  siteId: slugSchema,
  siteName: z.string(),
  /** null until the content script has read the page once. */
  reading: itemReadingSchema.nullable(),
  /** When the current item was first seen on this tab (epoch ms), for `durationMs`. */
  shownAt: z.number().nullable(),
  taxonomy: taxonomySchema,
  hotkeys: hotkeysSchema,
  auditorId: z.string().nullable(),
  undoWindowMs: z.number().int().nonnegative(),
  today: todayProgressSchema,
  wellbeing: wellbeingSchema,
  /** The person's language choice (Options → You); the panel has no settings of its own to read it from. */
  locale: z.enum(LOCALE_CHOICES),
  /** Earlier verdicts on the current item, newest first, tombstones excluded. */
  history: z.array(auditSchema).max(50),
  layout: panelLayoutSchema,
  sync: syncSummarySchema,
  /** The current item's notes (issue 5), oldest first, each with its replies; tombstones excluded. */
  notes: z.array(z.strictObject({ note: noteSchema, replies: z.array(noteSchema).max(MAX_REPLIES) })).max(MAX_NOTES),
  /**
   * The page's last anchoring report, kept by the worker: the page usually anchors before the panel has attached
   * (the panel frame loads after the page), and a report the panel never heard would leave its notes "looking".
   */
  anchors: noteAnchorsSchema.nullable(),
});
export type PanelContext = z.infer<typeof panelContextSchema>;
export type NoteThread = PanelContext['notes'][number];

/**
 * Why the worker could not record something: in English (`message`), and as a `problems` message with its values
 * (`key`, `params`) that the panel says in its language, falling back to `message` (lib/problems.ts).
 */
export const failureSchema = z.strictObject({
  code: z.enum(['invalid', 'no-auditor', 'storage-full', 'storage-unavailable', 'not-found', 'expired', 'refused']),
  message: z.string(),
  key: problemKeySchema.optional(),
  params: problemParamsSchema.optional(),
});
export type Failure = z.infer<typeof failureSchema>;

const ok = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ ok: z.literal(true), ...shape });
const failed = z.strictObject({ ok: z.literal(false), error: failureSchema });

// ---------------------------------------------------------------------------------------------------------------
// content script → worker

export const contentRequests = {
  /** The page loaded: is it an enabled site? If so, its profile, keys, layout and a one-time panel token. */
  'content/hello': z.strictObject({ type: z.literal('content/hello'), url: urlSchema }),
  /** The item on screen changed (or could not be read). The worker caches it per tab and tells the panel. */
  'content/item': z.strictObject({ type: z.literal('content/item'), url: urlSchema, reading: itemReadingSchema }),
  /** Annotate mode ended: the target the mentor pointed at (described with W3C selectors), or null if cancelled. */
  'content/captured': z.strictObject({
    type: z.literal('content/captured'),
    target: noteTargetSchema.nullable(),
    /** Why nothing could be pinned (a selection too long, only spaces), in English and by key (lib/problems.ts). */
    problem: z
      .strictObject({ message: z.string().max(300), key: problemKeySchema.optional(), params: problemParamsSchema.optional() })
      .optional(),
  }),
  /** Which of the item's notes were found on the page after (re-)anchoring, for the panel's list. */
  'content/anchors': noteAnchorsSchema.extend({ type: z.literal('content/anchors') }),
  /** The mentee focused or clicked a highlight on the page: the panel shows that note. */
  'content/note-focused': z.strictObject({ type: z.literal('content/note-focused'), noteId: z.uuid() }),
  /**
   * The item has notes, or annotate mode starts: inject the notes bundle (anchoring, highlights, annotate mode)
   * into the page's content-script world. Replies once it has run (issue 6: pages without notes never load it).
   */
  'content/load-notes': z.strictObject({ type: z.literal('content/load-notes') }),
  /** Site setup (issue 7): the setup script the worker injected asks for its frame's one-time token. */
  'content/setup-hello': z.strictObject({
    type: z.literal('content/setup-hello'),
    url: urlSchema,
    title: z.string().max(300),
    /** Whether Loupe's audit panel is on the page (a labeling session runs there already). */
    panel: z.boolean(),
  }),
  /** Site setup: the user picked the element that shows a field, or cancelled pointing. */
  'content/setup-picked': z.strictObject({ type: z.literal('content/setup-picked'), pick: pickOutcomeSchema }),
  /** Site setup: what each source read on the page, for the `worker/setup-check` with this `id`. */
  'content/setup-checked': z.strictObject({
    type: z.literal('content/setup-checked'),
    id: z.number().int().nonnegative(),
    checks: fieldChecksSchema,
  }),
} as const;

export interface ContentReplies {
  'content/hello':
    | { enabled: false }
    | {
        enabled: true;
        profile: z.infer<typeof siteProfileSchema>;
        hotkeys: z.infer<typeof hotkeysSchema>;
        tagHotkeys: Array<{ tagId: string; hotkey: string }>;
        layout: z.infer<typeof panelLayoutSchema>;
        /** Handed to our own panel iframe only, by postMessage targeted at the extension origin. */
        panelToken: string;
        /** What the page script shows on the page, in the user's language (lib/i18n/page-words.ts). */
        words: PageWords;
      };
  'content/item': { ok: true };
  'content/captured': { ok: true };
  'content/anchors': { ok: true };
  'content/note-focused': { ok: true };
  'content/load-notes': { ok: true };
  /** `title`: the setup frame's accessible name, in the user's language. */
  'content/setup-hello': { ok: true; token: string; title: string } | { ok: false };
  'content/setup-picked': { ok: true };
  'content/setup-checked': { ok: true };
}

// ---------------------------------------------------------------------------------------------------------------
// panel → worker (requests)

export const verdictDraftSchema = z.strictObject({
  item: detectedItemSchema,
  input: verdictInputSchema,
});
export type VerdictDraft = z.infer<typeof verdictDraftSchema>;

export const panelRequests = {
  /** Record (or re-record) the auditor's verdict on an item. Replies only after the IndexedDB commit. */
  'panel/record-verdict': z.strictObject({
    type: z.literal('panel/record-verdict'),
    secret: secretSchema,
    draft: verdictDraftSchema,
  }),
  /** Take back the verdict saved as `rev`, if it is still the latest and inside the undo window. */
  'panel/undo': z.strictObject({
    type: z.literal('panel/undo'),
    secret: secretSchema,
    auditId: z.uuid(),
    rev: z.number().int().min(1),
  }),
  /** First-run: who is auditing. */
  'panel/set-auditor': z.strictObject({
    type: z.literal('panel/set-auditor'),
    secret: secretSchema,
    auditorId: z.string().trim().min(1).max(128),
  }),
  /** Dock side / collapsed, remembered per site. */
  'panel/set-layout': z.strictObject({ type: z.literal('panel/set-layout'), secret: secretSchema, layout: panelLayoutSchema }),
  /** Give keyboard focus back to the labeling page (after a save typed in the panel). */
  'panel/return-focus': z.strictObject({ type: z.literal('panel/return-focus'), secret: secretSchema }),
  /**
   * Ask for keyboard focus (a key on the page chose "unsure", whose note is typed next, or opened help). The panel
   * asks only once it has applied that key, so a key typed into it next cannot overtake the relayed one.
   */
  'panel/take-focus': z.strictObject({ type: z.literal('panel/take-focus'), secret: secretSchema }),
  /** The analyst dismissed the break reminder: count the stretch from now. */
  'panel/dismiss-break': z.strictObject({ type: z.literal('panel/dismiss-break'), secret: secretSchema }),
  /** Annotate mode on the page: the mentor selects text or clicks an element (`start`), or stops (`stop`). */
  'panel/capture': z.strictObject({ type: z.literal('panel/capture'), secret: secretSchema, action: z.enum(['start', 'stop']) }),
  /** Pin a new note to the item on this tab; the author is the auditor id. Replies after the commit. */
  'panel/save-note': z.strictObject({
    type: z.literal('panel/save-note'),
    secret: secretSchema,
    item: detectedItemSchema,
    target: noteTargetSchema,
    body: z.string().trim().min(1).max(5000),
    errorTag: slugSchema.optional(),
  }),
  /** Answer a note, and/or say it was read and understood. */
  'panel/reply-note': z.strictObject({
    type: z.literal('panel/reply-note'),
    secret: secretSchema,
    parentId: z.uuid(),
    body: z.string().trim().min(1).max(5000).optional(),
    acknowledged: z.boolean().optional(),
  }),
  /** Delete one's own note or reply (a tombstone, so the delete syncs). */
  'panel/delete-note': z.strictObject({ type: z.literal('panel/delete-note'), secret: secretSchema, noteId: z.uuid() }),
  /** Scroll the page to a note's target and mark it as the one selected. */
  'panel/show-note': z.strictObject({ type: z.literal('panel/show-note'), secret: secretSchema, noteId: z.uuid().nullable() }),
  /**
   * "Set up this site" (issue 7). No secret (the panel client keeps it to itself): the worker checks instead that
   * the request comes from the very frame whose Port is the tab's attached panel.
   */
  'panel/start-setup': z.strictObject({ type: z.literal('panel/start-setup') }),
} as const;

export interface PanelReplies {
  'panel/record-verdict': z.infer<typeof recordVerdictReplySchema>;
  'panel/undo': z.infer<typeof undoReplySchema>;
  'panel/set-auditor': { ok: true } | { ok: false; error: Failure };
  'panel/set-layout': { ok: true } | { ok: false; error: Failure };
  'panel/return-focus': { ok: true } | { ok: false; error: Failure };
  'panel/take-focus': { ok: true } | { ok: false; error: Failure };
  'panel/dismiss-break': { ok: true } | { ok: false; error: Failure };
  'panel/capture': { ok: true } | { ok: false; error: Failure };
  'panel/save-note': z.infer<typeof noteReplySchema>;
  'panel/reply-note': z.infer<typeof noteReplySchema>;
  'panel/delete-note': z.infer<typeof noteReplySchema>;
  'panel/show-note': { ok: true } | { ok: false; error: Failure };
  /** `problem`: why, for the UI to word; `error.message` is its English. */
  'panel/start-setup': { ok: true } | { ok: false; error: Failure; problem?: SetupProblem };
}

export const noteReplySchema = z.union([ok({ note: noteSchema }), failed]);

// The replies carry the audit only: "Saved" waits for nothing but the commit. Today's count reaches the panel in
// the context refresh that follows every verdict and undo.
export const recordVerdictReplySchema = z.union([ok({ audit: auditSchema }), failed]);
export const undoReplySchema = z.union([ok({ audit: auditSchema }), failed]);

// ---------------------------------------------------------------------------------------------------------------
// panel ⇄ worker (Port named PANEL_PORT)

export const PANEL_PORT = 'loupe-panel';

const callIdSchema = z.number().int().nonnegative();

export const panelPortInSchema = z.discriminatedUnion('type', [
  /** First message on a new Port: the one-time token from our content script, or the secret of a resumed session. */
  z.strictObject({ type: z.literal('panel/attach'), token: secretSchema.optional(), secret: secretSchema.optional() }),
  /**
   * One of `panelRequests`, sent on the attached Port rather than with `runtime.sendMessage`, which opens a channel
   * for every request (issue 6: a verdict's way to the worker and back). `request` is checked as any message to the
   * worker is; the reply names `id`.
   */
  z.strictObject({ type: z.literal('panel/call'), id: callIdSchema, request: z.unknown() }),
  /**
   * Nothing to answer: a message on the Port is an event, and events keep the worker from being stopped as idle
   * (lib/panel-connection.ts sends one while the analyst is at work).
   */
  z.strictObject({ type: z.literal('panel/keepalive') }),
]);
export type PanelPortIn = z.infer<typeof panelPortInSchema>;

export const panelPortOutSchema = z.discriminatedUnion('type', [
  /** The panel is ours: keep `secret` in memory to sign requests and to re-attach after the worker restarts. */
  z.strictObject({ type: z.literal('worker/attached'), secret: secretSchema }),
  /** Not ours, or the session expired: the panel renders nothing but this reason. */
  z.strictObject({
    type: z.literal('worker/refused'),
    reason: z.string(),
    key: problemKeySchema.optional(),
    params: problemParamsSchema.optional(),
  }),
  z.strictObject({ type: z.literal('worker/context'), context: panelContextSchema }),
  /** Annotate mode ended on the page: open the composer for `target`, or (null) the mentor cancelled. */
  z.strictObject({
    type: z.literal('worker/captured'),
    target: noteTargetSchema.nullable(),
    problem: z.strictObject({ message: z.string(), key: problemKeySchema.optional(), params: problemParamsSchema.optional() }).optional(),
  }),
  /** Which notes the page found; `itemKey` says for which item, so a late report for another item is ignored. */
  noteAnchorsSchema.extend({ type: z.literal('worker/anchors') }),
  /** A highlight was focused on the page: select that note in the list. */
  z.strictObject({ type: z.literal('worker/note-focused'), noteId: z.string() }),
  /** The answer to `panel/call` number `id`, for the panel to check against that request's reply schema. */
  z.strictObject({ type: z.literal('worker/reply'), id: callIdSchema, reply: z.unknown() }),
  /** `panel/call` number `id` was refused (not understood, or not from this tab's panel): why, in English. */
  z.strictObject({ type: z.literal('worker/call-refused'), id: callIdSchema, reason: z.string() }),
]);
export type PanelPortOut = z.infer<typeof panelPortOutSchema>;

// ---------------------------------------------------------------------------------------------------------------
// worker → content script

export type WorkerToContent =
  | { type: 'worker/layout'; layout: z.infer<typeof panelLayoutSchema> }
  | { type: 'worker/return-focus' }
  | { type: 'worker/focus-panel' }
  /** Settings changed: read the page again with the new profile (or unmount if the site was disabled). */
  | { type: 'worker/reload-config' }
  /** The notes to show for the item on screen (`itemKey` as lib/site-profile's itemKey), replacing any before. */
  | { type: 'worker/notes'; itemKey: string; notes: PageNote[] }
  | { type: 'worker/capture'; action: 'start' | 'stop' }
  | { type: 'worker/show-note'; noteId: string | null }
  /** Site setup (lib/setup/setup-protocol.ts): point at the element that shows `field`; null stops pointing. */
  | { type: 'worker/setup-pick'; field: PickOutcome['field'] | null; words?: PickerWords }
  /** Site setup: read these sources on the page now; the page answers with `content/setup-checked` and this `id`. */
  | { type: 'worker/setup-check'; id: number; sources: FieldSources }
  /** Site setup is over (saved or cancelled): its frame and overlay go. */
  | { type: 'worker/setup-end' };

/** What the page layer needs of a note: where it is pinned and what its tooltip says. No replies' text. */
export interface PageNote {
  id: string;
  target: NoteTarget;
  authorId: string;
  body: string;
  tagLabel?: string;
  replies: number;
  acknowledged: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// extension pages → worker

export const pageRequests = {
  /** Options saved: re-register content scripts for the enabled sites and refresh open panels. */
  'page/settings-changed': z.strictObject({ type: z.literal('page/settings-changed') }),
  /** Sync now (a "retry" button, a new token): the worker starts a run unless one is going. */
  'page/sync-now': z.strictObject({ type: z.literal('page/sync-now') }),
  /** The day tallies are missing or in another zone (the popup fell back to counting audits): rebuild them. */
  'page/refresh-day-stats': z.strictObject({ type: z.literal('page/refresh-day-stats') }),
  /** "Set up this site" in the popup (issue 7): start point-and-click setup on that tab. */
  'page/start-setup': z.strictObject({ type: z.literal('page/start-setup'), tabId: z.number().int().nonnegative() }),
} as const;
export interface PageReplies {
  'page/settings-changed': { ok: true };
  'page/sync-now': { ok: true };
  'page/refresh-day-stats': { ok: true };
  'page/start-setup': { ok: true } | { ok: false; error: Failure; problem?: SetupProblem };
}

// ---------------------------------------------------------------------------------------------------------------

export type ContentRequest<K extends keyof typeof contentRequests> = z.infer<(typeof contentRequests)[K]>;
export type PanelRequest<K extends keyof typeof panelRequests> = z.infer<(typeof panelRequests)[K]>;
export type PageRequest<K extends keyof typeof pageRequests> = z.infer<(typeof pageRequests)[K]>;

/** Every message a worker may receive through `runtime.onMessage`, for the router. */
export const workerInboxSchema = z.discriminatedUnion('type', [
  contentRequests['content/hello'],
  contentRequests['content/item'],
  contentRequests['content/captured'],
  contentRequests['content/anchors'],
  contentRequests['content/note-focused'],
  contentRequests['content/load-notes'],
  contentRequests['content/setup-hello'],
  contentRequests['content/setup-picked'],
  contentRequests['content/setup-checked'],
  panelRequests['panel/record-verdict'],
  panelRequests['panel/undo'],
  panelRequests['panel/set-auditor'],
  panelRequests['panel/set-layout'],
  panelRequests['panel/return-focus'],
  panelRequests['panel/take-focus'],
  panelRequests['panel/dismiss-break'],
  panelRequests['panel/capture'],
  panelRequests['panel/save-note'],
  panelRequests['panel/reply-note'],
  panelRequests['panel/delete-note'],
  panelRequests['panel/show-note'],
  panelRequests['panel/start-setup'],
  pageRequests['page/settings-changed'],
  pageRequests['page/sync-now'],
  pageRequests['page/refresh-day-stats'],
  pageRequests['page/start-setup'],
]);
export type WorkerInbox = z.infer<typeof workerInboxSchema>;

export type ReplyOf<T extends WorkerInbox['type']> = T extends keyof ContentReplies
  ? ContentReplies[T]
  : T extends keyof PanelReplies
    ? PanelReplies[T]
    : T extends keyof PageReplies
      ? PageReplies[T]
      : never;

