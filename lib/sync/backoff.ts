/**
 * When to try again. Full-jitter exponential backoff (a random delay between 0 and min(cap, base·2^attempt)):
 * many clients that failed together do not come back together. Capped at 15 minutes (issue 3).
 */
export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 15 * 60_000;

/** `attempt` counts failures so far, from 0. `random` returns [0, 1). */
export function fullJitterBackoff(
  attempt: number,
  random: () => number = Math.random,
  baseMs = BACKOFF_BASE_MS,
  capMs = BACKOFF_CAP_MS,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.floor(random() * ceiling);
}

/**
 * A `Retry-After` header in milliseconds from `now`: delay-seconds ("120") or an HTTP date. Null when absent or
 * unreadable; never negative.
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // HTTP dates always name a weekday and "GMT" (RFC 9110 §5.6.7); Date.parse accepts far looser text.
  if (!/GMT$/.test(value)) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}
