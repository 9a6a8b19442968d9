/**
 * The popup's "Sync" section: what waits to be sent, when sync last worked, what is wrong now in words, and the
 * records the endpoint rejected, which stay here, visible, until someone retries or exports them (nothing is
 * dropped silently). Read live from the database, so it changes while the popup is open.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useState, type MouseEvent } from 'react';
import { getDatabase, type LoupeDatabase } from '../../lib/db';
import { describeProblem, describeSyncProblem as sayProblem, type ProblemParams } from '../../lib/problems';
import type { SyncSummary } from '../../lib/protocol';
import { loadSettings } from '../../lib/settings-store';
import { exportRejectedJson, listRejected, retryRejected } from '../../lib/sync/rejected';
import { loadSyncSummary } from '../../lib/sync/summary';
import { dayOf, resolveTimeZone } from '../../lib/time';
import { clockTime, isPausedForAuth, statusCodeIn } from '../shared/sync-words';
import { useT, type PopupT } from './i18n';

export interface SyncStatusProps {
  /** The shared database (lib/db.ts getDatabase) when absent. */
  db?: LoupeDatabase;
  now: () => number;
  onOpenOptions: () => void;
  /** Asks the worker for a sync run now (`page/sync-now`). */
  requestSync: () => Promise<unknown>;
  /** Saves `text` as a file named `fileName`. */
  download: (fileName: string, text: string) => void;
}

/** What the worker stored for a record refused without a reason before it stored none (an empty reason). */
const LEGACY_NO_REASON = 'rejected by the server (no reason given)';

interface ReasonGroup {
  /** The endpoint's words, as it sent them (in Loupe's English when Loupe worded them); empty when it gave none. */
  reason: string;
  /** Loupe's wording of the reason (lib/sync/rejected.ts), said in the popup's language. */
  key?: string;
  params?: ProblemParams;
  count: number;
}

type SyncView =
  | { kind: 'ready'; summary: SyncSummary; reasons: ReasonGroup[]; timeZone: string }
  /** The popup's main body already says the database or the settings cannot be read. */
  | { kind: 'unavailable' };

async function readSyncView(db: LoupeDatabase): Promise<SyncView> {
  const settings = await loadSettings(db);
  const summary = await loadSyncSummary(db, settings, { live: true });
  const reasons: ReasonGroup[] = [];
  if (summary.rejected > 0) {
    const groups = new Map<string, ReasonGroup>();
    for (const { reason, reasonKey, reasonParams } of await listRejected(db)) {
      // Rows parked before reasons were left empty carry the English of "no reason given": shown as it, translated.
      const text = reason.trim() === LEGACY_NO_REASON ? '' : reason.trim();
      const group = groups.get(text) ?? { reason: text, count: 0 };
      group.count += 1;
      // Rows parked before reasons had keys hold the same English alone: grouped with the keyed ones, said as them.
      if (reasonKey !== undefined && group.key === undefined) {
        group.key = reasonKey;
        if (reasonParams) group.params = reasonParams;
      }
      groups.set(text, group);
    }
    reasons.push(...groups.values());
    // Most frequent first; among equals, the endpoint's reasons before "no reason given".
    reasons.sort((a, b) => b.count - a.count || Number(a.reason === '') - Number(b.reason === '') || a.reason.localeCompare(b.reason));
  }
  return { kind: 'ready', summary, reasons, timeZone: resolveTimeZone(settings.timeZone) };
}

interface ProblemText {
  text: string;
  /** Needs someone to change something in Options; otherwise Loupe retries by itself. */
  needsFix: boolean;
}

type Words = Pick<PopupT, 't' | 'locale'>;

function retrying(retryAt: number | undefined, now: number, { t, locale }: Words): string {
  return retryAt === undefined ? t('popup.retry.later') : t('popup.retry.at', { time: clockTime(retryAt, now, locale) });
}

export function describeSyncProblem(summary: SyncSummary, now: number, words: Words): ProblemText | null {
  const { t } = words;
  const { problem, pending } = summary;
  if (isPausedForAuth(summary)) return { text: t('popup.problem.auth'), needsFix: true };
  if (!problem) return null;
  switch (problem.kind) {
    case 'auth':
      return { text: t('popup.problem.auth'), needsFix: true };
    case 'no-permission':
      return { text: t('popup.problem.noAccess'), needsFix: true };
    case 'offline':
      return { text: pending ? t('popup.problem.offline', { count: pending }) : t('popup.problem.offlineEmpty'), needsFix: false };
    case 'throttled':
      return { text: t('popup.problem.throttled', { retry: retrying(problem.retryAt, now, words) }), needsFix: false };
    case 'invalid-response':
      return { text: t('popup.problem.unreadable', { retry: retrying(problem.retryAt, now, words) }), needsFix: false };
    case 'server': {
      const code = statusCodeIn(problem.message);
      const retry = retrying(problem.retryAt, now, words);
      return { text: code ? t('popup.problem.server', { code, retry }) : t('popup.problem.noAnswer', { retry }), needsFix: false };
    }
  }
}

