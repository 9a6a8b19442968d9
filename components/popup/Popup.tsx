/**
 * The toolbar popup: "Today at a glance" for this auditor or for everyone in this browser (accuracy against the
 * KPI target with its interval, counts, error tags, labelers, the week), sync's state, and the way to options.
 * Everything shown is read from the extension's database, live; nothing waits on the network.
 */
import { lazy, Suspense, useLayoutEffect, useState, type MouseEvent } from 'react';
import { useStore } from 'zustand';
import type { LoupeDatabase } from '../../lib/db';
import type { DaySummary } from '../../lib/leads/day-summary';
import type { Locale } from '../../lib/i18n/locales';
import type { MessageKey } from '../../lib/i18n/messages';
import type { SetupProblem } from '../../lib/setup/setup-protocol';
import type { StartSetupResult } from '../../lib/setup/start-setup';
import { SiteSetupStart } from '../panel/SiteSetupStart';
import { I18nProvider, useLocaleSettingAfterPaint, useT, type PopupT } from './i18n';
import type { PopupData } from './popup-day';
import { createPopupStore } from './popup-store';
import { TodayGlance } from './TodayGlance';
import { usePopupDay } from './use-popup-day';
import './popup.css';

// Issue 4 (open in under 150 ms): what the day's first paint does not show is loaded after it. Sync's section
// reads the outbox live through Dexie and zod; the browser API is only needed when something is clicked.
const SyncStatus = lazy(() => import('./SyncStatus').then(({ SyncStatus }) => ({ default: SyncStatus })));
const browserCalls = () => import('./browser-calls');

export interface PopupProps {
  /** This browser's database; the shared one (lib/db.ts getDatabase) by default. */
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
  /** Today for "me", read before the first render (read-first-day.ts), so the popup opens on the day, not "Loading…". */
  initialDay?: PopupData;
  /** "Set up this site" (issue 7): starts point-and-click setup on the page the popup was opened over. */
  startSetup?: () => Promise<StartSetupResult>;
  /** The language's messages, loaded alongside the popup's code (entrypoints/popup); English otherwise. */
  translator?: PopupT;
}

/** Loaded on click, as the other browser calls are: the popup's first paint does not wait for it. */
/** Site setup's refusals in `locale`, loaded on demand (its catalog is large and the popup rarely needs it). */
async function loadSetupDescriber(locale: Locale): Promise<(problem: SetupProblem) => string> {
  const [{ describeSetupProblem }, { loadTranslator }, common, setup] = await Promise.all([
    import('../../lib/setup/setup-text'),
    import('../../lib/i18n/load'),
    import('../../lib/i18n/catalogs/en/common'),
    import('../../lib/i18n/catalogs/en/setup'),
  ]);
  const translator = await loadTranslator<'common' | 'setup', MessageKey<'common' | 'setup'>>(locale, {
    common: common.default,
    setup: setup.default,
  });
  return (problem) => describeSetupProblem(problem, translator.t);
}

async function startSetupHere(): Promise<StartSetupResult> {
  return (await import('../../lib/setup/start-setup')).startSetupOnActiveTab();
}

/** A performance mark set once, when today's summary has first been painted. */
export const SUMMARY_PAINTED_MARK = 'loupe:popup-summary-painted';

async function openOptionsPage(): Promise<unknown> {
  return (await browserCalls()).openOptionsPage();
}

async function sendSyncNow(): Promise<unknown> {
  return (await browserCalls()).sendSyncNow();
}

