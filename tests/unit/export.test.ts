import { describe, expect, it } from 'vitest';
import { BOM, CSV_COLUMNS, csvCell, csvRows, guardFormula, toCsvChunks, toJsonChunks } from '../../lib/leads/export';
import { DEFAULT_TAXONOMY, type Audit } from '../../lib/schemas';

const T0 = Date.UTC(2026, 10, 20, 9, 30);

function audit(index: number, overrides: Partial<Audit> = {}): Audit {
  return {
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    rev: 1,
    createdAt: T0 + index * 60_000,
    updatedAt: T0 + index * 60_000,
    deleted: false,
    siteId: 'labeldesk',
    itemId: `item-${index}`,
    itemUrl: `https://labeldesk.example.com/task/${index}`,
    auditorId: 'ana',
    labelerId: 'lab-1',
    verdict: 'correct',
    errorTags: [],
    taxonomyVersion: 1,
    ...overrides,
  };
}

function csvText(audits: Audit[], chunkSize?: number): string {
  return [...toCsvChunks(audits, DEFAULT_TAXONOMY, chunkSize)].join('');
}

/** The data lines after the header, without the BOM; fine for cells without line breaks. */
function dataLines(text: string): string[] {
  return text.slice(BOM.length).split('\r\n').slice(1, -1);
}

describe('CSV export', () => {
  it('starts with a byte order mark and the header row, one row per audit', () => {
    const text = csvText([audit(1), audit(2)]);
    expect(text.startsWith('\uFEFFid,createdAt,')).toBe(true);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.indexOf(BOM, 1)).toBe(-1);
    expect(text.slice(1).split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    expect(dataLines(text)).toHaveLength(2);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('has the columns a lead needs, in the header and in every row', () => {
    expect(CSV_COLUMNS).toEqual(
      expect.arrayContaining(['itemId', 'itemUrl', 'labelerId', 'auditorId', 'verdict', 'severity', 'errorTags', 'createdAt', 'note']),
    );
    const rows = csvRows([audit(1)], DEFAULT_TAXONOMY);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows[1]).toHaveLength(CSV_COLUMNS.length);
  });

  it('writes values in their columns, tags joined with "; ", times in ISO 8601 UTC', () => {
    const row = csvRows(
      [audit(3, { verdict: 'incorrect', errorTags: ['missed-violation', 'retired-tag'], severity: 'critical', durationMs: 4200 })],
      DEFAULT_TAXONOMY,
    )[1]!;
    const cell = (column: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(column)];
    expect(cell('verdict')).toBe('incorrect');
    expect(cell('severity')).toBe('critical');
    expect(cell('errorTags')).toBe('missed-violation; retired-tag');
    expect(cell('errorTagLabels')).toBe('Missed violation; retired-tag');
    expect(cell('createdAt')).toBe('2026-11-20T09:33:00.000Z');
    expect(cell('durationMs')).toBe('4200');
    expect(cell('queue')).toBe('');
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r\nlf', '"cr\r\nlf"'],
    ['', ''],
  ])('quotes %j per RFC 4180', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    ['=HYPERLINK("https://evil.example","x")', `"'=HYPERLINK(""https://evil.example"",""x"")"`],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
    ['a=b', 'a=b'],
    ['1-2', '1-2'],
  ])('guards %j against formula injection', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('guards cells that come from the page', () => {
    const text = csvText([audit(1, { itemId: '=cmd|" /C calc"!A0', note: '@evil' })]);
    expect(text).toContain(`"'=cmd|"" /C calc""!A0"`);
    expect(text).toContain(",'@evil,");
    expect(guardFormula('ok')).toBe('ok');
  });

  it('keeps Khmer and Vietnamese text unchanged', () => {
    const khmer = 'ខ្លឹមសារ​ហិង្សា';
    const vietnamese = 'Nội dung bạo lực, cần xem lại';
    const text = csvText([audit(1, { labelerDecision: khmer, note: vietnamese })]);
    expect(text).toContain(`,${khmer},`);
    expect(text).toContain(`"${vietnamese}"`);
    expect(text.normalize('NFC')).toBe(text);
    const bytes = new TextEncoder().encode(text);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('gives the same text for any chunk size, with each chunk at most chunkSize rows', () => {
    const audits = Array.from({ length: 25 }, (_, index) => audit(index, { note: index % 3 === 0 ? 'a, "b"\nc' : undefined }));
    const onePass = csvText(audits, audits.length);
    for (const size of [1, 2, 7, 24, 25, 26, 2000]) expect(csvText(audits, size)).toBe(onePass);
    const chunks = [...toCsvChunks(audits, DEFAULT_TAXONOMY, 10)];
    expect(chunks).toHaveLength(3);
    expect(chunks[0]!.startsWith(BOM)).toBe(true);
    expect(chunks.slice(1).every((chunk) => !chunk.startsWith(BOM) && !chunk.includes('id,createdAt'))).toBe(true);
  });

  it('writes the header alone when there are no audits, and refuses a chunk size below 1', () => {
    expect(csvText([])).toBe(`${BOM}${CSV_COLUMNS.join(',')}\r\n`);
    expect(() => [...toCsvChunks([], DEFAULT_TAXONOMY, 0)]).toThrow(RangeError);
  });
});

describe('JSON export', () => {
  it('is an array of the audits, the same for any chunk size', () => {
    const audits = Array.from({ length: 7 }, (_, index) => audit(index, { note: 'ខ្មែរ "q"' }));
    const onePass = [...toJsonChunks(audits, 100)].join('');
    expect(JSON.parse(onePass)).toEqual(audits);
    for (const size of [1, 3, 6, 7]) {
      expect([...toJsonChunks(audits, size)].join('')).toBe(onePass);
    }
    expect([...toJsonChunks(audits, 3)]).toHaveLength(3);
    expect(JSON.parse([...toJsonChunks([])].join(''))).toEqual([]);
  });
});
