import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoupeDatabase } from '@/lib/db';
import { activeSince, BREAK_GAP_MS, continueStretch, readWellbeing, recordActivity, restartStretch } from '@/lib/wellbeing/activity';

const T0 = Date.UTC(2026, 10, 22, 8);
const MIN = 60_000;

describe('a stretch of work', () => {
  it('starts at the first activity and goes on while activity keeps coming', () => {
    let stretch = continueStretch(undefined, T0);
    for (let minute = 9; minute <= 54; minute += 9) stretch = continueStretch(stretch, T0 + minute * MIN);
    expect(stretch).toEqual({ key: 'stretch', activeSince: T0, lastActiveAt: T0 + 54 * MIN });
    expect(activeSince(stretch, T0 + 55 * MIN)).toBe(T0);
  });

  it('ends with a pause of the break gap: the next activity starts a new one', () => {
    let before = continueStretch(undefined, T0);
    for (let minute = 5; minute <= 30; minute += 5) before = continueStretch(before, T0 + minute * MIN);
    expect(activeSince(before, T0 + 30 * MIN + BREAK_GAP_MS - 1)).toBe(T0);
    expect(activeSince(before, T0 + 30 * MIN + BREAK_GAP_MS)).toBeNull();
    expect(continueStretch(before, T0 + 30 * MIN + BREAK_GAP_MS).activeSince).toBe(T0 + 30 * MIN + BREAK_GAP_MS);
  });

  it('starts again when the clock went back before it', () => {
    const stretch = continueStretch(undefined, T0);
    expect(continueStretch(stretch, T0 - MIN).activeSince).toBe(T0 - MIN);
  });
});

describe('wellbeing table', () => {
  let db: LoupeDatabase;
  beforeEach(() => {
    db = new LoupeDatabase(`wellbeing-${crypto.randomUUID()}`);
  });
  afterEach(async () => {
    db.close();
    await Dexie.delete(db.name);
  });

  it('counts each item once a day, forgets earlier days, and never touches the outbox', async () => {
    await recordActivity(db, T0, { day: '2026-11-21', itemKey: 'modqueue:MQ-1' });
    await recordActivity(db, T0 + MIN, { day: '2026-11-22', itemKey: 'modqueue:MQ-1' });
    await recordActivity(db, T0 + 2 * MIN, { day: '2026-11-22', itemKey: 'modqueue:MQ-2' });
    await recordActivity(db, T0 + 3 * MIN, { day: '2026-11-22', itemKey: 'modqueue:MQ-1' });
    await recordActivity(db, T0 + 4 * MIN);
    expect(await readWellbeing(db, '2026-11-22', T0 + 5 * MIN)).toEqual({ viewed: 2, activeSince: T0 });
    expect(await readWellbeing(db, '2026-11-21', T0 + 5 * MIN)).toMatchObject({ viewed: 0 });
    expect(await db.outbox.count()).toBe(0);
  });

  it('restarts the stretch when the reminder is dismissed', async () => {
    for (let minute = 0; minute <= 50; minute += 5) await recordActivity(db, T0 + minute * MIN);
    expect((await readWellbeing(db, '2026-11-22', T0 + 50 * MIN)).activeSince).toBe(T0);
    await restartStretch(db, T0 + 51 * MIN);
    expect((await readWellbeing(db, '2026-11-22', T0 + 52 * MIN)).activeSince).toBe(T0 + 51 * MIN);
  });
});
