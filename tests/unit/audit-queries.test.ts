import { afterEach, describe, expect, it } from 'vitest';
import { countAuditorDay } from '../../lib/audit-queries';
import { LoupeDatabase } from '../../lib/db';
import type { Audit } from '../../lib/schemas';

const START = Date.UTC(2026, 10, 22);
const END = START + 86_400_000;

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

let db: LoupeDatabase | undefined;
afterEach(async () => {
  await db?.delete();
  db = undefined;
});

describe('countAuditorDay', () => {
  it('counts one auditor’s live audits in [start, end)', async () => {
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
    await expect(countAuditorDay(db, 'ana', { start: START, end: END })).resolves.toBe(3);
    await expect(countAuditorDay(db, 'bo', { start: START, end: END })).resolves.toBe(1);
    await expect(countAuditorDay(db, 'cy', { start: START, end: END })).resolves.toBe(0);
  });
});
