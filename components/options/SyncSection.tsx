/**
 * Options › Sync: the endpoint's base URL and sync on/off (DESIGN.md, "Sync contract v1"), with the token
 * (SyncTokenForm) and "Test connection" (SyncConnectionTest) below. The endpoint is part of the settings (exported
 * with them); the token is not: it goes into the extension's IndexedDB, and this page only shows whether one is set.
 *
 * Turning sync on asks for the endpoint's host permission. The request is made synchronously in the submit or
 * click handler (no await before it), because browsers only prompt within the user's gesture.
 */
import { useState, type FormEvent } from 'react';
import { browser } from 'wxt/browser';
import type { LoupeDatabase } from '../../lib/db';
import type { PageRequest } from '../../lib/protocol';
import type { Settings } from '../../lib/schemas';
import type { SitePermissionsApi } from '../../lib/site-permissions';
import { requestEndpointPermission } from '../../lib/sync/endpoint-permission';
import { SaveBar, SectionMessages, TextField } from './Field';
import { splitIssues, type Issue, type SplitIssues } from './form-issues';
import { accessLabel, endpointProblem } from './sync-endpoint';
import { SyncConnectionTest } from './SyncConnectionTest';
import { SyncTokenForm } from './SyncTokenForm';
import type { SaveSettings } from './types';
import { useEndpointAccess } from './use-endpoint-access';
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
      <SyncTokenForm db={db} syncNow={syncNow} />
      <SyncConnectionTest endpoint={draft.endpoint.trim()} db={db} permissions={permissions} fetchFn={fetchFn} />
    </section>
  );
}
