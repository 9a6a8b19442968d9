import { afterEach, describe, expect, it } from 'vitest';
import { countAuditorDay, countAuditorDayFromAudits } from '../../lib/audit-queries';
import { recordVerdict, undoVerdict } from '../../lib/audits';
import { LoupeDatabase } from '../../lib/db';
import { rebuildDayStats } from '../../lib/leads/day-stats';
import type { Audit, VerdictInput } from '../../lib/schemas';
import { dayRange } from '../../lib/time';

const START = Date.UTC(2026, 10, 22);
const END = START + 86_400_000;
const HOUR = 3_600_000;
const UTC_DAY = { day: '2026-11-22', start: START, end: END };

function audit(overrides: Partial<Audit>): Audit {
  const createdAt = overrides.createdAt ?? START + 1000;
  return {
    id: crypto.randomUUID(),
    rev: 1,
    createdAt,
    updatedAt: createdAt,
    deleted: false,
    siteId: 'labeldesk',
    itemId: 'item-1',
    itemUrl: 'https://labeldesk.example/task/1',
    auditorId: 'ana',
    verdict: 'correct',
    errorTags: [],
    taxonomyVersion: 1,
    ...overrides,
  };
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VERDICTS: VerdictInput[] = [
  { verdict: 'correct', errorTags: [] },
  { verdict: 'unsure', errorTags: [] },
  { verdict: 'incorrect', errorTags: ['missed-violation'], severity: 'critical' },
];

/**
 * `count` changes through lib/audits.ts (so the tallies follow them, as in the worker) over `days` days before
 * `until`: new verdicts, re-audits of earlier items (the audit keeps its day), undos (tombstones, or the earlier
 * revision back), and verdicts given again after an undo (the audit moves to the new day).
 */
async function writeHistory(db: LoupeDatabase, seed: number, count: number, until: number, days: number): Promise<void> {
  const next = random(seed);
  const auditors = ['ana', 'bo'];
  const saved: Array<{ id: string; rev: number }> = [];
  for (let i = 0; i < count; i += 1) {
    const at = until - days * 24 * HOUR + Math.floor(((i + next()) / count) * days * 24 * HOUR);
    const roll = next();
    const last = saved.at(-1);
    if (roll < 0.15 && last) {
      try {
        saved.push(await undoVerdict(db, last.id, last.rev, 30 * 24 * HOUR, at));
      } catch {
        // Refused (changed since): nothing written.
      }
      continue;
    }
    const index = roll < 0.4 ? Math.floor(next() * Math.max(1, i)) : i;
    const written = await recordVerdict(
      db,
      {
        item: { siteId: 'labeldesk', itemId: `LD-${index}`, itemUrl: `https://labeldesk.example/task/LD-${index}` },
        input: VERDICTS[Math.floor(next() * VERDICTS.length)]!,
        auditorId: auditors[index % auditors.length]!,
        taxonomyVersion: 1,
      },
      at,
    );
    saved.push(written);
  }
}

let db: LoupeDatabase | undefined;
afterEach(async () => {
  await db?.delete();
  db = undefined;
});

describe('countAuditorDay', () => {
  it('counts one auditor’s live audits in [start, end) from the audits while there are no tallies', async () => {
    db = new LoupeDatabase(`test-${crypto.randomUUID()}`);
    await db.audits.bulkAdd([
      audit({ createdAt: START }), // first instant: in
      audit({ createdAt: END - 1 }), // last instant: in
      audit({ createdAt: END }), // next day: out
      audit({ createdAt: START - 1 }), // previous day: out
      audit({ createdAt: START + 5, auditorId: 'bo' }), // someone else: out
      audit({ createdAt: START + 6, deleted: true, deletedAt: START + 7 }), // tombstone: out
      audit({ createdAt: START + 8 }),
    ]);
    await expect(countAuditorDay(db, 'ana', UTC_DAY, 'UTC')).resolves.toBe(3);
    await expect(countAuditorDay(db, 'bo', UTC_DAY, 'UTC')).resolves.toBe(1);
    await expect(countAuditorDay(db, 'cy', UTC_DAY, 'UTC')).resolves.toBe(0);
    await expect(countAuditorDayFromAudits(db, 'ana', UTC_DAY)).resolves.toBe(3);
  });

  // New York's 2026-11-01 lasts 25 hours; Lord Howe's 2026-04-05 lasts 24.5; Havana's 2026-11-01 has two midnights.
  it.each([
    ['Asia/Phnom_Penh', Date.UTC(2026, 10, 22, 9), 1],
    ['America/New_York', Date.UTC(2026, 10, 1, 18), 2],
    ['Australia/Lord_Howe', Date.UTC(2026, 3, 5, 3), 3],
    ['America/Havana', Date.UTC(2026, 10, 1, 18), 4],
  ])('gives, from the day tallies in %s, what counting the audits gives, day by day', async (zone, now, seed) => {
    db = new LoupeDatabase(`test-${crypto.randomUUID()}`);
    await rebuildDayStats(db, zone, now - 6 * 24 * HOUR);
    await writeHistory(db, seed, 400, now, 5);
    let counted = 0;
    for (let at = now - 5 * 24 * HOUR; at <= now; at += 12 * HOUR) {
      const range = dayRange(at, zone);
      for (const auditorId of ['ana', 'bo', 'nobody']) {
        const expected = await countAuditorDayFromAudits(db, auditorId, range);
        expect(await countAuditorDay(db, auditorId, range, zone), `${auditorId} on ${range.day}`).toBe(expected);
        counted += expected;
      }
    }
    // Days with audits on them, and tombstones among them, or the comparison proves little.
    expect(counted).toBeGreaterThan(200);
    expect(await db.audits.filter((a) => a.deleted).count()).toBeGreaterThan(0);
  }, 30_000); // 400 writes through fake-indexeddb: ~2 s alone, far more on a shared, busy machine

  it('reads the tallies when they are in the zone asked for, and the audits when they are not', async () => {
    db = new LoupeDatabase(`test-${crypto.randomUUID()}`);
    await rebuildDayStats(db, 'UTC', START);
    await recordVerdict(db, { item: { siteId: 'labeldesk', itemId: 'LD-1', itemUrl: 'https://labeldesk.example/task/LD-1' }, input: VERDICTS[0]!, auditorId: 'ana', taxonomyVersion: 1 }, START + HOUR);
    // An audit stored behind the tallies' back (no writer does this): only a count from the audits sees it.
    await db.audits.put(audit({ createdAt: START + 2 * HOUR, itemId: 'LD-2' }));
    await expect(countAuditorDay(db, 'ana', UTC_DAY, 'UTC')).resolves.toBe(1);
    // The same instants as a day in another zone: the tallies do not answer for it.
    const tokyo = dayRange(START + HOUR, 'Asia/Tokyo');
    await expect(countAuditorDay(db, 'ana', tokyo, 'Asia/Tokyo')).resolves.toBe(await countAuditorDayFromAudits(db, 'ana', tokyo));
    await expect(countAuditorDay(db, 'ana', tokyo, 'Asia/Tokyo')).resolves.toBe(2);
  });
});
