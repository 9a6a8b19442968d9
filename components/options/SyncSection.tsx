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
import { useT, type OptionsT } from './i18n';
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

function placeIssues(issues: readonly Issue[], t: OptionsT['t']): SplitIssues {
  return splitIssues(issues, (path) => (path[0] === 'sync' && path[1] === 'endpoint' ? 'endpoint' : undefined), t);
}

export function SyncSection({ settings, save, db, permissions, requestSync = sendSyncNow, fetchFn }: SyncSectionProps) {
  const { t } = useT();
  const workerNote = t('options.sync.workerNote');
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
      () => workerNote,
    );
  }

  /** Saves the sync settings; resolves to whether the worker was told (null when nothing was saved). */
  async function store(endpoint: string, enabled: boolean): Promise<{ notified: boolean } | null> {
    const result = await save((current) => ({ ...current, sync: { enabled, ...(endpoint ? { endpoint } : {}) } }));
    if (!result.ok) {
      notSaved(placeIssues(result.issues, t), result.error);
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
    const problem = endpointProblem(endpoint, draft.enabled, t);
    if (problem) {
      refuse({ fields: { endpoint: problem }, other: [] });
      return;
    }
    if (!draft.enabled) {
      void whileBusy(async () => {
        const stored = await store(endpoint, false);
        if (!stored) return;
        announce({ kind: 'success', text: t('options.sync.off'), ...(stored.notified ? {} : { note: workerNote }) });
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
        announce({ kind: 'error', text: t('options.sync.askFailed', { origin: accessLabel(endpoint), error: String(error) }) });
        return;
      }
      if (!granted) {
        // Keep what was typed, but sync stays off: without access the browser would block every request.
        if (!(await store(endpoint, false))) return;
        announce({
          kind: 'error',
          text: t('options.sync.refusedSaved', { origin: accessLabel(endpoint) }),
        });
        return;
      }
      const stored = await store(endpoint, true);
      if (!stored) return;
      const note = (await syncNow()) ?? (stored.notified ? undefined : workerNote);
      announce({
        kind: 'success',
        text: t('options.sync.on', { endpoint }),
        ...(note ? { note } : {}),
      });
    });
  }

  return (
    <section className="section" aria-labelledby="sync-title" id="sync">
      <h2 id="sync-title">{t('options.section.sync')}</h2>
      <p className="section__intro">{t('options.sync.intro')}</p>
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <TextField
          label={t('options.sync.endpoint')}
          hint={t('options.sync.endpointHint')}
          type="url"
          value={draft.endpoint}
          onChange={(endpoint) => edit({ endpoint })}
          error={errors.endpoint}
          placeholder="https://"
        />
        <label className="toggle">
          <input type="checkbox" checked={draft.enabled} onChange={(event) => edit({ enabled: event.target.checked })} />
          {t('options.sync.enabled')}
        </label>
        {settings.sync.enabled && savedEndpoint && access.state === 'needed' ? (
          <div className="message message--error" data-testid="sync-access-needed">
            <p>{t('options.sync.noAccess', { origin: accessLabel(savedEndpoint) })}</p>
            <button
              type="button"
              className="button button--primary"
              onClick={() => {
                setStatus(null);
                access.grant(savedEndpoint).then(
                  (granted) => {
                    if (!granted) {
                      setStatus({ kind: 'error', text: t('options.sync.accessRefused', { origin: accessLabel(savedEndpoint) }) });
                      return;
                    }
                    void syncNow().then((note) =>
                      setStatus({ kind: 'success', text: t('options.sync.accessGranted'), ...(note ? { note } : {}) }),
                    );
                  },
                  (error: unknown) => setStatus({ kind: 'error', text: t('options.sync.couldNotAsk', { error: String(error) }) }),
                );
              }}
            >
              {t('options.sync.grant', { origin: accessLabel(savedEndpoint) })}
            </button>
          </div>
        ) : null}
        <SectionMessages invalid={invalid} problems={problems} status={status} />
        <SaveBar label={t('options.sync.save')} busy={busy} unsaved={unsaved} />
      </form>
      <SyncTokenForm db={db} syncNow={syncNow} />
      <SyncConnectionTest endpoint={draft.endpoint.trim()} db={db} permissions={permissions} fetchFn={fetchFn} />
    </section>
  );
}
