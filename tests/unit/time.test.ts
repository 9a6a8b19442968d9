import { afterEach, describe, expect, it, vi } from 'vitest';
import { dayOf, dayRange, resolveTimeZone } from '../../lib/time';

const HOUR = 3_600_000;
const utc = (iso: string) => Date.parse(iso);

describe('dayRange', () => {
  it.each([
    // zone, an instant, the day it falls on there, that day's first instant, the next day's first instant
    ['UTC', '2026-11-22T08:00:00Z', '2026-11-22', '2026-11-22T00:00:00Z', '2026-11-23T00:00:00Z'],
    ['Asia/Phnom_Penh', '2026-11-22T08:00:00Z', '2026-11-22', '2026-11-21T17:00:00Z', '2026-11-22T17:00:00Z'],
    ['Asia/Phnom_Penh', '2026-11-21T16:59:59.999Z', '2026-11-21', '2026-11-20T17:00:00Z', '2026-11-21T17:00:00Z'],
    ['Pacific/Honolulu', '2026-11-22T08:00:00Z', '2026-11-21', '2026-11-21T10:00:00Z', '2026-11-22T10:00:00Z'],
    ['Pacific/Kiritimati', '2026-11-22T08:00:00Z', '2026-11-22', '2026-11-21T10:00:00Z', '2026-11-22T10:00:00Z'],
    ['Pacific/Kiritimati', '2026-11-22T10:00:00Z', '2026-11-23', '2026-11-22T10:00:00Z', '2026-11-23T10:00:00Z'],
    ['America/Los_Angeles', '2026-07-01T06:59:59Z', '2026-06-30', '2026-06-30T07:00:00Z', '2026-07-01T07:00:00Z'],
    // Spring forward: 02:00 EST → 03:00 EDT, a 23-hour day.
    ['America/New_York', '2026-03-08T12:00:00Z', '2026-03-08', '2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z'],
    // Fall back: 02:00 EDT → 01:00 EST, a 25-hour day; 01:30 happens twice and both belong to it.
    ['America/New_York', '2026-11-01T05:30:00Z', '2026-11-01', '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z'],
    ['America/New_York', '2026-11-01T06:30:00Z', '2026-11-01', '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z'],
    ['America/Los_Angeles', '2026-11-01T20:00:00Z', '2026-11-01', '2026-11-01T07:00:00Z', '2026-11-02T08:00:00Z'],
    // Lord Howe shifts by 30 minutes: 02:00 +11 → 01:30 +10:30 in April, 02:00 +10:30 → 02:30 +11 in October.
    ['Australia/Lord_Howe', '2026-04-05T00:00:00Z', '2026-04-05', '2026-04-04T13:00:00Z', '2026-04-05T13:30:00Z'],
    ['Australia/Lord_Howe', '2026-10-04T00:00:00Z', '2026-10-04', '2026-10-03T13:30:00Z', '2026-10-04T13:00:00Z'],
    // Havana springs forward at midnight: 00:00 does not exist, so the day starts at 01:00 (05:00Z).
    ['America/Havana', '2026-03-08T12:00:00Z', '2026-03-08', '2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z'],
    ['America/Havana', '2026-03-08T04:59:59.999Z', '2026-03-07', '2026-03-07T05:00:00Z', '2026-03-08T05:00:00Z'],
    // ...and falls back from 01:00 to 00:00, so midnight happens twice; the day starts at the first.
    ['America/Havana', '2026-11-01T05:30:00Z', '2026-11-01', '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z'],
  ])('%s at %s is %s', (zone, now, day, start, end) => {
    expect(dayRange(utc(now), zone)).toEqual({ day, start: utc(start), end: utc(end) });
  });

  it.each([
    ['America/New_York', '2026-03-08', 23],
    ['America/New_York', '2026-11-01', 25],
    ['America/New_York', '2026-11-02', 24],
    ['Australia/Lord_Howe', '2026-04-05', 24.5],
    ['Australia/Lord_Howe', '2026-10-04', 23.5],
    ['Asia/Phnom_Penh', '2026-03-08', 24],
  ])('%s: %s lasts %s hours', (zone, day, hours) => {
    const range = dayRange(utc(`${day}T12:00:00Z`), zone);
    expect(range.day).toBe(day);
    expect((range.end - range.start) / HOUR).toBe(hours);
  });

  it.each(['America/New_York', 'Asia/Phnom_Penh', 'Pacific/Honolulu', 'Australia/Lord_Howe', 'Pacific/Kiritimati'])(
    'in %s, an instant exactly at midnight belongs to the new day',
    (zone) => {
      const today = dayRange(utc('2026-11-01T12:00:00Z'), zone);
      const tomorrow = dayRange(today.end, zone);
      expect(tomorrow.start).toBe(today.end);
      expect(tomorrow.day > today.day).toBe(true);
      expect(dayRange(today.end - 1, zone)).toEqual(today);
      expect(dayRange(today.start, zone)).toEqual(today);
    },
  );

  it.each(['America/New_York', 'America/Havana', 'Australia/Lord_Howe', 'Europe/London', 'America/Santiago', 'Asia/Kolkata'])(
    'in %s, every range through 2026 holds its instant and is bounded by day changes',
    (zone) => {
      // Every 5 h 7 min across the year, so the instants drift through every hour of the day.
      for (let now = utc('2026-01-01T00:00:00Z'); now < utc('2027-01-01T00:00:00Z'); now += 5 * HOUR + 7 * 60_000) {
        const { day, start, end } = dayRange(now, zone);
        const where = `${zone} at ${new Date(now).toISOString()}`;
        expect(start <= now && now < end, where).toBe(true);
        expect(dayOf(now, zone), where).toBe(day);
        expect([dayOf(start, zone), dayOf(end - 1, zone)], where).toEqual([day, day]);
        expect(dayOf(start - 1, zone) < day && dayOf(end, zone) > day, where).toBe(true);
      }
    },
  );
});

