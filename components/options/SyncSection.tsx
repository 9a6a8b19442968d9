/**
 * Options › Sync: the endpoint's base URL, sync on/off, the token, and "Test connection" (DESIGN.md, "Sync
 * contract v1"). The endpoint is part of the settings (exported with them); the token is not: it goes through
 * `saveSyncToken` into the extension's IndexedDB, and this page only ever shows whether one is set.
 *
 * Turning sync on asks for the endpoint's host permission. The request is made synchronously in the submit or
 * click handler (no await before it), because browsers only prompt within the user's gesture.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { browser } from 'wxt/browser';
import type { LoupeDatabase } from '../../lib/db';
import type { PageRequest } from '../../lib/protocol';
import { isAllowedEndpoint, type Settings } from '../../lib/schemas';
import type { SitePermissionsApi } from '../../lib/site-permissions';
import { endpointOrigin, hasEndpointPermission, requestEndpointPermission } from '../../lib/sync/endpoint-permission';
import { loadSyncToken, saveSyncToken } from '../../lib/sync/status';
import { testConnection, type ConnectionTestResult } from '../../lib/sync/test-connection';
import { Field, SaveBar, SectionMessages, TextField, type StatusMessage } from './Field';
import { splitIssues, type Issue, type SplitIssues } from './form-issues';
import { originLabel } from './site-access';
import type { SaveSettings, SiteAccess } from './types';
import { useSaveFeedback, useUnsavedFlag } from './use-section-form';

export interface SyncSectionProps {
  settings: Settings;
  save: SaveSettings;
  /** Where the token is kept (never in the settings). */
  db: LoupeDatabase;
  /** `browser.permissions` in the options page; tests pass a fake (WXT's fakeBrowser does not implement it). */
  permissions: SitePermissionsApi;
  /** Asks the worker for a sync run now: `page/sync-now` over runtime messaging by default. */
  requestSync?: () => Promise<unknown>;
  /** Used by "Test connection"; the global fetch by default. */
  fetchFn?: typeof fetch;
}

interface SyncDraft {
  endpoint: string;
  enabled: boolean;
}

const toDraft = (settings: Settings): SyncDraft => ({
  endpoint: settings.sync.endpoint ?? '',
  enabled: settings.sync.enabled,
});

function sendSyncNow(): Promise<unknown> {
  const message: PageRequest<'page/sync-now'> = { type: 'page/sync-now' };
  return browser.runtime.sendMessage(message);
}

/** What is wrong with the address, in words that say what to type instead; null when sync may use it. */
export function endpointProblem(endpoint: string, enabled: boolean): string | null {
  if (!endpoint) return enabled ? 'Enter the endpoint address to turn sync on.' : null;
  if (isAllowedEndpoint(endpoint)) return null;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'Enter a full address, like https://qa.example.com/loupe.';
  }
  if (url.username || url.password) return 'Leave the user name and password out of the address: the token goes below.';
  if (url.search || url.hash) return 'Leave out the ?query and #fragment: enter the base address only.';
  if (url.protocol === 'http:') {
    return 'Use https://. Plain http:// is allowed only for localhost and 127.0.0.1: elsewhere the token and verdicts would travel unencrypted.';
  }
  return 'Use an https:// address (http:// only for localhost or 127.0.0.1).';
}

/** What a token may be: it travels in an HTTP header, which takes no spaces, line breaks or non-ASCII. */
function tokenProblem(token: string): string | null {
  if (!token) return 'Enter the token, or choose Cancel.';
  if (token.length > 4096) return 'That is longer than any token Loupe can send (4,096 characters at most).';
  if (!/^[\x21-\x7e]+$/.test(token)) return 'A token is letters, digits and punctuation, with no spaces.';
  return null;
}

/** `http://127.0.0.1:8787/x` → `http://127.0.0.1`, the origin the browser asks about. */
function accessLabel(endpoint: string): string {
  const origin = endpointOrigin(endpoint);
  return origin ? originLabel(origin) : endpoint;
}

function placeIssues(issues: readonly Issue[]): SplitIssues {
  return splitIssues(issues, (path) => (path[0] === 'sync' && path[1] === 'endpoint' ? 'endpoint' : undefined));
}

const WORKER_NOTE = 'Loupe’s background worker did not answer; it picks up the change when it next starts.';

