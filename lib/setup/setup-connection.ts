/**
 * The setup frame's side of its link to the worker (lib/background/setup-handlers.ts): one Port, attached with the
 * one-time token the page's setup script posted to this frame, re-attached with the session secret if the worker
 * restarts. As for the audit panel (lib/panel-connection.ts), the page shares the parent window and may post forged
 * tokens, so each token heard gets one try until one is accepted.
 */
import { browser } from 'wxt/browser';
import type { ItemField, SiteProfile } from '../schemas';
import { requestSitePermission, type PermissionsRequest } from '../site-permissions';
import type { CheckAnswer, SetupClient, SetupConnection } from './setup-client';
import {
  SETUP_PORT,
  SETUP_TOKEN_MESSAGE,
  setupPortOutSchema,
  type FieldSources,
  type PickOutcome,
  type PickerWords,
  type SetupPortIn,
  type SetupProblem,
  type SetupSaveReply,
  type SetupStart,
} from './setup-protocol';

/** Calls `listener` with every setup token the parent window posts to this frame. */
export type SetupTokenSource = (listener: (token: string) => void) => () => void;

export function setupTokensFrom(win: Window): SetupTokenSource {
  return (listener) => {
    const onMessage = (event: MessageEvent) => {
      if (event.source !== win.parent) return;
      const data: unknown = event.data;
      if (typeof data === 'object' && data !== null && 'type' in data && data.type === SETUP_TOKEN_MESSAGE && 'token' in data && typeof data.token === 'string') {
        listener(data.token);
      }
    };
    win.addEventListener('message', onMessage);
    return () => win.removeEventListener('message', onMessage);
  };
}

const NOT_ANSWERED: SetupProblem = { code: 'not-answered' };

const RECONNECT_DELAYS_MS = [50, 250, 1000, 3000];
const MAX_TOKEN_TRIES = 50;

type Listener<T> = (value: T) => void;

export function createSetupClient(tokens: SetupTokenSource, permissions: PermissionsRequest = browser.permissions): SetupClient {
  const connectionListeners = new Set<Listener<SetupConnection>>();
  const pickListeners = new Set<Listener<PickOutcome>>();
  let connection: SetupConnection = { state: 'connecting' };
  let port: ReturnType<typeof browser.runtime.connect> | undefined;
  let secret: string | undefined;
  let start: SetupStart | undefined;
  let ended = false;
  let attaching = false;
  let attempt = 0;
  let nextId = 0;
  const pendingChecks = new Map<number, (answer: CheckAnswer) => void>();
  const pendingSaves = new Map<number, (reply: SetupSaveReply) => void>();

  function setConnection(next: SetupConnection) {
    connection = next;
    for (const listener of connectionListeners) listener(next);
  }

  /** Requests in flight when the Port died get an answer now, so the UI never waits for ever. */
  function settlePending() {
    for (const resolve of pendingChecks.values()) resolve({ checks: null, problem: NOT_ANSWERED });
    for (const resolve of pendingSaves.values()) resolve({ ok: false, problem: NOT_ANSWERED });
    pendingChecks.clear();
    pendingSaves.clear();
  }

  function connect(first: SetupPortIn) {
    const current = browser.runtime.connect({ name: SETUP_PORT });
    port = current;
    current.onMessage.addListener((raw: unknown) => {
      const parsed = setupPortOutSchema.safeParse(raw);
      if (!parsed.success) return;
      const message = parsed.data;
      switch (message.type) {
        case 'setup/attached':
          secret = message.secret;
          start = message.start;
          attempt = 0;
          attaching = false;
          stopListening();
          setConnection({ state: 'attached', start: message.start });
          break;
        case 'setup/refused':
          attaching = false;
          if (!secret) {
            setConnection({ state: 'refused', reason: message.reason });
            tryNext();
          } else {
            ended = true;
            setConnection({ state: 'refused', reason: message.reason });
          }
          break;
        case 'setup/picked':
          for (const listener of pickListeners) listener(message.pick);
          break;
        case 'setup/checked': {
          const resolve = pendingChecks.get(message.id);
          pendingChecks.delete(message.id);
          resolve?.({ checks: message.checks, ...(message.problem ? { problem: message.problem } : {}) });
          break;
        }
        case 'setup/saved': {
          // Saved and on: the worker ends setup and the page removes this frame; there is nothing to re-attach to.
          if (message.reply.ok && message.reply.enabled) ended = true;
          const resolve = pendingSaves.get(message.id);
          pendingSaves.delete(message.id);
          resolve?.(message.reply);
          break;
        }
      }
    });
    current.onDisconnect.addListener(() => {
      if (port === current) port = undefined;
      settlePending();
      if (ended || !secret || !start) {
        if (!ended && !secret && connection.state === 'connecting') setConnection({ state: 'refused', reason: { code: 'lost' } });
        return;
      }
      // The worker stopped: the setup session is in storage.session, so re-attach with the secret.
      setConnection({ state: 'reconnecting', start });
      const delay = RECONNECT_DELAYS_MS[Math.min(attempt, RECONNECT_DELAYS_MS.length - 1)] ?? 3000;
      attempt += 1;
      const resume = secret;
      secret = undefined;
      setTimeout(() => connect({ type: 'setup/attach', secret: resume }), delay);
    });
    current.postMessage(first);
  }

  const tried = new Set<string>();
  const queue: string[] = [];
  const tryNext = () => {
    if (secret || attaching || ended) return;
    const token = queue.shift();
    if (token === undefined) return;
    attaching = true;
    connect({ type: 'setup/attach', token });
  };
  const stopListening = tokens((token) => {
    if (secret || tried.has(token) || tried.size >= MAX_TOKEN_TRIES) return;
    tried.add(token);
    queue.push(token);
    tryNext();
  });

  function post(message: SetupPortIn): boolean {
    if (!port) return false;
    port.postMessage(message);
    return true;
  }

  return {
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(connection);
      return () => connectionListeners.delete(listener);
    },
    onPick(listener) {
      pickListeners.add(listener);
      return () => pickListeners.delete(listener);
    },
    pick(field: ItemField | null, words?: PickerWords) {
      post({ type: 'setup/pick', field, ...(words ? { words } : {}) });
    },
    check(sources: FieldSources) {
      const id = nextId++;
      return new Promise<CheckAnswer>((resolve) => {
        pendingChecks.set(id, resolve);
        if (!post({ type: 'setup/check', id, sources })) {
          pendingChecks.delete(id);
          resolve({ checks: null, problem: NOT_ANSWERED });
        }
      });
    },
    requestAccess(profile) {
      return requestSitePermission(permissions, profile);
    },
    save(profile: SiteProfile) {
      const id = nextId++;
      return new Promise<SetupSaveReply>((resolve) => {
        pendingSaves.set(id, resolve);
        if (!post({ type: 'setup/save', id, profile })) {
          pendingSaves.delete(id);
          resolve({ ok: false, problem: NOT_ANSWERED });
        }
      });
    },
    cancel() {
      ended = true;
      post({ type: 'setup/cancel' });
    },
  };
}
