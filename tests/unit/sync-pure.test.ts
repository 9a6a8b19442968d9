import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, fullJitterBackoff, parseRetryAfter } from '@/lib/sync/backoff';
import { fitBatch, halves } from '@/lib/sync/batch-plan';
import { MAX_BATCH_BYTES, MAX_BATCH_RECORDS, type SyncRecord } from '@/lib/sync/contract';
import { classifyResponse } from '@/lib/sync/outcome';

const NOW = Date.UTC(2026, 10, 22, 8, 0, 0);

describe('fullJitterBackoff', () => {
  it.each([
    [0, 0.999, 2_000],
    [1, 0.999, 4_000],
    [5, 0.999, 64_000],
    [30, 0.999, BACKOFF_CAP_MS],
    [1_000, 0.999, BACKOFF_CAP_MS],
  ])('stays under min(cap, base·2^%i)', (attempt, random, ceiling) => {
    const delay = fullJitterBackoff(attempt, () => random);
    expect(delay).toBeLessThan(ceiling);
    expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling * 0.99));
  });

  it('can be zero (full jitter spreads retries over the whole window)', () => {
    expect(fullJitterBackoff(4, () => 0)).toBe(0);
  });

  it('never exceeds 15 minutes', () => {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      expect(fullJitterBackoff(attempt, () => 0.9999999)).toBeLessThanOrEqual(15 * 60_000);
    }
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120_000],
    ['0', 0],
    [' 7 ', 7_000],
    ['Sun, 22 Nov 2026 08:01:30 GMT', 90_000],
    ['Sun, 22 Nov 2026 07:59:00 GMT', 0], // in the past: retry now, never negative
    ['soon', null],
    ['-5', null],
    ['1.5', null],
    ['2026-11-22T08:01:30Z', null], // not an HTTP date
    ['', null],
    [null, null],
  ])('%j → %j ms', (header, expected) => {
    expect(parseRetryAfter(header, NOW)).toBe(expected);
  });
});

describe('classifyResponse', () => {
  const ok = JSON.stringify({ results: [{ id: '00000000-0000-4000-8000-000000000001', rev: 1, status: 'accepted' }] });
  it.each([
    [200, null, ok, 'results'],
    [200, null, '{"results": "nope"}', 'retry'],
    [200, null, 'not json', 'retry'],
    [200, null, JSON.stringify({ results: [{ id: 'x', rev: 1, status: 'accepted' }] }), 'retry'],
    [401, null, '{"error":"bad token"}', 'auth'],
    [403, null, '', 'auth'],
    [408, null, '', 'retry'],
    [413, null, '', 'too-large'],
    [422, null, '{"error":"record 7 bad"}', 'refused'],
    [400, null, '', 'refused'],
    [404, null, '', 'refused'],
    [429, '10', '', 'retry'],
    [500, null, '', 'retry'],
    [502, null, '<html>bad gateway</html>', 'retry'],
    [503, 'Sun, 22 Nov 2026 08:00:10 GMT', '', 'retry'],
  ])('HTTP %i (Retry-After %j) → %s', (status, retryAfter, body, kind) => {
    expect(classifyResponse(status, retryAfter, body, NOW).kind).toBe(kind);
  });

  it('carries Retry-After for 429 and 503 only', () => {
    expect(classifyResponse(429, '10', '', NOW)).toMatchObject({ retryAfterMs: 10_000 });
    expect(classifyResponse(503, '5', '', NOW)).toMatchObject({ retryAfterMs: 5_000 });
    expect(classifyResponse(500, '5', '', NOW)).toMatchObject({ retryAfterMs: null });
  });

  it('keeps the server\u2019s words as the reason', () => {
    expect(classifyResponse(422, null, '{"error":"itemUrl host is not allowed"}', NOW)).toMatchObject({
      reason: 'HTTP 422: itemUrl host is not allowed',
    });
  });
});

describe('fitBatch', () => {
  const record = (noteLength: number, n = 0): SyncRecord => ({
    type: 'audit',
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    rev: 1,
    deleted: false,
    updatedAt: NOW,
    data: { note: 'x'.repeat(noteLength) },
  });

  it('takes at most 500 records', () => {
    expect(fitBatch(Array.from({ length: 1_200 }, (_, i) => record(10, i)))).toBe(MAX_BATCH_RECORDS);
  });

  it('stops before 256 KB', () => {
    const records = Array.from({ length: 100 }, (_, i) => record(5_000, i));
    const n = fitBatch(records);
    expect(n).toBeGreaterThan(40);
    expect(n).toBeLessThan(53);
    expect(JSON.stringify(records.slice(0, n)).length).toBeLessThanOrEqual(MAX_BATCH_BYTES);
  });

  it('still sends one record that is larger than the limit on its own', () => {
    expect(fitBatch([record(300_000), record(10, 1)])).toBe(1);
  });

  it('is zero for nothing', () => {
    expect(fitBatch([])).toBe(0);
  });
});

describe('halves', () => {
  it.each([
    [[1, 2, 3, 4], [[1, 2], [3, 4]]],
    [[1, 2, 3], [[1, 2], [3]]],
    [[1, 2], [[1], [2]]],
  ])('%j → %j', (items, expected) => {
    expect(halves(items)).toEqual(expected);
  });
});
