/**
 * Options › Sync › Token: whether a token is set, and replacing or removing it. The token goes through
 * `saveSyncToken` into the extension's IndexedDB, never into the settings, and is never read back into the page.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { LoupeDatabase } from '../../lib/db';
import { loadSyncToken, saveSyncToken } from '../../lib/sync/status';
import { Field, SectionMessages, type StatusMessage } from './Field';
import { useT, type OptionsT } from './i18n';

/** What a token may be: it travels in an HTTP header, which takes no spaces, line breaks or non-ASCII. */
function tokenProblem(token: string, t: OptionsT['t']): string | null {
  if (!token) return t('options.token.empty');
  if (token.length > 4096) return t('options.token.tooLong');
  if (!/^[\x21-\x7e]+$/.test(token)) return t('options.token.invalid');
  return null;
}

type TokenState = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; set: boolean };

export interface SyncTokenFormProps {
  db: LoupeDatabase;
  /** Asks the worker to sync now; resolves to a note when it could not be told. */
  syncNow: () => Promise<string | undefined>;
}

/** Whether a token is set, and replacing or removing it. The token itself is never read back into the page. */
export function SyncTokenForm({ db, syncNow }: SyncTokenFormProps) {
  const { t } = useT();
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
      setStatus({ kind: 'error', text: t(value ? 'options.token.notSaved' : 'options.token.notRemoved', { error: String(failure) }) });
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
    const problem = tokenProblem(value, t);
    if (problem) {
      setError(problem);
      inputRef.current?.focus();
      return;
    }
    void write(value, t('options.token.saved'));
  }

  const isSet = token.kind === 'ready' && token.set;
  return (
    <div className="sync-token" role="group" aria-labelledby="sync-token-title">
      <h3 id="sync-token-title">{t('options.token.title')}</h3>
      <p data-testid="sync-token-state">
        {token.kind === 'loading'
          ? t('options.token.checking')
          : token.kind === 'failed'
            ? t('options.token.checkFailed', { error: token.message })
            : token.set
              ? t('options.token.set')
              : t('options.token.none')}
      </p>
      {editing ? (
        <form onSubmit={onSubmit} noValidate>
          <Field label={isSet ? t('options.token.new') : t('options.token.label')} hint={t('options.token.hint')} error={error}>
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
              {t('options.token.save')}
            </button>
            <button type="button" className="button" onClick={close}>
              {t('options.form.cancel')}
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
            {isSet ? t('options.token.replace') : t('options.token.add')}
          </button>
          {isSet ? (
            <button
              type="button"
              className="button button--danger"
              aria-disabled={busy || undefined}
              onClick={() => void write(null, t('options.token.removed'))}
            >
              {t('options.token.remove')}
            </button>
          ) : null}
        </div>
      ) : null}
      <SectionMessages invalid={false} status={status} />
    </div>
  );
}
