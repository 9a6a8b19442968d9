/**
 * Sync in one short line under today's count: the panel is 340 px wide and used all day, so it says only what
 * matters now; the full sentence is in the tooltip and for screen readers. Routine changes ("1 to sync" →
 * "Synced 10:42" after each verdict) are not announced; a problem that needs someone to act is, once.
 */
import { describeSyncProblem } from '@/lib/problems';
import type { SyncSummary } from '@/lib/protocol';
import { clockTime, isPausedForAuth } from '../shared/sync-words';
import { useT, type PanelT } from './i18n';

interface SyncLineText {
  short: string;
  full: string;
  /** `warning` needs someone to act (in Options or the popup); `quiet` is routine. */
  tone: 'quiet' | 'warning';
}

/** Sentences of the tooltip, one space apart (as Khmer and Thai also separate sentences). */
const sentences = (...parts: string[]) => parts.filter(Boolean).join(' ');

export function syncLineText(sync: SyncSummary, now: number, i18n: Pick<PanelT, 't' | 'number' | 'locale'>): SyncLineText {
  const { t } = i18n;
  const { pending, rejected, problem } = sync;
  const time = (at: number) => clockTime(at, now, i18n.locale);
  const last = sync.lastSuccessAt === null ? t('panel.sync.notYet') : t('panel.sync.last', { time: time(sync.lastSuccessAt) });
  // The count stops at a cap (SyncSummary.pendingCapped): past it, "1,000+".
  const waitingCount = sync.pendingCapped ? `${i18n.number(pending)}+` : i18n.number(pending);
  const waitingSentence = sync.pendingCapped
    ? t('panel.sync.waitingCapped', { count: pending })
    : t('panel.sync.waiting', { count: pending });
  const waiting = pending ? waitingSentence : '';
  if (isPausedForAuth(sync)) {
    return { short: t('panel.sync.authShort'), full: sentences(t('panel.sync.authFull'), waiting), tone: 'warning' };
  }
  if (problem?.kind === 'no-permission') {
    return { short: t('panel.sync.noAccessShort'), full: sentences(t('panel.sync.noAccessFull'), waiting), tone: 'warning' };
  }
  if (rejected) {
    return {
      short: t('panel.sync.rejectedShort', { count: rejected }),
      full: sentences(t('panel.sync.rejectedFull', { count: rejected }), waiting),
      tone: 'warning',
    };
  }
  // The problem's own words come from the worker (lib/sync/engine.ts), in this panel's language when it knows them.
  if (problem?.kind === 'offline') {
    return { short: t('panel.sync.offlineShort', { waiting: waitingCount }), full: sentences(describeSyncProblem(problem, i18n, time), last), tone: 'quiet' };
  }
  if (problem) {
    return {
      short: pending ? t('panel.sync.retryingWaitingShort', { waiting: waitingCount }) : t('panel.sync.retryingShort'),
      full: sentences(describeSyncProblem(problem, i18n, time), last),
      tone: 'quiet',
    };
  }
  if (pending) return { short: t('panel.sync.pendingShort', { waiting: waitingCount }), full: sentences(waiting, last), tone: 'quiet' };
  if (sync.lastSuccessAt !== null) {
    return { short: t('panel.sync.syncedShort', { time: time(sync.lastSuccessAt) }), full: sentences(t('panel.sync.allSent'), last), tone: 'quiet' };
  }
  return { short: t('panel.sync.nothingShort'), full: t('panel.sync.nothingFull'), tone: 'quiet' };
}

export function SyncLine({ sync, now }: { sync: SyncSummary; now: number }) {
  const i18n = useT();
  if (!sync.configured) return null;
  const { short, full, tone } = syncLineText(sync, now, i18n);
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