export function SyncSection({ settings, save, db, permissions, requestSync = sendSyncNow, fetchFn }: SyncSectionProps) {
  const [saved, setSaved] = useState(() => toDraft(settings));
  const [draft, setDraft] = useState(saved);
  // Destructured, not kept as one object: the React compiler treats an object holding a ref as a ref.
  const { errors, problems, status, setStatus, busy, formRef, invalid, refuse, notSaved, saved: announce, whileBusy } =
    useSaveFeedback();
  const unsaved = draft.endpoint.trim() !== saved.endpoint || draft.enabled !== saved.enabled;
  useUnsavedFlag('sync', unsaved);

  const savedEndpoint = settings.sync.endpoint;
  const access = useEndpointAccess(permissions, settings.sync.enabled ? savedEndpoint : undefined);

  function edit(change: Partial<SyncDraft>) {
    setStatus(null);
    setDraft((current) => ({ ...current, ...change }));
  }

  /** Asks the worker to sync; says so in `note` when it could not be told. */
  function syncNow(): Promise<string | undefined> {
    return requestSync().then(
      () => undefined,
      () => WORKER_NOTE,
    );
  }

  /** Saves the sync settings; resolves to whether the worker was told (null when nothing was saved). */
  async function store(endpoint: string, enabled: boolean): Promise<{ notified: boolean } | null> {
    const result = await save((current) => ({ ...current, sync: { enabled, ...(endpoint ? { endpoint } : {}) } }));
    if (!result.ok) {
      notSaved(placeIssues(result.issues), result.error);
      return null;
    }
    const next = toDraft(result.settings);
    setSaved(next);
    setDraft(next);
    access.recheck();
    return { notified: result.notified };
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setStatus(null);
    const endpoint = draft.endpoint.trim();
    const problem = endpointProblem(endpoint, draft.enabled);
    if (problem) {
      refuse({ fields: { endpoint: problem }, other: [] });
      return;
    }
    if (!draft.enabled) {
      void whileBusy(async () => {
        const stored = await store(endpoint, false);
        if (!stored) return;
        announce({ kind: 'success', text: 'Sync is off. Verdicts stay in this browser.', ...(stored.notified ? {} : { note: WORKER_NOTE }) });
      });
      return;
    }
    // First, before anything is awaited: the permission prompt needs this submit's user gesture.
    const asked = requestEndpointPermission(permissions, endpoint);
    void whileBusy(async () => {
      let granted: boolean;
      try {
        granted = await asked;
      } catch (error) {
        announce({ kind: 'error', text: `Not saved: could not ask for access to ${accessLabel(endpoint)} (${String(error)}).` });
        return;
      }
      if (!granted) {
        // Keep what was typed, but sync stays off: without access the browser would block every request.
        if (!(await store(endpoint, false))) return;
        announce({
          kind: 'error',
          text: `Access to ${accessLabel(endpoint)} refused: sync stays off. The address is saved; turn sync on and save again to be asked again.`,
        });
        return;
      }
      const stored = await store(endpoint, true);
      if (!stored) return;
      const note = (await syncNow()) ?? (stored.notified ? undefined : WORKER_NOTE);
      announce({
        kind: 'success',
        text: `Sync is on: verdicts are sent to ${endpoint}.`,
        ...(note ? { note } : {}),
      });
    });
  }

  return (
    <section className="section" aria-labelledby="sync-title" id="sync">
      <h2 id="sync-title">Sync</h2>
      <p className="section__intro">
        Sends your verdicts to your team’s Loupe endpoint. Every verdict is saved in this browser first; sync sends a
        copy, and waits and retries when the endpoint cannot be reached.
      </p>
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <TextField
          label="Endpoint address"
          hint="The base address your team gave you, like https://qa.example.com/loupe. http:// only for localhost or 127.0.0.1."
          type="url"
          value={draft.endpoint}
          onChange={(endpoint) => edit({ endpoint })}
          error={errors.endpoint}
          placeholder="https://"
        />
        <label className="toggle">
          <input type="checkbox" checked={draft.enabled} onChange={(event) => edit({ enabled: event.target.checked })} />
          Sync verdicts to this endpoint
        </label>
        {settings.sync.enabled && savedEndpoint && access.state === 'needed' ? (
          <div className="message message--error" data-testid="sync-access-needed">
            <p>
              Loupe has no access to {accessLabel(savedEndpoint)}, so nothing can be sent. Access may have been removed
              in the browser’s settings.
            </p>
            <button
              type="button"
              className="button button--primary"
              onClick={() => {
                setStatus(null);
                access.grant(savedEndpoint).then(
                  (granted) => {
                    if (!granted) {
                      setStatus({ kind: 'error', text: `Access to ${accessLabel(savedEndpoint)} refused: nothing is sent.` });
                      return;
                    }
                    void syncNow().then((note) =>
                      setStatus({ kind: 'success', text: 'Access granted: sync resumes.', ...(note ? { note } : {}) }),
                    );
                  },
                  (error: unknown) => setStatus({ kind: 'error', text: `Could not ask for access: ${String(error)}` }),
                );
              }}
            >
              Grant access to {accessLabel(savedEndpoint)}
            </button>
          </div>
        ) : null}
        <SectionMessages invalid={invalid} problems={problems} status={status} />
        <SaveBar label="Save sync settings" busy={busy} unsaved={unsaved} />
      </form>
      <SyncToken db={db} syncNow={syncNow} />
      <ConnectionTest endpoint={draft.endpoint.trim()} db={db} permissions={permissions} fetchFn={fetchFn} />
    </section>
  );
}

