/**
 * Calendar days in a chosen IANA time zone, for "today" in metrics and quotas. Intl only (no tz library): the
 * browser's own zone data decides offsets, so days are right across DST changes, including 23 h, 25 h and
 * Lord Howe's 23.5 h / 24.5 h days, and zones whose clocks skip midnight.
 */

export interface DayRange {
  /** The calendar date, `YYYY-MM-DD`. */
  day: string;
  /** First instant of the day, epoch ms (inclusive). */
  start: number;
  /** First instant of the next day, epoch ms (exclusive). */
  end: number;
}

const DAY_MS = 86_400_000;

interface WallClock {
  year: number;
  month: number;
  day: number;
  /** The wall-clock time read as if it were UTC, in epoch ms: what the clocks in the zone show. */
  wallMs: number;
}

/** Building a DateTimeFormat costs far more than using one; metrics call these functions per record. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      // h23, not hour12: false, which some engines render as "24" at midnight.
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The last whole second read, and in which zone: a verdict asks for the day of the same instant more than once, and
 * a read costs tens of microseconds in the worker (issue 6). Exact: the formatter sees only the whole second.
 */
let lastRead: { timeZone: string; wholeSecond: number; year: number; month: number; day: number; wallSecondMs: number } | undefined;

function wallClockAt(epochMs: number, timeZone: string): WallClock {
  // formatToParts has second resolution; the milliseconds are the same in every zone.
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  let read = lastRead;
  if (read?.wholeSecond !== wholeSecond || read.timeZone !== timeZone) {
    const parts: Record<string, string> = {};
    for (const part of formatterFor(timeZone).formatToParts(wholeSecond)) parts[part.type] = part.value;
    const eraYear = Number(parts.year);
    // Years before 1 CE come back as "BC" years counted from 1; proleptic ISO year = 1 - eraYear.
    const year = parts.era === 'BC' || parts.era === 'B' ? 1 - eraYear : eraYear;
    const month = Number(parts.month);
    const day = Number(parts.day);
    const utc = new Date(0);
    utc.setUTCFullYear(year, month - 1, day);
    utc.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second));
    read = { timeZone, wholeSecond, year, month, day, wallSecondMs: utc.getTime() };
    lastRead = read;
  }
  return { year: read.year, month: read.month, day: read.day, wallMs: read.wallSecondMs + (epochMs - wholeSecond) };
}

/** The zone's offset from UTC at `epochMs`, in ms (positive east of Greenwich). */
function offsetAt(epochMs: number, timeZone: string): number {
  return wallClockAt(epochMs, timeZone).wallMs - epochMs;
}

function midnightWallMs(year: number, month: number, day: number): number {
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  return utc.getTime();
}

/**
 * The instants at which the zone's clocks show `wallMs` for the first time in a day: usually one, two when
 * clocks fall back over it, and when clocks skip it, the first instant after the skip.
 */
function instantsShowing(wallMs: number, timeZone: string): number[] {
  // Offsets a day either side bracket any DST change near `wallMs`; each gives one candidate instant.
  const offsets = new Set([offsetAt(wallMs - DAY_MS, timeZone), offsetAt(wallMs + DAY_MS, timeZone)]);
  // A candidate from one offset can land in the other offset's time; iterate each until it settles.
  const candidates = [...offsets].map((offset) => {
    let instant = wallMs - offset;
    for (let step = 0; step < 3; step += 1) {
      const next = wallMs - offsetAt(instant, timeZone);
      if (next === instant) break;
      instant = next;
    }
    return instant;
  });
  const exact = [...new Set(candidates)].filter((instant) => wallClockAt(instant, timeZone).wallMs === wallMs);
  if (exact.length > 0) return exact.sort((a, b) => a - b);

  // The clocks skip `wallMs` (a DST gap over midnight): find the skip by bisection. Before it the clocks show
  // less than `wallMs`, after it more.
  let before = Math.min(...candidates) - DAY_MS / 2;
  let after = Math.max(...candidates) + DAY_MS / 2;
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (wallClockAt(middle, timeZone).wallMs >= wallMs) after = middle;
    else before = middle;
  }
  return [after];
}

