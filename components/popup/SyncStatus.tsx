/**
 * The popup's "Sync" section: what waits to be sent, when sync last worked, what is wrong now in words, and the
 * records the endpoint rejected, which stay here, visible, until someone retries or exports them (nothing is
 * dropped silently). Read live from the database, so it changes while the popup is open.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useState, type MouseEvent } from 'react';
import type { LoupeDatabase } from '../../lib/db';
import type { SyncSummary } from '../../lib/protocol';
import { loadSettings } from '../../lib/settings-store';
import { exportRejectedJson, listRejected, retryRejected } from '../../lib/sync/outbox';
import { loadSyncSummary } from '../../lib/sync/summary';
import { dayOf, resolveTimeZone } from '../../lib/time';
import { clockTime, isPausedForAuth, plural, statusCodeIn, verdicts, waitingVerdicts } from '../shared/sync-words';

export interface SyncStatusProps {
  db: LoupeDatabase;
  now: () => number;
  onOpenOptions: () => void;
  /** Asks the worker for a sync run now (`page/sync-now`). */
  requestSync: () => Promise<unknown>;
  /** Saves `text` as a file named `fileName`. */
  download: (fileName: string, text: string) => void;
}

interface ReasonGroup {
  reason: string;
  count: number;
}

type SyncView =
  | { kind: 'ready'; summary: SyncSummary; reasons: ReasonGroup[]; timeZone: string }
  /** The popup's main body already says the database or the settings cannot be read. */
  | { kind: 'unavailable' };

async function readSyncView(db: LoupeDatabase): Promise<SyncView> {
  const settings = await loadSettings(db);
  const summary = await loadSyncSummary(db, settings);
  const reasons: ReasonGroup[] = [];
  if (summary.rejected > 0) {
    const counts = new Map<string, number>();
    for (const { reason } of await listRejected(db)) {
      const key = reason.trim() || 'No reason given';
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [reason, count] of counts) reasons.push({ reason, count });
    reasons.sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  }
  return { kind: 'ready', summary, reasons, timeZone: resolveTimeZone(settings.timeZone) };
}

interface ProblemText {
  text: string;
  /** Needs someone to change something in Options; otherwise Loupe retries by itself. */
  needsFix: boolean;
}

function retrying(retryAt: number | undefined, now: number): string {
  return retryAt === undefined ? 'Loupe will retry' : `retrying at ${clockTime(retryAt, now)}`;
}

export function describeSyncProblem(summary: SyncSummary, now: number): ProblemText | null {
  const { problem, pending } = summary;
  if (isPausedForAuth(summary)) return { text: 'The endpoint refused the token — fix it in Options', needsFix: true };
  if (!problem) return null;
  switch (problem.kind) {
    case 'auth':
      return { text: 'The endpoint refused the token — fix it in Options', needsFix: true };
    case 'no-permission':
      return { text: 'Loupe has no access to the endpoint — grant it in Options', needsFix: true };
    case 'offline':
      return {
        text: `Offline — ${pending ? `${verdicts(pending)} wait` : 'new verdicts wait'} and will be sent when you are back online`,
        needsFix: false,
      };
    case 'throttled':
      return { text: `The endpoint asked Loupe to wait, ${retrying(problem.retryAt, now)}`, needsFix: false };
    case 'invalid-response':
      return { text: `The endpoint’s answer could not be read, ${retrying(problem.retryAt, now)}`, needsFix: false };
    case 'server': {
      const code = statusCodeIn(problem.message);
      return {
        text: code ? `Server error ${code}, ${retrying(problem.retryAt, now)}` : `No answer from the endpoint, ${retrying(problem.retryAt, now)}`,
        needsFix: false,
      };
    }
  }
}

export function SyncStatus({ db, now, onOpenOptions, requestSync, download }: SyncStatusProps) {
  // liveQuery re-runs when the outbox, the sync status or the settings change. Errors become a view rather than a
  // throw: useLiveQuery rethrows in render, and the popup's main body already explains a database it cannot read.
  const view = useLiveQuery(() => readSyncView(db).catch((): SyncView => ({ kind: 'unavailable' })), [db]);
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
      setMessage({
        kind: 'status',
        text: `${plural(count, 'verdict is', 'verdicts are')} back in the queue${told ? '' : ' and will be sent at the next sync'}.`,
      });
    } catch (error) {
      setMessage({ kind: 'alert', text: `Could not put the rejected verdicts back in the queue: ${String(error)}` });
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
      setMessage({ kind: 'status', text: `Exported ${plural(records.length, 'rejected verdict', 'rejected verdicts')} to ${fileName}.` });
    } catch (error) {
      setMessage({ kind: 'alert', text: `Could not export the rejected verdicts: ${String(error)}` });
    }
  }

  const problem = summary.configured ? describeSyncProblem(summary, at) : null;
  return (
    <section aria-labelledby="sync-title" className="popup__sync" data-testid="sync-status">
      <h2 id="sync-title">Sync</h2>
      {summary.configured ? (
        <>
          <p data-testid="sync-pending">
            {summary.pending ? `${waitingVerdicts(summary)} waiting to be sent` : 'Every verdict is sent'}
          </p>
          <p className="popup__detail" data-testid="sync-last">
            {summary.lastSuccessAt === null ? 'Not synced yet' : `Last synced ${clockTime(summary.lastSuccessAt, at)}`}
          </p>
        </>
      ) : (
        <>
          <p data-testid="sync-off">Sync is off — verdicts stay in this browser</p>
          {summary.pending ? (
            <p className="popup__detail">{waitingVerdicts(summary)} will be sent once sync is set up.</p>
          ) : null}
          <a href="/options.html#sync" onClick={openOptions}>
            Set up sync in Options
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
          {summary.problem && summary.problem.message !== problem.text ? (
            <p className="popup__detail">{summary.problem.message}</p>
          ) : null}
          {problem.needsFix ? (
            <button type="button" className="popup__button" onClick={onOpenOptions}>
              Open sync options
            </button>
          ) : null}
        </div>
      ) : null}
      {summary.rejected > 0 ? (
        <div role="group" aria-labelledby="sync-rejected-title" className="popup__rejected" data-testid="sync-rejected">
          <h3 id="sync-rejected-title">{plural(summary.rejected, 'verdict', 'verdicts')} rejected</h3>
          <p className="popup__detail">
            The endpoint refused {summary.rejected === 1 ? 'it' : 'them'}. Kept here until you retry or export{' '}
            {summary.rejected === 1 ? 'it' : 'them'}.
          </p>
          <ul aria-label="Reasons">
            {reasons.map(({ reason, count }) => (
              <li key={reason}>
                <span className="popup__reason">{reason}</span> <span className="popup__detail">× {count}</span>
              </li>
            ))}
          </ul>
          <div className="popup__actions">
            <button type="button" className="popup__button" aria-disabled={busy || undefined} onClick={() => void retry()}>
              Retry
            </button>
            <button type="button" className="popup__button popup__button--secondary" onClick={() => void exportRejected()}>
              Export as JSON
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