/** Whether the saved endpoint's origin is granted, checked again when the page regains focus. */
function useEndpointAccess(permissions: SitePermissionsApi, endpoint: string | undefined) {
  const [state, setState] = useState<SiteAccess>('checking');
  const [checks, setChecks] = useState(0);

  useEffect(() => {
    // Access can be taken back in the browser's own UI while this page is open.
    const recheck = () => setChecks((n) => n + 1);
    window.addEventListener('focus', recheck);
    return () => window.removeEventListener('focus', recheck);
  }, []);

  useEffect(() => {
    if (!endpoint) return;
    let live = true;
    hasEndpointPermission(permissions, endpoint).then(
      (granted) => live && setState(granted ? 'granted' : 'needed'),
      () => live && setState('unknown'),
    );
    return () => {
      live = false;
    };
  }, [permissions, endpoint, checks]);

  return {
    state: endpoint ? state : 'checking',
    recheck: () => setChecks((n) => n + 1),
    /** Calls permissions.request at once: call it straight from a click handler. */
    grant(target: string): Promise<boolean> {
      return requestEndpointPermission(permissions, target).then((granted) => {
        setState(granted ? 'granted' : 'needed');
        return granted;
      });
    },
  };
}

type TokenState = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; set: boolean };

/** Whether a token is set, and replacing or removing it. The token itself is never read back into the page. */
function SyncToken({ db, syncNow }: { db: LoupeDatabase; syncNow: () => Promise<string | undefined> }) {
  const [token, setToken] = useState<TokenState>({ kind: 'loading' });
  const [editing, setEditing] = useState(false);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [status, setStatus] = useState<StatusMessage | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    let live = true;
    loadSyncToken(db).then(
      (value) => live && setToken({ kind: 'ready', set: value !== null }),
      (failure: unknown) => live && setToken({ kind: 'failed', message: String(failure) }),
    );
    return () => {
      live = false;
    };
  }, [db]);

  useEffect(() => {
    if (editing) inputRef.current?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      openRef.current?.focus();
    }
  }, [editing]);

  function close() {
    returnFocus.current = true;
    setEditing(false);
    setTyped('');
    setError(undefined);
  }

  async function write(value: string | null, success: string) {
    if (busy) return;
    setBusy(true);
    try {
      await saveSyncToken(db, value);
    } catch (failure) {
      setStatus({ kind: 'error', text: `The token was not ${value ? 'saved' : 'removed'}: ${String(failure)}` });
      return;
    } finally {
      setBusy(false);
    }
    setToken({ kind: 'ready', set: value !== null });
    close();
    // A new token lifts a pause caused by a refused one (saveSyncToken): try again now rather than at the next alarm.
    const note = value ? await syncNow() : undefined;
    setStatus({ kind: 'success', text: success, ...(note ? { note } : {}) });
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setStatus(null);
    const value = typed.trim();
    const problem = tokenProblem(value);
    if (problem) {
      setError(problem);
      inputRef.current?.focus();
      return;
    }
    void write(value, 'Token saved. It stays in this browser’s extension storage and is never exported.');
  }

  const isSet = token.kind === 'ready' && token.set;
  return (
    <div className="sync-token" role="group" aria-labelledby="sync-token-title">
      <h3 id="sync-token-title">Token</h3>
      <p data-testid="sync-token-state">
        {token.kind === 'loading'
          ? 'Checking for a token…'
          : token.kind === 'failed'
            ? `Could not check for a token: ${token.message}`
            : token.set
              ? 'A token is set. It is sent with every request and never shown or exported.'
              : 'No token is set. Requests are sent without one.'}
      </p>
      {editing ? (
        <form onSubmit={onSubmit} noValidate>
          <Field label={isSet ? 'New token' : 'Token'} hint="Paste the token your endpoint’s owners gave you." error={error}>
            {(control) => (
              <input
                {...control}
                ref={inputRef}
                type="password"
                autoComplete="off"
                spellCheck={false}
                value={typed}
                onChange={(event) => {
                  setTyped(event.target.value);
                  setError(undefined);
                }}
              />
            )}
          </Field>
          <div className="save-bar">
            <button type="submit" className="button button--primary" aria-disabled={busy || undefined}>
              Save token
            </button>
            <button type="button" className="button" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      ) : token.kind === 'ready' ? (
        <div className="save-bar">
          <button
            ref={openRef}
            type="button"
            className="button"
            onClick={() => {
              setStatus(null);
              setEditing(true);
            }}
          >
            {isSet ? 'Replace token' : 'Add a token'}
          </button>
          {isSet ? (
            <button
              type="button"
              className="button button--danger"
              aria-disabled={busy || undefined}
              onClick={() => void write(null, 'Token removed. Requests are sent without a token.')}
            >
              Remove token
            </button>
          ) : null}
        </div>
      ) : null}
      <SectionMessages invalid={false} status={status} />
    </div>
  );
}

