/**
 * The toolbar popup, for now: today's count for this auditor, sync's state, and the way to options. The leads'
 * view (accuracy against the KPI target, per labeler and per error type) comes later; nothing here pretends to be it.
 */
import { liveQuery } from 'dexie';
import { useEffect, useState, type MouseEvent } from 'react';
import { browser } from 'wxt/browser';
import { countAuditorDay } from '../../lib/audit-queries';
import { getDatabase, type LoupeDatabase } from '../../lib/db';
import type { PageRequest } from '../../lib/protocol';
import { loadSettings } from '../../lib/settings-store';
import { dayRange, resolveTimeZone } from '../../lib/time';
import { SyncStatus } from './SyncStatus';
import './popup.css';

export interface PopupProps {
  db?: LoupeDatabase;
  now?: () => number;
  /** Opens the options page; `browser.runtime.openOptionsPage` by default. */
  openOptions?: () => Promise<unknown>;
  /** Asks the worker for a sync run now; `page/sync-now` over runtime messaging by default. */
  requestSync?: () => Promise<unknown>;
  /** Saves a file (the rejected records' export); a download link by default. */
  download?: (fileName: string, text: string) => void;
}

type PopupState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'first-run' }
  | { kind: 'no-auditor' }
  | { kind: 'today'; auditorId: string; day: string; count: number; quota: number | undefined };

async function readState(db: LoupeDatabase, now: number): Promise<PopupState> {
  const settings = await loadSettings(db);
  if (!settings.siteProfiles.some((profile) => profile.enabled)) return { kind: 'first-run' };
  if (!settings.auditorId) return { kind: 'no-auditor' };
  const range = dayRange(now, resolveTimeZone(settings.timeZone));
  const count = await countAuditorDay(db, settings.auditorId, range);
  return { kind: 'today', auditorId: settings.auditorId, day: range.day, count, quota: settings.dailyQuota };
}

function openOptionsPage(): Promise<unknown> {
  return browser.runtime.openOptionsPage();
}

function sendSyncNow(): Promise<unknown> {
  const message: PageRequest<'page/sync-now'> = { type: 'page/sync-now' };
  return browser.runtime.sendMessage(message);
}

function downloadFile(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The download has started reading the blob by the time the event loop comes back here.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function Popup({
  db = getDatabase(),
  now = Date.now,
  openOptions = openOptionsPage,
  requestSync = sendSyncNow,
  download = downloadFile,
}: PopupProps) {
  const [state, setState] = useState<PopupState>({ kind: 'loading' });
  const [openFailed, setOpenFailed] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    let subscription: { unsubscribe: () => void } | undefined;
    const fail = (error: unknown) => {
      if (live) setState({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
    };
    // liveQuery waits silently on a database that failed to open (Dexie treats it as closed and maybe reopening),
    // so open it first: a popup stuck on "Loading…" would hide that storage is blocked.
    db.open().then(() => {
      if (!live) return;
      // Re-runs when audits or settings change, so a verdict saved while the popup is open shows up.
      subscription = liveQuery(() => readState(db, now())).subscribe({ next: setState, error: fail });
    }, fail);
    return () => {
      live = false;
      subscription?.unsubscribe();
    };
  }, [db, now]);

  function goToOptions(event?: MouseEvent) {
    event?.preventDefault();
    openOptions().then(
      () => window.close(),
      (error: unknown) => setOpenFailed(error instanceof Error ? error.message : String(error)),
    );
  }

  return (
    <div className="popup">
      <header className="popup__header">
        <h1>Loupe</h1>
        <a href="/options.html" target="_blank" rel="noopener" onClick={goToOptions}>
          Options
        </a>
      </header>
      <main>
        <PopupBody state={state} onOpenOptions={() => goToOptions()} />
        {state.kind !== 'loading' && state.kind !== 'error' ? (
          <SyncStatus db={db} now={now} onOpenOptions={() => goToOptions()} requestSync={requestSync} download={download} />
        ) : null}
        {openFailed ? (
          <p role="alert" className="popup__error">
            Could not open the options page: {openFailed}
          </p>
        ) : null}
      </main>
    </div>
  );
}

function PopupBody({ state, onOpenOptions }: { state: PopupState; onOpenOptions: () => void }) {
  switch (state.kind) {
    case 'loading':
      return <p role="status">Loading…</p>;
    case 'error':
      return (
        <div role="alert" className="popup__error">
          <h2>Loupe’s database is not available</h2>
          <p>Today’s audits cannot be counted right now. Verdicts already saved are not affected.</p>
          <p className="popup__detail">{state.message}</p>
        </div>
      );
    case 'first-run':
      return (
        <section aria-labelledby="first-run-title">
          <h2 id="first-run-title">Welcome to Loupe</h2>
          <p>
            Loupe adds an audit panel to the labeling tool you review in. Tell it which tool that is, and allow it
            to run there; it runs on no other site.
          </p>
          <button type="button" className="popup__button" onClick={onOpenOptions}>
            Set up a site
          </button>
        </section>
      );
    case 'no-auditor':
      return (
        <section aria-labelledby="no-auditor-title">
          <h2 id="no-auditor-title">Who is auditing?</h2>
          <p>Loupe records no verdict until your auditor id is set.</p>
          <button type="button" className="popup__button" onClick={onOpenOptions}>
            Set your auditor id
          </button>
        </section>
      );
    case 'today':
      return (
        <section aria-labelledby="today-title">
          <h2 id="today-title">Today</h2>
          <p className="popup__count" data-testid="today-count">
            <span className="popup__number">{state.count}</span>{' '}
            {state.count === 1 ? 'audit' : 'audits'}
            {state.quota ? ` of ${state.quota}` : ''}
          </p>
          <p className="popup__detail">
            {state.count === 0 ? 'None recorded yet today' : 'Recorded today'} by {state.auditorId} ({state.day}).
          </p>
        </section>
      );
  }
}
