/**
 * An in-memory PanelClient for component tests: it pushes context, host commands, connection states, the page's
 * note events and anchoring reports as the worker would, records every request, and answers each kind of request
 * as the test decides: at once with success or a Failure, by rejecting (the worker was unreachable), or not until
 * the test settles it.
 * Fixtures are parsed with the protocol's own schemas, so a test cannot pass on data the worker would never send.
 */
import type { NoteAnchors, NoteDraft, PageNoteEvent, PanelClient, PanelConnection } from '@/lib/panel-client';
import {
  panelContextSchema,
  type Failure,
  type PanelCommandMessage,
  type PanelContext,
  type NoteThread,
  type PanelReplies,
  type SyncSummary,
  type VerdictDraft,
  syncSummarySchema,
} from '@/lib/protocol';
import {
  auditSchema,
  noteSchema,
  DEFAULT_HOTKEYS,
  DEFAULT_PANEL_LAYOUT,
  DEFAULT_TAXONOMY,
  type Audit,
  type DetectedItem,
  type Note,
  type NoteTarget,
  type PanelLayout,
} from '@/lib/schemas';

export type Answer = { kind: 'ok' } | { kind: 'pending' } | { kind: 'fail'; error: Failure } | { kind: 'reject'; error: Error };

export interface FakeCall<Args, Reply> {
  args: Args;
  resolve(reply: Reply): void;
  reject(error: unknown): void;
  /** Answer with what `ok` would have answered. */
  resolveOk(): void;
}

/** One request kind: how it answers next, and every call made so far. */
export class FakeRequest<Args, Reply> {
  answer: Answer = { kind: 'ok' };
  readonly calls: Array<FakeCall<Args, Reply>> = [];

  constructor(private readonly okReply: (args: Args) => Reply) {}

  handle(args: Args): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      const call: FakeCall<Args, Reply> = { args, resolve, reject, resolveOk: () => resolve(this.okReply(args)) };
      this.calls.push(call);
      const answer = this.answer;
      if (answer.kind === 'ok') call.resolveOk();
      else if (answer.kind === 'fail') resolve({ ok: false, error: answer.error } as Reply);
      else if (answer.kind === 'reject') reject(answer.error);
    });
  }

  get args(): Args[] {
    return this.calls.map((call) => call.args);
  }
}

type Listener<T> = (value: T) => void;

class Channel<T> {
  private readonly listeners = new Set<Listener<T>>();
  constructor(public latest: T | undefined) {}
  subscribe(listener: Listener<T>, replay: boolean): () => void {
    this.listeners.add(listener);
    if (replay && this.latest !== undefined) listener(this.latest);
    return () => this.listeners.delete(listener);
  }
  emit(value: T, remember: boolean) {
    if (remember) this.latest = value;
    for (const listener of [...this.listeners]) listener(value);
  }
  get size() {
    return this.listeners.size;
  }
}

export const AUDITOR = 'qa-ana';
export const NOW = 1_763_798_400_000;

export function makeItem(itemId = 'MQ-1001', overrides: Partial<DetectedItem> = {}): DetectedItem {
  return {
    siteId: 'modqueue',
    itemId,
    itemUrl: `https://modqueue.example.com/review/${itemId}`,
    labelerId: 'lab-17',
    labelerDecision: 'allow',
    queue: 'hate-speech',
    ...overrides,
  };
}

/** What the worker pushes when sync is not set up: the panel says nothing about it. */
export const SYNC_OFF: SyncSummary = {
  configured: false,
  pending: 0,
  pendingCapped: false,
  rejected: 0,
  lastSuccessAt: null,
  pausedForAuth: false,
  problem: null,
};

/** A configured sync with nothing wrong; tests override what they look at. */
export function makeSyncSummary(overrides: Partial<SyncSummary> = {}): SyncSummary {
  return syncSummarySchema.parse({ ...SYNC_OFF, configured: true, ...overrides });
}

export function makePanelContext(overrides: Partial<PanelContext> = {}): PanelContext {
  return panelContextSchema.parse({
    siteId: 'modqueue',
    siteName: 'ModQueue',
    reading: { status: 'found', item: makeItem(), problems: [] },
    shownAt: NOW - 4_000,
    taxonomy: DEFAULT_TAXONOMY,
    hotkeys: DEFAULT_HOTKEYS,
    auditorId: AUDITOR,
    undoWindowMs: 10_000,
    today: { day: '2025-11-22', audited: 12 },
    wellbeing: { viewed: 15, activeSince: null, breakAfterMinutes: 50 },
    locale: 'auto',
    history: [],
    layout: DEFAULT_PANEL_LAYOUT,
    sync: SYNC_OFF,
    notes: [],
    anchors: null,
    ...overrides,
  });
}