async function sendRefreshDayStats(): Promise<unknown> {
  return (await browserCalls()).sendRefreshDayStats();
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

/** The popup in the language of the locale setting, which is read live after the first paint. */
export function Popup({ translator, ...props }: PopupProps) {
  const choice = useLocaleSettingAfterPaint(props.db);
  return (
    <I18nProvider choice={choice} initial={translator}>
      <PopupView {...props} />
    </I18nProvider>
  );
}

function PopupView({
  db,
  now = Date.now,
  openOptions = openOptionsPage,
  requestSync = sendSyncNow,
  download = downloadFile,
  teamSource,
  requestDayStats = sendRefreshDayStats,
  initialDay,
  startSetup = startSetupHere,
}: Omit<PopupProps, 'translator'>) {
  const { t, locale } = useT();
  const [store] = useState(createPopupStore);
  const scope = useStore(store, (state) => state.scope);
  const sort = useStore(store, (state) => state.sort);
  const { data, remote, live } = usePopupDay(db, now, scope, teamSource, requestDayStats, initialDay);
  const [openFailed, setOpenFailed] = useState<string | null>(null);
  // Why setup could not start, in the popup's language: site setup's words load only when it fails, so the
  // popup's first paint does not carry them (issue 4).
  const [describeSetup, setDescribeSetup] = useState<((problem: SetupProblem) => string) | undefined>(undefined);
  const startSetupSaying = async (): Promise<StartSetupResult> => {
    const result = await startSetup();
    if (!result.ok && !describeSetup) {
      const describe = await loadSetupDescriber(locale).catch(() => undefined);
      if (describe) setDescribeSetup(() => describe);
    }
    return result;
  };
  const dayShown = data.kind === 'day';
  useLayoutEffect(() => {
    // The benchmark's end point (tests/bench/popup.perf.ts): the frame that paints the day's summary first, asked
    // for in the commit that put it in the document (as the panel's benchmark times its first item). A passive
    // effect may run after that frame, and its animation frame would then be the next one.
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
        <nav className="popup__links" aria-label={t('popup.links')}>
          {/* Trends and root-cause analysis open in a tab of their own: the popup is too small for them. */}
          <a href="/dashboard.html" target="_blank" rel="noopener">
            {t('popup.dashboard')}
          </a>
          <a href="/options.html" target="_blank" rel="noopener" onClick={goToOptions}>
            {t('popup.options')}
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
        {live && data.kind !== 'loading' && data.kind !== 'error' ? (
          <Suspense fallback={null}>
            <SyncStatus db={db} now={now} onOpenOptions={() => goToOptions()} requestSync={requestSync} download={download} />
          </Suspense>
        ) : null}
        <section className="popup__setup" aria-label={t('popup.thisPage')}>
          <SiteSetupStart
            startSetup={startSetupSaying}
            words={{ setUp: t('popup.setUpSite'), starting: t('popup.setupStarting'), ...(describeSetup ? { problem: describeSetup } : {}) }}
            className="popup__button popup__button--secondary"
            onStarted={() => window.close()}
          />
        </section>
        {openFailed ? (
          <p role="alert" className="popup__error">
            {t('popup.openFailed', { error: openFailed })}
          </p>
        ) : null}
      </main>
    </div>
  );
}

/** Everything but the day itself: loading, errors, first run, and the missing auditor id. */
function PopupBody({ data, onOpenOptions }: { data: PopupData; onOpenOptions: () => void }) {
  const { t } = useT();
  switch (data.kind) {
    case 'loading':
      return <p role="status">{t('popup.loading')}</p>;
    case 'error':
      return (
        <div role="alert" className="popup__error">
          {data.what === 'settings' ? (
            <>
              <h2>{t('popup.error.settingsTitle')}</h2>
              <p>{t('popup.error.settingsText')}</p>
            </>
          ) : (
            <>
              <h2>{t('popup.error.databaseTitle')}</h2>
              <p>{t('popup.error.databaseText')}</p>
            </>
          )}
          <p className="popup__detail">{data.message}</p>
        </div>
      );
    case 'first-run':
      return (
        <section aria-labelledby="first-run-title">
          <h2 id="first-run-title">{t('popup.firstRun.title')}</h2>
          <p>{t('popup.firstRun.text')}</p>
          <button type="button" className="popup__button" onClick={onOpenOptions}>
            {t('popup.firstRun.setUp')}
          </button>
        </section>
      );
    case 'day':
      // Without an auditor id nothing of "Me" exists yet; the team's day still shows below the request.
      return data.auditorId === null ? (
        <section aria-labelledby="no-auditor-title" className="popup__warning">
          <h2 id="no-auditor-title">{t('popup.noAuditor.title')}</h2>
          <p>{t('popup.noAuditor.text')}</p>
          <button type="button" className="popup__button" onClick={onOpenOptions}>
            {t('popup.noAuditor.set')}
          </button>
        </section>
      ) : null;
  }
}
