/**
 * The toolbar popup: "Today at a glance" for this auditor or for everyone in this browser (accuracy against the
 * KPI target with its interval, counts, error tags, labelers, the week), sync's state, and the way to options.
 * Everything shown is read from the extension's database, live; nothing waits on the network.
 */
import { useEffect, useState, type MouseEvent } from 'react';
import { browser } from 'wxt/browser';
import { useStore } from 'zustand';
import { getDatabase, type LoupeDatabase } from '../../lib/db';
import type { DaySummary } from '../../lib/leads/day-summary';
import type { PageRequest } from '../../lib/protocol';
import { createPopupStore } from './popup-store';
import { SyncStatus } from './SyncStatus';
import { TodayGlance } from './TodayGlance';
import { usePopupDay, type PopupData } from './use-popup-day';
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
  /**
   * The team's summary for today from a server, when one exists (issue 4's receiver side). Resolving to null
   * means "no summary": "Team" then shows every auditor's audits stored in this browser and says so.
   */
  teamSource?: () => Promise<DaySummary | null>;
  /** Asks the worker to rebuild the day tallies the popup reads; `page/refresh-day-stats` by default. */
  requestDayStats?: () => Promise<unknown>;
  /** Today for "me", read before the first render (readPopupDay), so the popup opens on the day, not "Loading…". */
  initialDay?: PopupData;
}

/** A performance mark set once, when today's summary has first been painted. */
export const SUMMARY_PAINTED_MARK = 'loupe:popup-summary-painted';

function openOptionsPage(): Promise<unknown> {
  return browser.runtime.openOptionsPage();
}

function sendSyncNow(): Promise<unknown> {
  const message: PageRequest<'page/sync-now'> = { type: 'page/sync-now' };
  return browser.runtime.sendMessage(message);
}

function sendRefreshDayStats(): Promise<unknown> {
  const message: PageRequest<'page/refresh-day-stats'> = { type: 'page/refresh-day-stats' };
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
  teamSource,
  requestDayStats = sendRefreshDayStats,
  initialDay,
}: PopupProps) {
  const [store] = useState(createPopupStore);
  const scope = useStore(store, (state) => state.scope);
  const sort = useStore(store, (state) => state.sort);
  const { data, remote } = usePopupDay(db, now, scope, teamSource, requestDayStats, initialDay);
  const [openFailed, setOpenFailed] = useState<string | null>(null);
  const dayShown = data.kind === 'day';
  useEffect(() => {
    // The benchmark's end point (tests/bench/popup.perf.ts): the frame after the day's summary first rendered.
    if (dayShown && performance.getEntriesByName(SUMMARY_PAINTED_MARK).length === 0) {
      requestAnimationFrame(() => performance.mark(SUMMARY_PAINTED_MARK));
    }
  }, [dayShown]);

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
        <nav className="popup__links" aria-label="Loupe pages">
          {/* Trends and root-cause analysis open in a tab of their own: the popup is too small for them. */}
          <a href="/dashboard.html" target="_blank" rel="noopener">
            Dashboard
          </a>
          <a href="/options.html" target="_blank" rel="noopener" onClick={goToOptions}>
            Options
          </a>
        </nav>
      </header>
      <main>
        <PopupBody data={data} onOpenOptions={() => goToOptions()} />
        {data.kind === 'day' ? (
          <TodayGlance
            data={data}
            remote={remote}
            chosen={scope}
            sort={sort}
            onScope={store.getState().setScope}
            onSort={store.getState().sortBy}
          />
        ) : null}
        {data.kind !== 'loading' && data.kind !== 'error' ? (
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

/** Everything but the day itself: loading, errors, first run, and the missing auditor id. */
function PopupBody({ data, onOpenOptions }: { data: PopupData; onOpenOptions: () => void }) {
  switch (data.kind) {
    case 'loading':
      return <p role="status">Loading…</p>;
    case 'error':
      return (
        <div role="alert" className="popup__error">
          {data.what === 'settings' ? (
            <>
              <h2>Loupe’s settings cannot be read</h2>
              <p>Today’s numbers cannot be shown until they are fixed in Options. Verdicts already saved are not affected.</p>
            </>
          ) : (
            <>
              <h2>Loupe’s database is not available</h2>
              <p>Today’s audits cannot be counted right now. Verdicts already saved are not affected.</p>
            </>
          )}
          <p className="popup__detail">{data.message}</p>
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
    case 'day':
      // Without an auditor id nothing of "Me" exists yet; the team's day still shows below the request.
      return data.auditorId === null ? (
        <section aria-labelledby="no-auditor-title" className="popup__warning">
          <h2 id="no-auditor-title">Who is auditing?</h2>
          <p>Loupe records no verdict until your auditor id is set.</p>
          <button type="button" className="popup__button" onClick={onOpenOptions}>
            Set your auditor id
          </button>
        </section>
      ) : null;
  }
}