let auditCount = 0;

/** The audit the worker would store for a draft (rev 1 unless told). */
export function makeAudit(draft: VerdictDraft, overrides: Partial<Audit> = {}): Audit {
  auditCount += 1;
  const id = `00000000-0000-4000-8000-${String(auditCount).padStart(12, '0')}`;
  return auditSchema.parse({
    id,
    rev: 1,
    createdAt: NOW,
    updatedAt: NOW,
    deleted: false,
    ...draft.item,
    auditorId: AUDITOR,
    ...draft.input,
    taxonomyVersion: 1,
    ...overrides,
  });
}

let noteCount = 0;

/** A fresh note id, unlike any audit's. */
export function nextNoteId(): string {
  noteCount += 1;
  return `10000000-0000-4000-8000-${String(noteCount).padStart(12, '0')}`;
}

export const QUOTE_TARGET: NoteTarget = {
  kind: 'text',
  quote: { type: 'TextQuoteSelector', exact: 'you people are all the same', prefix: 'I said ', suffix: ' and' },
  position: { type: 'TextPositionSelector', start: 120, end: 147 },
};

export const ELEMENT_TARGET: NoteTarget = {
  kind: 'element',
  css: { type: 'CssSelector', value: '#decision > button.approve' },
  description: 'button “Approve”',
};

/** A root note on `makeItem()` by a mentor, parsed by the record schema (override anything). */
export function makeNote(overrides: Partial<Note> = {}): Note {
  const item = makeItem();
  return noteSchema.parse({
    id: nextNoteId(),
    rev: 1,
    createdAt: NOW - 300_000,
    updatedAt: NOW - 300_000,
    deleted: false,
    siteId: item.siteId,
    itemId: item.itemId,
    itemUrl: item.itemUrl,
    authorId: 'mentor-mo',
    target: QUOTE_TARGET,
    body: 'This is a slur against a protected group: remove.',
    ...overrides,
  });
}

/** A reply (or acknowledgement) under `parent`. */
export function makeReply(parent: Note, overrides: Partial<Note> = {}): Note {
  return noteSchema.parse({
    id: nextNoteId(),
    rev: 1,
    createdAt: NOW - 60_000,
    updatedAt: NOW - 60_000,
    deleted: false,
    siteId: parent.siteId,
    itemId: parent.itemId,
    itemUrl: parent.itemUrl,
    authorId: AUDITOR,
    parentId: parent.id,
    body: 'Understood, thanks.',
    ...overrides,
  });
}

export function makeThread(note: Note, replies: Note[] = []): NoteThread {
  return { note, replies };
}

export interface FakePanelClient extends PanelClient {
  readonly requests: {
    recordVerdict: FakeRequest<VerdictDraft, PanelReplies['panel/record-verdict']>;
    undo: FakeRequest<{ auditId: string; rev: number }, PanelReplies['panel/undo']>;
    setAuditor: FakeRequest<string, PanelReplies['panel/set-auditor']>;
    setLayout: FakeRequest<PanelLayout, PanelReplies['panel/set-layout']>;
    capture: FakeRequest<'start' | 'stop', PanelReplies['panel/capture']>;
    saveNote: FakeRequest<NoteDraft, PanelReplies['panel/save-note']>;
    replyToNote: FakeRequest<{ parentId: string; reply: { body?: string; acknowledged?: boolean } }, PanelReplies['panel/reply-note']>;
    deleteNote: FakeRequest<string, PanelReplies['panel/delete-note']>;
  };
  returnFocusCalls: number;
  takeFocusCalls: number;
  dismissBreakCalls: number;
  /** Every `showNote` call's argument, in order. */
  readonly showNoteCalls: Array<string | null>;
  /** As the worker pushes a new context (remembered: a later listener gets it at once). */
  pushContext(context: PanelContext): void;
  /** As a hotkey pressed on the host page arrives. */
  pushCommand(command: PanelCommandMessage): void;
  setConnection(connection: PanelConnection): void;
  /** As the page reports which notes it anchored (remembered, as the real client does). */
  pushAnchors(anchors: NoteAnchors): void;
  /** As annotate mode ends on the page, or a highlight is focused there. */
  pushPageNoteEvent(event: PageNoteEvent): void;
  /** Listeners on context, commands and connection. */
  listenerCount(): number;
  /** Listeners on anchoring reports and page note events. */
  noteListenerCount(): number;
}

