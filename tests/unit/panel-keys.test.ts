/**
 * The page's keys reach the panel on the channel our content script hands over with the panel's token
 * (lib/content/panel-frame.ts → lib/panel-connection.ts), not through the worker: the panel listens on a channel
 * only once the worker has accepted the token it came with, so a page that posts a forged token and a channel of
 * its own cannot type into the panel.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import type { PanelCommandMessage } from '@/lib/protocol';
import { createPanelClient, type PanelTokenOffer } from '@/lib/panel-connection';

type Listener = (message: unknown) => void;

/** A runtime Port whose worker side the test plays: it answers each attach as `answers` says. */
function fakeWorker(answers: Record<string, 'accept' | 'refuse'>) {
  const posted: unknown[] = [];
  vi.spyOn(browser.runtime, 'connect').mockImplementation(() => {
    const listeners: Listener[] = [];
    const port = {
      name: 'panel',
      onMessage: { addListener: (l: Listener) => listeners.push(l), removeListener: () => undefined },
      onDisconnect: { addListener: () => undefined, removeListener: () => undefined },
      postMessage: (message: { token?: string }) => {
        posted.push(message);
        const answer = message.token ? answers[message.token] : undefined;
        queueMicrotask(() => {
          for (const l of listeners) {
            l(answer === 'accept' ? { type: 'worker/attached', secret: 'secret-0123456789abcdef' } : { type: 'worker/refused', reason: 'not ours' });
          }
        });
      },
      disconnect: () => undefined,
    };
    return port as unknown as ReturnType<typeof browser.runtime.connect>;
  });
  return posted;
}

/** A token source the test feeds by hand, as the frame's parent window would. */
function tokenSource() {
  let listener: ((offer: PanelTokenOffer) => void) | undefined;
  return {
    source: (l: (offer: PanelTokenOffer) => void) => {
      listener = l;
      return () => {
        listener = undefined;
      };
    },
    offer: (offer: PanelTokenOffer) => listener?.(offer),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

const opened: MessagePort[] = [];
function channel(): MessageChannel {
  const made = new MessageChannel();
  opened.push(made.port1, made.port2);
  return made;
}

afterEach(() => {
  for (const port of opened.splice(0)) port.close();
});

/** A panel client whose worker answers attaches as `answers` says, and the keys it hears. */
function listeningPanel(answers: Record<string, 'accept' | 'refuse'>) {
  fakeWorker(answers);
  const tokens = tokenSource();
  const heard: PanelCommandMessage[] = [];
  createPanelClient(tokens.source).onCommand((command) => heard.push(command));
  return { tokens, heard };
}

describe('page keys on the panel channel', () => {
  it('delivers keys sent before the token was accepted, in the order they were pressed', async () => {
    const { tokens, heard } = listeningPanel({ ours: 'accept' });
    const keys = channel();
    keys.port1.postMessage({ kind: 'verdict', verdict: 'incorrect' });
    keys.port1.postMessage({ kind: 'toggle-tag', tagId: 'missed-harm' });
    tokens.offer({ token: 'ours', keys: keys.port2 });
    keys.port1.postMessage({ kind: 'save' });
    await settle();
    expect(heard).toEqual([{ kind: 'verdict', verdict: 'incorrect' }, { kind: 'toggle-tag', tagId: 'missed-harm' }, { kind: 'save' }]);
  });

  it('never listens on the channel of a token the worker refused', async () => {
    const { tokens, heard } = listeningPanel({ forged: 'refuse', ours: 'accept' });
    const page = channel();
    const ours = channel();
    // The page posts first, as it can: a token of its own, and a channel it types a verdict into.
    tokens.offer({ token: 'forged', keys: page.port2 });
    page.port1.postMessage({ kind: 'verdict', verdict: 'correct' });
    tokens.offer({ token: 'ours', keys: ours.port2 });
    await settle();
    page.port1.postMessage({ kind: 'verdict', verdict: 'correct' });
    ours.port1.postMessage({ kind: 'verdict', verdict: 'unsure' });
    await settle();
    expect(heard).toEqual([{ kind: 'verdict', verdict: 'unsure' }]);
  });

  it('drops a key message it does not understand and keeps listening', async () => {
    const { tokens, heard } = listeningPanel({ ours: 'accept' });
    const keys = channel();
    tokens.offer({ token: 'ours', keys: keys.port2 });
    keys.port1.postMessage({ kind: 'verdict', verdict: 'maybe' });
    keys.port1.postMessage({ kind: 'reveal-media' });
    keys.port1.postMessage('1');
    keys.port1.postMessage({ kind: 'undo' });
    await settle();
    expect(heard).toEqual([{ kind: 'undo' }]);
  });
});
