/**
 * Sync in one short line under today's count: the panel is 340 px wide and used all day, so it says only what
 * matters now; the full sentence is in the tooltip and for screen readers. Routine changes ("1 to sync" →
 * "Synced 10:42" after each verdict) are not announced; a problem that needs someone to act is, once.
 */
import type { SyncSummary } from '@/lib/protocol';
import { clockTime, isPausedForAuth, plural, waitingCount, waitingVerdicts } from '../shared/sync-words';

interface SyncLineText {
  short: string;
  full: string;
  /** `warning` needs someone to act (in Options or the popup); `quiet` is routine. */
  tone: 'quiet' | 'warning';
}

export function syncLineText(sync: SyncSummary, now: number): SyncLineText {
  const { pending, rejected, problem } = sync;
  const last = sync.lastSuccessAt === null ? 'Not synced yet.' : `Last synced ${clockTime(sync.lastSuccessAt, now)}.`;
  const waiting = pending ? ` ${waitingVerdicts(sync)} waiting to be sent.` : '';
  if (isPausedForAuth(sync)) {
    return {
      short: 'Sync paused: token refused',
      full: `Sync is paused: the endpoint refused the token. Change it in Loupe’s options.${waiting}`,
      tone: 'warning',
    };
  }
  if (problem?.kind === 'no-permission') {
    return {
      short: 'Sync paused: no access',
      full: `Sync is paused: Loupe has no access to the endpoint. Grant it in Loupe’s options.${waiting}`,
      tone: 'warning',
    };
  }
  if (rejected) {
    return {
      short: `${rejected} rejected`,
      full: `${plural(rejected, 'verdict was', 'verdicts were')} rejected by the endpoint and kept here: retry or export them from the toolbar popup.${waiting}`,
      tone: 'warning',
    };
  }
  if (problem?.kind === 'offline') {
    return { short: `Offline · ${waitingCount(sync)} waiting`, full: `${problem.message} ${last}`, tone: 'quiet' };
  }
  if (problem) return { short: pending ? `Sync retrying · ${waitingCount(sync)} waiting` : 'Sync retrying', full: `${problem.message} ${last}`, tone: 'quiet' };
  if (pending) return { short: `${waitingCount(sync)} to sync`, full: `${waitingVerdicts(sync)} waiting to be sent. ${last}`, tone: 'quiet' };
  if (sync.lastSuccessAt !== null) return { short: `Synced ${clockTime(sync.lastSuccessAt, now)}`, full: `Everything is sent. ${last}`, tone: 'quiet' };
  return { short: 'Nothing to sync yet', full: 'Sync is on. Nothing has been sent yet.', tone: 'quiet' };
}

export function SyncLine({ sync, now }: { sync: SyncSummary; now: number }) {
  if (!sync.configured) return null;
  const { short, full, tone } = syncLineText(sync, now);
  return (
    <p className={`loupe-sync loupe-sync--${tone}`} title={full} data-testid="sync-line">
      <span aria-hidden="true">{short}</span>
      <span className="visually-hidden">{tone === 'quiet' ? full : ''}</span>
      {/* Present before a warning is written into it, so the warning is announced when it appears. */}
      <span className="visually-hidden" role="status">
        {tone === 'warning' ? full : ''}
      </span>
    </p>
  );
}
