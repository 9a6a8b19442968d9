/**
 * The lead's CSV export in any script (issue 7, Languages): tag labels, notes and decisions typed in Khmer, Thai
 * or Vietnamese come out whole, the file starts with the byte order mark spreadsheets need to read UTF-8, and its
 * bytes decode back to the same text. Column names stay the stable machine names scripts read, in every language.
 */
import { describe, expect, it } from 'vitest';
import { BOM, CSV_COLUMNS, toCsvChunks } from '../../lib/leads/export';
import type { Audit } from '../../lib/schemas';

/** Each with marks that combine with the letter before them: cutting or normalising would break them. */
const KHMER = 'ខ្លឹមសារស្អប់ខ្ពើម'; // coeng (subscript) consonants
const THAI = 'เนื้อหาที่สร้างความเกลียดชัง'; // stacked vowel and tone marks
const VIETNAMESE = 'Nội dung thù ghét'; // stacked diacritics

const AUDIT: Audit = {
  id: '0b6b8a8e-4a8f-4d5c-9a51-7d1f1b1c2d3e',
  rev: 1,
  createdAt: Date.UTC(2026, 10, 22, 8),
  updatedAt: Date.UTC(2026, 10, 22, 8),
  deleted: false,
  siteId: 'labeldesk',
  itemId: 'LD-1',
  itemUrl: 'https://labeldesk.example.com/task/LD-1',
  auditorId: 'sokha',
  verdict: 'incorrect',
  errorTags: ['hate'],
  correctedDecision: THAI,
  note: `${VIETNAMESE}, "${KHMER}"`,
  taxonomyVersion: 1,
};

describe('CSV in any script', () => {
  const csv = [...toCsvChunks([AUDIT], { tags: [{ id: 'hate', label: KHMER, rootCause: 'other' }] })].join('');

  it('starts with the byte order mark and the machine column names', () => {
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv.slice(BOM.length).split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
  });

  it('keeps every script whole, quoted only where RFC 4180 needs it', () => {
    const row = csv.split('\r\n')[1] ?? '';
    expect(row).toContain(`,${KHMER},`);
    expect(row).toContain(`,${THAI},`);
    expect(row).toContain(`,"${VIETNAMESE}, ""${KHMER}""",`);
  });

  it('round-trips through UTF-8 bytes, as the downloaded file does', async () => {
    const bytes = new Uint8Array(await new Blob([csv], { type: 'text/csv;charset=utf-8' }).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe(csv);
  });
});
