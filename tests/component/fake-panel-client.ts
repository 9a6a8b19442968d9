/**
 * An in-memory PanelClient for component tests: it pushes context, host commands and connection states as the
 * worker would, records every request, and answers each kind of request as the test decides: at once with
 * success or a Failure, by rejecting (the worker was unreachable), or not until the test settles it.
 * Fixtures are parsed with the protocol's own schemas, so a test cannot pass on data the worker would never send.
 */
import type { PanelClient, PanelConnection } from '@/lib/panel-client';
import {
  panelContextSchema,
  type Failure,
  type PanelCommandMessage,
  type PanelContext,
  type PanelReplies,
  type SyncSummary,
  type VerdictDraft,
  syncSummarySchema,
} from '@/lib/protocol';
import {
  auditSchema,
  DEFAULT_HOTKEYS,
  DEFAULT_PANEL_LAYOUT,
  DEFAULT_TAXONOMY,
  type Audit,
  type DetectedItem,
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
    history: [],
    layout: DEFAULT_PANEL_LAYOUT,
    sync: SYNC_OFF,
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

export interface FakePanelClient extends PanelClient {
  readonly requests: {
    recordVerdict: FakeRequest<VerdictDraft, PanelReplies['panel/record-verdict']>;
    undo: FakeRequest<{ auditId: string; rev: number }, PanelReplies['panel/undo']>;
    setAuditor: FakeRequest<string, PanelReplies['panel/set-auditor']>;
    setLayout: FakeRequest<PanelLayout, PanelReplies['panel/set-layout']>;
  };
  returnFocusCalls: number;
  takeFocusCalls: number;
  /** As the worker pushes a new context (remembered: a later listener gets it at once). */
  pushContext(context: PanelContext): void;
  /** As a hotkey pressed on the host page arrives. */
  pushCommand(command: PanelCommandMessage): void;
  setConnection(connection: PanelConnection): void;
  listenerCount(): number;
}

export function createFakePanelClient(
  initial: { context?: PanelContext; connection?: PanelConnection } = {},
): FakePanelClient {
  const contexts = new Channel<PanelContext>(initial.context);
  const commands = new Channel<PanelCommandMessage>(undefined);
  const connections = new Channel<PanelConnection>(initial.connection);
  const today = () => contexts.latest?.today ?? { day: '2025-11-22', audited: 0 };

  const requests: FakePanelClient['requests'] = {
    recordVerdict: new FakeRequest((draft) => ({ ok: true, audit: makeAudit(draft), today: today() })),
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
      today: today(),
    })),
    setAuditor: new FakeRequest(() => ({ ok: true })),
    setLayout: new FakeRequest(() => ({ ok: true })),
  };

  const client: FakePanelClient = {
    requests,
    returnFocusCalls: 0,
    takeFocusCalls: 0,
    recordVerdict: (draft) => requests.recordVerdict.handle(draft),
    undo: (auditId, rev) => requests.undo.handle({ auditId, rev }),
    setAuditor: (auditorId) => requests.setAuditor.handle(auditorId),
    setLayout: (layout) => requests.setLayout.handle(layout),
    takeFocus: async () => {
      client.takeFocusCalls += 1;
    },
    returnFocus: async () => {
      client.returnFocusCalls += 1;
    },
    onContext: (listener) => contexts.subscribe(listener, true),
    onCommand: (listener) => commands.subscribe(listener, false),
    onConnection: (listener) => connections.subscribe(listener, true),
    pushContext: (context) => contexts.emit(panelContextSchema.parse(context), true),
    pushCommand: (command) => commands.emit(command, false),
    setConnection: (connection) => connections.emit(connection, true),
    listenerCount: () => contexts.size + commands.size + connections.size,
  };
  return client;
}
