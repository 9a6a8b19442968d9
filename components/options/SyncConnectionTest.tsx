/**
 * Options › Sync › Test connection: checks the address as typed (saved or not) with the saved token, so a wrong
 * address or token shows before anything is saved.
 */
import { useRef, useState } from 'react';
import type { LoupeDatabase } from '../../lib/db';
import { describeProblem } from '../../lib/problems';
import type { SitePermissionsApi } from '../../lib/site-permissions';
import { requestEndpointPermission } from '../../lib/sync/endpoint-permission';
import { loadSyncToken } from '../../lib/sync/status';
import { testConnection, type ConnectionTestResult } from '../../lib/sync/test-connection';
import { useT } from './i18n';
import { accessLabel, endpointProblem } from './sync-endpoint';

export interface SyncConnectionTestProps {
  /** The address as typed, saved or not: testing before saving is the point. */
  endpoint: string;
  db: LoupeDatabase;
  permissions: SitePermissionsApi;
  fetchFn: typeof fetch | undefined;
}

type TestState = { kind: 'idle' } | { kind: 'testing'; endpoint: string } | ({ kind: 'done' } & ConnectionTestResult);

/** "Test connection": asks for access to the address (the browser blocks the request without it), then its health. */
export function SyncConnectionTest({ endpoint, db, permissions, fetchFn }: SyncConnectionTestProps) {
  const { t } = useT();
  const [test, setTest] = useState<TestState>({ kind: 'idle' });
  const run = useRef(0);

  function onTest() {
    if (test.kind === 'testing') return;
    const problem = endpointProblem(endpoint, true, t);
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
          return { ok: false, message: t('options.test.refused', { origin: accessLabel(endpoint) }) };
        }
        // The result's words come from lib/sync/test-connection.ts, said below in the page's language.
        return testConnection(endpoint, await loadSyncToken(db), fetchFn);
      })
      .then(finish, (error: unknown) => finish({ ok: false, message: t('options.test.failed', { error: String(error) }) }));
  }

  return (
    <div className="sync-test" role="group" aria-labelledby="sync-test-title">
      <h3 id="sync-test-title">{t('options.test.title')}</h3>
      <p className="field__hint">{t('options.test.hint')}</p>
      <button type="button" className="button" aria-disabled={test.kind === 'testing' || undefined} onClick={onTest}>
        {t('options.test.button')}
      </button>
      {test.kind === 'done' && !test.ok ? (
        <p role="alert" className="message message--error" data-testid="sync-test-result">
          {describeProblem(test, { t })}
        </p>
      ) : null}
      <p
        role="status"
        className={test.kind === 'done' && test.ok ? 'message message--success' : 'message message--empty'}
        {...(test.kind === 'done' && test.ok ? { 'data-testid': 'sync-test-result' } : {})}
      >
        {test.kind === 'testing' ? t('options.test.testing', { endpoint: test.endpoint }) : test.kind === 'done' && test.ok ? describeProblem(test, { t }) : ''}
      </p>
    </div>
  );
}