export function createFakePanelClient(
  initial: { context?: PanelContext; connection?: PanelConnection } = {},
): FakePanelClient {
  const contexts = new Channel<PanelContext>(initial.context);
  const commands = new Channel<PanelCommandMessage>(undefined);
  const connections = new Channel<PanelConnection>(initial.connection);
  const anchors = new Channel<NoteAnchors>(undefined);
  const pageNoteEvents = new Channel<PageNoteEvent>(undefined);

  const requests: FakePanelClient['requests'] = {
    recordVerdict: new FakeRequest((draft) => ({ ok: true, audit: makeAudit(draft) })),
    undo: new FakeRequest(({ auditId, rev }) => ({
      ok: true,
      audit: auditSchema.parse({
        id: auditId,
        rev: rev + 1,
        createdAt: NOW,
        updatedAt: NOW,
        deleted: true,
        deletedAt: NOW,
        ...makeItem(),
        auditorId: AUDITOR,
        verdict: 'correct',
        errorTags: [],
        taxonomyVersion: 1,
      }),
    })),
    setAuditor: new FakeRequest(() => ({ ok: true })),
    setLayout: new FakeRequest(() => ({ ok: true })),
    capture: new FakeRequest(() => ({ ok: true })),
    saveNote: new FakeRequest((draft) => ({
      ok: true,
      note: makeNote({
        siteId: draft.item.siteId,
        itemId: draft.item.itemId,
        itemUrl: draft.item.itemUrl,
        authorId: contexts.latest?.auditorId ?? AUDITOR,
        target: draft.target,
        body: draft.body,
        ...(draft.errorTag ? { errorTag: draft.errorTag } : {}),
        createdAt: NOW,
        updatedAt: NOW,
      }),
    })),
    replyToNote: new FakeRequest(({ parentId, reply }) => ({
      ok: true,
      note: makeReply(makeNote({ id: parentId }), {
        createdAt: NOW,
        updatedAt: NOW,
        authorId: contexts.latest?.auditorId ?? AUDITOR,
        body: reply.body,
        ...(reply.acknowledged ? { acknowledged: true } : {}),
      }),
    })),
    deleteNote: new FakeRequest((noteId) => ({
      ok: true,
      note: makeNote({ id: noteId, rev: 2, deleted: true, deletedAt: NOW, updatedAt: NOW, authorId: contexts.latest?.auditorId ?? AUDITOR }),
    })),
  };

  const client: FakePanelClient = {
    requests,
    returnFocusCalls: 0,
    takeFocusCalls: 0,
    dismissBreakCalls: 0,
    showNoteCalls: [],
    recordVerdict: (draft) => requests.recordVerdict.handle(draft),
    undo: (auditId, rev) => requests.undo.handle({ auditId, rev }),
    setAuditor: (auditorId) => requests.setAuditor.handle(auditorId),
    setLayout: (layout) => requests.setLayout.handle(layout),
    capture: (action) => requests.capture.handle(action),
    saveNote: (draft) => requests.saveNote.handle(draft),
    replyToNote: (parentId, reply) => requests.replyToNote.handle({ parentId, reply }),
    deleteNote: (noteId) => requests.deleteNote.handle(noteId),
    showNote: async (noteId) => {
      client.showNoteCalls.push(noteId);
    },
    takeFocus: async () => {
      client.takeFocusCalls += 1;
    },
    returnFocus: async () => {
      client.returnFocusCalls += 1;
    },
    dismissBreak: async () => {
      client.dismissBreakCalls += 1;
    },
    onContext: (listener) => contexts.subscribe(listener, true),
    onCommand: (listener) => commands.subscribe(listener, false),
    onConnection: (listener) => connections.subscribe(listener, true),
    onAnchors: (listener) => anchors.subscribe(listener, true),
    onPageNoteEvent: (listener) => pageNoteEvents.subscribe(listener, false),
    pushContext: (context) => contexts.emit(panelContextSchema.parse(context), true),
    pushCommand: (command) => commands.emit(command, false),
    setConnection: (connection) => connections.emit(connection, true),
    pushAnchors: (report) => anchors.emit(report, true),
    pushPageNoteEvent: (event) => pageNoteEvents.emit(event, false),
    listenerCount: () => contexts.size + commands.size + connections.size,
    noteListenerCount: () => anchors.size + pageNoteEvents.size,
  };
  return client;
}
