/**
 * The lead's exports of filtered audits: CSV for spreadsheets, JSON for scripts. Both are generators of text
 * chunks, so the page can build a Blob piece by piece and yield to the event loop between pieces: 100,000 rows
 * joined in one go would freeze the page for seconds.
 */
import type { Audit, Taxonomy } from '../schemas';

/** The CSV's columns, in order; the header row uses these names. */
export const CSV_COLUMNS = [
  'id',
  'createdAt',
  'siteId',
  'itemId',
  'itemUrl',
  'queue',
  'labelerId',
  'labelerDecision',
  'auditorId',
  'verdict',
  'severity',
  'errorTags',
  'errorTagLabels',
  'correctedDecision',
  'note',
  'durationMs',
  'taxonomyVersion',
  'rev',
  'updatedAt',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Excel and LibreOffice read a UTF-8 file as the local code page unless it starts with a byte order mark. */
export const BOM = '\uFEFF';

/** RFC 4180 ends records with CRLF. */
const LINE_END = '\r\n';

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Guards against CSV formula injection (OWASP "CSV Injection"): item ids, labeler ids, queues, decisions and
 * notes are read off labeling pages or typed by people, so a cell can hold `=HYPERLINK("https://evil", "x")` or
 * `@SUM(...)`, which a spreadsheet would run when the lead opens the file. A leading apostrophe makes the
 * spreadsheet show the text as text; the character it guards is kept.
 */
export function guardFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One cell, quoted per RFC 4180 when it holds a comma, a quote or a line break (quotes doubled). */
export function csvCell(value: string): string {
  const guarded = guardFormula(value);
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

function csvLine(cells: readonly string[]): string {
  return cells.map(csvCell).join(',') + LINE_END;
}

function tagLabel(taxonomy: Pick<Taxonomy, 'tags'>, tagId: string): string {
  // A tag the taxonomy no longer lists still exports, under its id (as errorTagPareto shows it).
  return taxonomy.tags.find((tag) => tag.id === tagId)?.label ?? tagId;
}

/** An audit as the CSV's cells, unquoted, in `CSV_COLUMNS` order. Times are ISO 8601 in UTC. */
function auditCells(audit: Audit, taxonomy: Pick<Taxonomy, 'tags'>): string[] {
  const cells: Record<CsvColumn, string> = {
    id: audit.id,
    createdAt: new Date(audit.createdAt).toISOString(),
    siteId: audit.siteId,
    itemId: audit.itemId,
    itemUrl: audit.itemUrl,
    queue: audit.queue ?? '',
    labelerId: audit.labelerId ?? '',
    labelerDecision: audit.labelerDecision ?? '',
    auditorId: audit.auditorId,
    verdict: audit.verdict,
    severity: audit.severity ?? '',
    errorTags: audit.errorTags.join('; '),
    errorTagLabels: audit.errorTags.map((tagId) => tagLabel(taxonomy, tagId)).join('; '),
    correctedDecision: audit.correctedDecision ?? '',
    note: audit.note ?? '',
    durationMs: audit.durationMs === undefined ? '' : String(audit.durationMs),
    taxonomyVersion: String(audit.taxonomyVersion),
    rev: String(audit.rev),
    updatedAt: new Date(audit.updatedAt).toISOString(),
  };
  return CSV_COLUMNS.map((column) => cells[column]);
}

/** The header row, then one row of cells per audit, not yet quoted or guarded. */
export function csvRows(audits: readonly Audit[], taxonomy: Pick<Taxonomy, 'tags'>): string[][] {
  return [[...CSV_COLUMNS], ...audits.map((audit) => auditCells(audit, taxonomy))];
}

function checkChunkSize(chunkSize: number): void {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
}

/**
 * The CSV file as chunks of at most `chunkSize` audits each: the first chunk starts with the BOM and the header
 * row. Joined, the chunks are the same text for every `chunkSize`. No audits: BOM and header only.
 */
export function* toCsvChunks(
  audits: readonly Audit[],
  taxonomy: Pick<Taxonomy, 'tags'>,
  chunkSize = 2000,
): Generator<string, void, undefined> {
  checkChunkSize(chunkSize);
  let chunk = BOM + csvLine(CSV_COLUMNS);
  for (let start = 0; start < audits.length; start += chunkSize) {
    for (const audit of audits.slice(start, start + chunkSize)) chunk += csvLine(auditCells(audit, taxonomy));
    yield chunk;
    chunk = '';
  }
  if (audits.length === 0) yield chunk;
}

/** The JSON file, an array of the audits as stored, in chunks of at most `chunkSize` audits. */
export function* toJsonChunks(audits: readonly Audit[], chunkSize = 2000): Generator<string, void, undefined> {
  checkChunkSize(chunkSize);
  if (audits.length === 0) {
    yield '[]\n';
    return;
  }
  for (let start = 0; start < audits.length; start += chunkSize) {
    const items = audits.slice(start, start + chunkSize).map((audit) => JSON.stringify(audit));
    const opening = start === 0 ? '[\n' : ',\n';
    const closing = start + chunkSize >= audits.length ? '\n]\n' : '';
    yield opening + items.join(',\n') + closing;
  }
}