export function SyncStatus({ db = getDatabase(), now, onOpenOptions, requestSync, download }: SyncStatusProps) {
  // liveQuery re-runs when the outbox, the sync status or the settings change. Errors become a view rather than a
  // throw: useLiveQuery rethrows in render, and the popup's main body already explains a database it cannot read.
  const view = useLiveQuery(() => readSyncView(db).catch((): SyncView => ({ kind: 'unavailable' })), [db]);
  const words = useT();
  const { t, locale } = words;
  const [message, setMessage] = useState<{ kind: 'status' | 'alert'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  if (!view || view.kind === 'unavailable') return null;
  const { summary, reasons } = view;
  const at = now();

  function openOptions(event: MouseEvent) {
    event.preventDefault();
    onOpenOptions();
  }

  async function retry() {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    try {
      const count = await retryRejected(db, now());
      const told = await requestSync().then(
        () => true,
        () => false,
      );
      setMessage({ kind: 'status', text: t(told ? 'popup.rejected.requeued' : 'popup.rejected.requeuedLater', { count }) });
    } catch (error) {
      setMessage({ kind: 'alert', text: t('popup.rejected.requeueFailed', { error: String(error) }) });
    } finally {
      setBusy(false);
    }
  }

  async function exportRejected() {
    setMessage(null);
    try {
      const records = await listRejected(db);
      const fileName = `loupe-rejected-${dayOf(now(), view?.kind === 'ready' ? view.timeZone : resolveTimeZone())}.json`;
      download(fileName, exportRejectedJson(records, now()));
      setMessage({ kind: 'status', text: t('popup.rejected.exported', { count: records.length, file: fileName }) });
    } catch (error) {
      setMessage({ kind: 'alert', text: t('popup.rejected.exportFailed', { error: String(error) }) });
    }
  }

  const problem = summary.configured ? describeSyncProblem(summary, at, words) : null;
  // The worker's own sentence, with what the endpoint said, under the popup's short one.
  const detail = summary.problem ? sayProblem(summary.problem, words, (time) => clockTime(time, at, locale)) : null;
  // The count stops at a cap (SyncSummary.pendingCapped): past it, "1,000+".
  const waiting = summary.pendingCapped
    ? t('popup.sync.waitingCapped', { count: summary.pending })
    : t('popup.sync.waiting', { count: summary.pending });
  const willSend = summary.pendingCapped
    ? t('popup.sync.willSendCapped', { count: summary.pending })
    : t('popup.sync.willSend', { count: summary.pending });
  return (
    <section aria-labelledby="sync-title" className="popup__sync" data-testid="sync-status">
      <h2 id="sync-title">{t('popup.sync.title')}</h2>
      {summary.configured ? (
        <>
          <p data-testid="sync-pending">{summary.pending ? waiting : t('popup.sync.allSent')}</p>
          <p className="popup__detail" data-testid="sync-last">
            {summary.lastSuccessAt === null
              ? t('popup.sync.notYet')
              : t('popup.sync.last', { time: clockTime(summary.lastSuccessAt, at, locale) })}
          </p>
        </>
      ) : (
        <>
          <p data-testid="sync-off">{t('popup.sync.off')}</p>
          {summary.pending ? <p className="popup__detail">{willSend}</p> : null}
          <a href="/options.html#sync" onClick={openOptions}>
            {t('popup.sync.setUp')}
          </a>
        </>
      )}
      {problem ? (
        <div
          role={problem.needsFix ? 'alert' : 'status'}
          className={problem.needsFix ? 'popup__error' : 'popup__warning'}
          data-testid="sync-problem"
        >
          <p>{problem.text}</p>
          {detail && detail !== problem.text ? <p className="popup__detail">{detail}</p> : null}
          {problem.needsFix ? (
            <button type="button" className="popup__button" onClick={onOpenOptions}>
              {t('popup.sync.openOptions')}
            </button>
          ) : null}
        </div>
      ) : null}
      {summary.rejected > 0 ? (
        <div role="group" aria-labelledby="sync-rejected-title" className="popup__rejected" data-testid="sync-rejected">
          <h3 id="sync-rejected-title">{t('popup.rejected.title', { count: summary.rejected })}</h3>
          <p className="popup__detail">{t('popup.rejected.text', { count: summary.rejected })}</p>
          <ul aria-label={t('popup.rejected.reasons')}>
            {reasons.map(({ reason, key, params, count }) => (
              <li key={reason}>
                {/* The endpoint's own words, as it sent them, inside Loupe's sentence when Loupe worded the reason. */}
                <span className="popup__reason">{reason ? describeProblem({ message: reason, key, params }, words) : t('popup.rejected.noReason')}</span>{' '}
                <span className="popup__detail">{t('popup.tagCount', { count })}</span>
              </li>
            ))}
          </ul>
          <div className="popup__actions">
            <button type="button" className="popup__button" aria-disabled={busy || undefined} onClick={() => void retry()}>
              {t('popup.rejected.retry')}
            </button>
            <button type="button" className="popup__button popup__button--secondary" onClick={() => void exportRejected()}>
              {t('popup.rejected.export')}
            </button>
          </div>
        </div>
      ) : null}
      {message?.kind === 'alert' ? (
        <p role="alert" className="popup__error">
          {message.text}
        </p>
      ) : null}
      <p role="status" className="popup__detail" data-testid="sync-message">
        {message?.kind === 'status' ? message.text : ''}
      </p>
    </section>
  );
}
