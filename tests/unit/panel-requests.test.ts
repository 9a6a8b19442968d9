/**
 * The panel's requests travel on its attached Port, each answered there by id (lib/panel-connection.ts), instead
 * of a `runtime.sendMessage` channel per request (issue 6). A request the worker refuses, or one left unanswered
 * when the worker stops, reaches the panel as a failure it can show, never as a hang.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { createPanelClient, KEEPALIVE_IDLE_MS, KEEPALIVE_MS, type PanelTokenOffer } from '@/lib/panel-connection';
import { panelPortOutSchema, type PanelPortIn, type PanelPortOut } from '@/lib/protocol';
import { makePanelContext } from '../component/fake-panel-client';

type Listener = (message: unknown) => void;
type Call = Extract<PanelPortIn, { type: 'panel/call' }>;

const SECRET = 'secret-0123456789abcdef';
const item = { siteId: 'modqueue', itemId: 'MQ-1', itemUrl: 'http://127.0.0.1/modqueue/item/MQ-1' };
const audit = {
  ...item,
  id: '8f0e2c4a-3b1d-4e5f-9a6b-7c8d9e0f1a2b',
  rev: 1,
  auditorId: 'qa-1',
  verdict: 'correct',
  errorTags: [],
  taxonomyVersion: 1,
  createdAt: 1_700_000_000_000,
  updatedAt: 1_700_000_000_000,
  deleted: false,
};

/** A worker that accepts any token and hands each call to `answer`; `ports` are the Ports the panel opened. */
function fakeWorker(answer: (call: Call, reply: (message: PanelPortOut) => void) => void) {
  const ports: Array<{ calls: Call[]; keepalives: number[]; push(message: PanelPortOut): void; disconnect(): void }> = [];
  vi.spyOn(browser.runtime, 'connect').mockImplementation(() => {
    const listeners: Listener[] = [];
    const disconnectListeners: Array<() => void> = [];
    const deliver = (message: PanelPortOut) => queueMicrotask(() => listeners.forEach((l) => l(message)));
    const record = { calls: [] as Call[], keepalives: [] as number[], push: deliver, disconnect: () => disconnectListeners.forEach((l) => l()) };
    ports.push(record);
    const port = {
      name: 'panel',
      onMessage: { addListener: (l: Listener) => listeners.push(l), removeListener: () => undefined },
      onDisconnect: { addListener: (l: () => void) => disconnectListeners.push(l), removeListener: () => undefined },
      postMessage: (message: PanelPortIn) => {
        if (message.type === 'panel/attach') return deliver({ type: 'worker/attached', secret: SECRET });
        if (message.type === 'panel/keepalive') return void record.keepalives.push(Date.now());
        record.calls.push(message);
        answer(message, deliver);
      },
      disconnect: () => undefined,
    };
    return port as unknown as ReturnType<typeof browser.runtime.connect>;
  });
  return ports;
}