interface ConnectionTestProps {
  /** The address as typed, saved or not: testing before saving is the point. */
  endpoint: string;
  db: LoupeDatabase;
  permissions: SitePermissionsApi;
  fetchFn: typeof fetch | undefined;
}

type TestState = { kind: 'idle' } | { kind: 'testing'; endpoint: string } | ({ kind: 'done' } & ConnectionTestResult);

/** "Test connection": asks for access to the address (the browser blocks the request without it), then its health. */
function ConnectionTest({ endpoint, db, permissions, fetchFn }: ConnectionTestProps) {
  const [test, setTest] = useState<TestState>({ kind: 'idle' });
  const run = useRef(0);

  function onTest() {
    if (test.kind === 'testing') return;
    const problem = endpointProblem(endpoint, true);
    if (problem) {
      setTest({ kind: 'done', ok: false, message: problem });
      return;
    }
    // Before anything is awaited: the permission prompt needs this click's user gesture.
    const asked = requestEndpointPermission(permissions, endpoint);
    const id = ++run.current;
    setTest({ kind: 'testing', endpoint });
    const finish = (result: ConnectionTestResult) => {
      if (run.current === id) setTest({ kind: 'done', ...result });
    };
    asked
      .then(async (granted) => {
        if (!granted) {
          return { ok: false, message: `Access to ${accessLabel(endpoint)} refused: Loupe cannot reach the endpoint without it.` };
        }
        return testConnection(endpoint, await loadSyncToken(db), fetchFn);
      })
      .then(finish, (error: unknown) => finish({ ok: false, message: `Could not test the connection: ${String(error)}` }));
  }

  return (
    <div className="sync-test" role="group" aria-labelledby="sync-test-title">
      <h3 id="sync-test-title">Test connection</h3>
      <p className="field__hint">Checks the address above with the saved token. Nothing is sent but the check.</p>
      <button type="button" className="button" aria-disabled={test.kind === 'testing' || undefined} onClick={onTest}>
        Test connection
      </button>
      {test.kind === 'done' && !test.ok ? (
        <p role="alert" className="message message--error" data-testid="sync-test-result">
          {test.message}
        </p>
      ) : null}
      <p
        role="status"
        className={test.kind === 'done' && test.ok ? 'message message--success' : 'message message--empty'}
        {...(test.kind === 'done' && test.ok ? { 'data-testid': 'sync-test-result' } : {})}
      >
        {test.kind === 'testing' ? `Testing ${test.endpoint}…` : test.kind === 'done' && test.ok ? test.message : ''}
      </p>
    </div>
  );
}
