/**
 * Words for sync's state that the popup and the panel both say (the panel in a shorter form), so "Synced 10:42"
 * reads the same in both. Times are clock times in the browser's own locale and zone: they say when something
 * happened or will happen on this machine, not which audit day it belongs to.
 */
import type { SyncSummary } from '../../lib/protocol';

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export const verdicts = (n: number) => plural(n, 'verdict', 'verdicts');

/** The waiting count as people read it: "1,000+" once the count stopped at its cap. */
export function waitingCount(sync: Pick<SyncSummary, 'pending' | 'pendingCapped'>): string {
  return sync.pendingCapped ? `${sync.pending.toLocaleString()}+` : String(sync.pending);
}

/** "3 verdicts", or "1,000+ verdicts" past the cap. */
export function waitingVerdicts(sync: Pick<SyncSummary, 'pending' | 'pendingCapped'>): string {
  return sync.pendingCapped ? `${waitingCount(sync)} verdicts` : verdicts(sync.pending);
}

/** `10:42` today, `Nov 21, 10:42` (as the locale writes it) on another day. */
export function clockTime(at: number, now: number, locale?: string): string {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  return new Intl.DateTimeFormat(
    locale,
    sameDay ? { hour: 'numeric', minute: '2-digit' } : { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' },
  ).format(at);
}

/** The HTTP status a problem's message names (`… HTTP 503: …`), if any. */
export function statusCodeIn(message: string): string | undefined {
  return /\bHTTP (\d{3})\b/.exec(message)?.[1];
}

/** A refused token pauses sync whether or not the problem row still says so (saveSyncToken clears both). */
export function isPausedForAuth(sync: Pick<SyncSummary, 'pausedForAuth' | 'problem'>): boolean {
  return sync.pausedForAuth || sync.problem?.kind === 'auth';
}