function attachedClient() {
  const client = createPanelClient((listener: (offer: PanelTokenOffer) => void) => {
    queueMicrotask(() => listener({ token: 'ours' }));
    return () => undefined;
  });
  return client;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('panel requests on the attached Port', () => {
  it('sends a verdict signed with its secret on the Port, and resolves with the reply of the same id', async () => {
    const sendMessage = vi.spyOn(browser.runtime, 'sendMessage');
    const ports = fakeWorker((call, reply) => {
      // Answered out of order: an earlier id's reply after a later one must not be mixed up.
      setTimeout(() => reply({ type: 'worker/reply', id: call.id, reply: { ok: true, audit: { ...audit, rev: call.id + 1 } } }), call.id === 0 ? 20 : 0);
    });
    const client = attachedClient();
    const first = client.recordVerdict({ item, input: { verdict: 'correct', errorTags: [] } });
    const second = client.recordVerdict({ item, input: { verdict: 'correct', errorTags: [] } });
    expect(await second).toMatchObject({ ok: true, audit: { rev: 2 } });
    expect(await first).toMatchObject({ ok: true, audit: { rev: 1 } });
    expect(ports[0]!.calls.map((call) => call.request)).toEqual([
      { type: 'panel/record-verdict', secret: SECRET, draft: { item, input: { verdict: 'correct', errorTags: [] } } },
      { type: 'panel/record-verdict', secret: SECRET, draft: { item, input: { verdict: 'correct', errorTags: [] } } },
    ]);
    expect(sendMessage).not.toHaveBeenCalled();
  });

  it('turns a refused request into a failure the panel can show', async () => {
    fakeWorker((call, reply) => reply({ type: 'worker/call-refused', id: call.id, reason: 'the panel is not attached to this tab' }));
    const reply = await attachedClient().recordVerdict({ item, input: { verdict: 'correct', errorTags: [] } });
    expect(reply).toMatchObject({ ok: false, error: { code: 'storage-unavailable', message: expect.stringMatching(/not attached to this tab/) } });
  });

  it('fails a request still waiting when the worker stops, and sends the next on the Port it re-attaches with', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const ports = fakeWorker((call, reply) => {
        if (ports.length > 1) reply({ type: 'worker/reply', id: call.id, reply: { ok: true, audit } });
      });
      const client = attachedClient();
      const waiting = client.recordVerdict({ item, input: { verdict: 'correct', errorTags: [] } });
      await vi.waitFor(() => expect(ports[0]!.calls).toHaveLength(1));
      ports[0]!.disconnect();
      expect(await waiting).toMatchObject({ ok: false, error: { code: 'storage-unavailable', message: expect.stringMatching(/stopped before it answered/) } });

      const next = client.recordVerdict({ item, input: { verdict: 'correct', errorTags: [] } });
      await vi.advanceTimersByTimeAsync(100); // the client's first reconnect delay
      expect(await next).toMatchObject({ ok: true });
      expect(ports).toHaveLength(2);
      expect(ports[1]!.calls).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('keeping the worker up while the analyst works', () => {
  const verdict = { item, input: { verdict: 'correct' as const, errorTags: [] } };
  /** A context push as the worker sends it, checked as the client checks it. */
  const contextShownAt = (shownAt: number) => panelPortOutSchema.parse({ type: 'worker/context', context: makePanelContext({ shownAt }) });

  it('sends a keepalive on the Port every 25 s, stops after 10 idle minutes, and starts again with a verdict or a new item', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'Date'] });
    try {
      const ports = fakeWorker((call, reply) => reply({ type: 'worker/reply', id: call.id, reply: { ok: true, audit } }));
      const client = attachedClient();
      await vi.waitFor(() => expect(ports).toHaveLength(1));
      await vi.advanceTimersByTimeAsync(2 * KEEPALIVE_MS);
      expect(ports[0]!.keepalives).toHaveLength(2);

      // Nothing done since the panel opened: the last keepalive is the one before the 10 minutes are up.
      await vi.advanceTimersByTimeAsync(KEEPALIVE_IDLE_MS);
      const untilIdle = KEEPALIVE_IDLE_MS / KEEPALIVE_MS - 1;
      expect(ports[0]!.keepalives).toHaveLength(untilIdle);
      // The same item pushed again (after a sync run, say) is not the analyst at work.
      ports[0]!.push(contextShownAt(1));
      ports[0]!.push(contextShownAt(1));
      await vi.advanceTimersByTimeAsync(4 * KEEPALIVE_MS);
      expect(ports[0]!.keepalives).toHaveLength(untilIdle + 4);
      await vi.advanceTimersByTimeAsync(KEEPALIVE_IDLE_MS);
      const afterItem = ports[0]!.keepalives.length;
      ports[0]!.push(contextShownAt(1));
      await vi.advanceTimersByTimeAsync(4 * KEEPALIVE_MS);
      expect(ports[0]!.keepalives).toHaveLength(afterItem);

      expect(await client.recordVerdict(verdict)).toMatchObject({ ok: true });
      await vi.advanceTimersByTimeAsync(KEEPALIVE_MS);
      expect(ports[0]!.keepalives).toHaveLength(afterItem + 1);
    } finally {
      vi.useRealTimers();
    }
  });
});