function isoDate(year: number, month: number, day: number): string {
  const yyyy = year < 0 ? `-${String(-year).padStart(6, '0')}` : String(year).padStart(4, '0');
  return `${yyyy}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The calendar date (`YYYY-MM-DD`) of `epochMs` in `timeZone`. */
export function dayOf(epochMs: number, timeZone: string): string {
  const { year, month, day } = wallClockAt(epochMs, timeZone);
  return isoDate(year, month, day);
}

interface DayBounds {
  /** Every instant at which the day's first midnight shows, and the next day's: one each, on most days. */
  starts: number[];
  ends: number[];
}

/**
 * The midnights of a calendar day in a zone never change, and finding them costs ~16 formatter calls; the worker
 * asks for "today" several times per verdict. Keyed by zone and date, so a cached entry answers exactly what a
 * fresh search would. Bounded: a long-running page could walk through many days.
 */
const dayBounds = new Map<string, DayBounds>();
const MAX_DAY_BOUNDS = 512;

function boundsOf(year: number, month: number, day: number, timeZone: string): DayBounds {
  const key = `${timeZone}\u0000${year}-${month}-${day}`;
  let bounds = dayBounds.get(key);
  if (!bounds) {
    bounds = {
      starts: instantsShowing(midnightWallMs(year, month, day), timeZone),
      ends: instantsShowing(midnightWallMs(year, month, day + 1), timeZone),
    };
    if (dayBounds.size >= MAX_DAY_BOUNDS) dayBounds.clear();
    dayBounds.set(key, bounds);
  }
  return bounds;
}

/** The calendar day containing `now` in `timeZone`, as [start, end) in epoch ms. */
export function dayRange(now: number, timeZone: string): DayRange {
  const { year, month, day } = wallClockAt(now, timeZone);
  const { starts, ends } = boundsOf(year, month, day, timeZone);
  // When clocks fall back over midnight, midnight happens twice; the range is the one that holds `now`.
  const start = starts.filter((instant) => instant <= now).at(0) ?? starts[0] ?? now;
  const end = ends.find((instant) => instant > now) ?? ends.at(-1) ?? now + DAY_MS;
  return { day: isoDate(year, month, day), start, end };
}

/** Zones this browser refused, so that a bad setting does not build (and fail to build) a formatter per call. */
const unknownZones = new Set<string>();

/** How long the browser's own zone is trusted without asking Intl again (see browserTimeZone). */
const BROWSER_ZONE_RECHECK_MS = 60_000;
let browserZone: { zone: string; offset: number; checkedAt: number } | undefined;

/**
 * The browser's own zone. Asking Intl for it builds a formatter (~7% of the worker's time per verdict when it
 * was asked on every call), yet it changes only when the computer's zone does, which can happen while a worker or
 * page runs (travel, a settings change). So it is asked again at once when the UTC offset changes, and at least
 * once a minute for a move between zones that share today's offset.
 */
function browserTimeZone(): string {
  const now = Date.now();
  const offset = new Date(now).getTimezoneOffset();
  const cached = browserZone;
  if (cached && cached.offset === offset && now >= cached.checkedAt && now - cached.checkedAt < BROWSER_ZONE_RECHECK_MS) {
    return cached.zone;
  }
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  browserZone = { zone, offset, checkedAt: now };
  return zone;
}

/** The zone that decides "today": the setting when this browser knows it, else the browser's own zone. */
export function resolveTimeZone(setting?: string): string {
  if (setting && !unknownZones.has(setting)) {
    try {
      formatterFor(setting);
      return setting;
    } catch {
      // A hand-edited or stale setting must not break every "today" view; fall back to the browser's zone.
      unknownZones.add(setting);
    }
  }
  return browserTimeZone();
}