describe('dayRange, asked again', () => {
  // Days whose bounds are unusual: 23 h, 25 h, 23.5 h and 24.5 h days, a skipped midnight and a doubled one.
  const days: Array<[string, string]> = [
    ['America/New_York', '2026-03-08'],
    ['America/New_York', '2026-11-01'],
    ['Australia/Lord_Howe', '2026-04-05'],
    ['Australia/Lord_Howe', '2026-10-04'],
    ['America/Havana', '2026-03-08'],
    ['America/Havana', '2026-11-01'],
    ['Asia/Phnom_Penh', '2026-11-22'],
  ];

  it.each(days)('in %s on %s, answers every instant as a fresh search does, in any order', async (zone, day) => {
    // A fresh copy of the module, whose remembered days are empty, for each instant: the reference answers.
    const instants: number[] = [];
    for (let at = utc(`${day}T00:00:00Z`) - 16 * HOUR; at < utc(`${day}T00:00:00Z`) + 40 * HOUR; at += 37 * 60_000) instants.push(at);
    const fresh: Array<ReturnType<typeof dayRange>> = [];
    for (const at of instants) {
      vi.resetModules();
      const time = await import('../../lib/time');
      fresh.push(time.dayRange(at, zone));
    }
    // This module's copy, asked from the last instant back to the first, then forward again.
    for (const order of [[...instants.keys()].reverse(), [...instants.keys()]]) {
      for (const i of order) expect(dayRange(instants[i]!, zone), `${zone} at ${new Date(instants[i]!).toISOString()}`).toEqual(fresh[i]);
    }
  });
});

describe('dayOf and dayRange, asked again within a second', () => {
  it('answer each zone and instant as a fresh search does, whatever was asked just before', async () => {
    // The last second of 21 Nov in Phnom Penh, its milliseconds, and the first of the next day, between two zones.
    const edge = utc('2026-11-21T16:59:59Z');
    const asks: Array<[number, string]> = [];
    for (const ms of [0, 999, 1000, 500, 1999, 0]) {
      for (const zone of ['Asia/Phnom_Penh', 'Pacific/Honolulu', 'Asia/Phnom_Penh']) asks.push([edge + ms, zone]);
    }
    const fresh: Array<[string, ReturnType<typeof dayRange>]> = [];
    for (const [at, zone] of asks) {
      vi.resetModules();
      const time = await import('../../lib/time');
      fresh.push([time.dayOf(at, zone), time.dayRange(at, zone)]);
    }
    asks.forEach(([at, zone], i) => {
      expect([dayOf(at, zone), dayRange(at, zone)], `${zone} at ${new Date(at).toISOString()}`).toEqual(fresh[i]);
    });
    expect(fresh.map(([day]) => day).slice(0, 3)).toEqual(['2026-11-21', '2026-11-21', '2026-11-21']);
    expect(fresh.map(([day]) => day).slice(6, 9)).toEqual(['2026-11-22', '2026-11-21', '2026-11-22']);
  });
});

describe('dayOf', () => {
  it.each([
    ['2026-11-21T17:00:00Z', 'Asia/Phnom_Penh', '2026-11-22'],
    ['2026-11-21T16:59:59Z', 'Asia/Phnom_Penh', '2026-11-21'],
    ['2026-11-22T09:59:59Z', 'Pacific/Honolulu', '2026-11-21'],
    ['2026-01-01T00:00:00Z', 'America/Los_Angeles', '2025-12-31'],
    ['2026-02-28T23:00:00Z', 'Asia/Tokyo', '2026-03-01'],
    ['0099-06-01T00:00:00Z', 'UTC', '0099-06-01'],
  ])('%s in %s is %s', (instant, zone, day) => {
    expect(dayOf(utc(instant), zone)).toBe(day);
  });
});

describe('resolveTimeZone', () => {
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  it.each([
    ['a known zone is kept', 'Asia/Phnom_Penh', 'Asia/Phnom_Penh'],
    ['unset falls back to the browser zone', undefined, browserZone],
    ['empty falls back to the browser zone', '', browserZone],
    ['an unknown zone falls back to the browser zone', 'Mars/Olympus_Mons', browserZone],
  ])('%s', (_name, setting, zone) => {
    expect(resolveTimeZone(setting)).toBe(zone);
  });
});

describe('resolveTimeZone, when the computer’s zone changes', () => {
  const original = process.env.TZ;
  afterEach(() => {
    vi.useRealTimers();
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  it('follows a move to another offset at once, and one to a zone of the same offset within a minute', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: utc('2026-11-22T08:00:00Z') });
    process.env.TZ = 'Asia/Tokyo';
    expect(resolveTimeZone()).toBe('Asia/Tokyo');
    process.env.TZ = 'America/New_York';
    expect(resolveTimeZone()).toBe('America/New_York');
    // Paris and Berlin share their offset: the zone's name is asked for again within a minute, not at once.
    process.env.TZ = 'Europe/Paris';
    expect(resolveTimeZone()).toBe('Europe/Paris');
    process.env.TZ = 'Europe/Berlin';
    vi.advanceTimersByTime(60_000);
    expect(resolveTimeZone()).toBe('Europe/Berlin');
    // A configured zone is never replaced by the computer's.
    expect(resolveTimeZone('Asia/Phnom_Penh')).toBe('Asia/Phnom_Penh');
  });
});
