/**
 * `GET /v1/changes` (issue 5, lib/sync/contract.ts): reading the pull query and building one page of it.
 *
 * The cursor is the number of the last change a page returned, written in decimal. Records come in the order of
 * their latest change and a change always gets a higher number than every earlier one, so a record changed while
 * a client pages through moves behind the cursors already handed out: it comes again on a later page, never
 * skipped. Pure: the route passes in the store's highest change number and the rows it read.
 */
import { detectedItemSchema } from '../lib/schemas/audit';
import {
  CHANGES_SCHEMA,
  MAX_CHANGES_PAGE,
  RECORD_TYPES,
  recordTypeSchema,
  type ChangesResponse,
  type RecordType,
  type SyncRecord,
} from '../lib/sync/contract';
import type { ChangedRecord } from './store';

export interface ChangesQuery {
  /** Without duplicates, in the order asked. */
  types: RecordType[];
  /** Records whose latest change is numbered above this; 0 from the beginning. */
  afterSeq: number;
  limit: number;
  item?: { siteId: string; itemId: string };
}

export type ParsedChangesQuery = { ok: true; query: ChangesQuery } | { ok: false; error: string };

const KNOWN_PARAMS = ['since', 'types', 'siteId', 'itemId', 'limit'] as const;
/** Canonical decimal only ("7", never "07" or "7.0"), so each cursor has one spelling. */
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

export function encodeChangesCursor(seq: number): string {
  return String(seq);
}

/** The change number a cursor stands for; `undefined` when it is not a cursor this format can produce. */
export function decodeChangesCursor(cursor: string): number | undefined {
  if (!DECIMAL.test(cursor)) return undefined;
  const seq = Number(cursor);
  return Number.isSafeInteger(seq) ? seq : undefined;
}

const show = (value: string) => JSON.stringify(value);

function parseTypes(raw: string | null): RecordType[] | string {
  const expected = `types must list record types separated by commas (${RECORD_TYPES.join(', ')})`;
  if (raw === null || raw === '') return `${expected}, e.g. types=note`;
  const types: RecordType[] = [];
  for (const name of raw.split(',')) {
    const parsed = recordTypeSchema.safeParse(name);
    if (!parsed.success) return `${expected}; ${show(name)} is not one`;
    if (!types.includes(parsed.data)) types.push(parsed.data);
  }
  return types;
}

function parseSince(raw: string | null, lastIssuedSeq: number): number | string {
  // An empty `since` is what a client holding no cursor yet may naturally send.
  if (raw === null || raw === '') return 0;
  const seq = decodeChangesCursor(raw);
  if (seq === undefined) {
    return `since ${show(raw)} is not a cursor from this receiver: send back the cursor of the last page, or leave since out to start from the beginning`;
  }
  if (seq > lastIssuedSeq) {
    return `since ${show(raw)} is ahead of every change this receiver has numbered (last: ${lastIssuedSeq}): its database may have been replaced; pull again without since`;
  }
  return seq;
}

function parseLimit(raw: string | null): number | string {
  if (raw === null) return MAX_CHANGES_PAGE;
  const limit = DECIMAL.test(raw) ? Number(raw) : NaN;
  if (!(limit >= 1 && limit <= MAX_CHANGES_PAGE)) {
    return `limit must be a whole number from 1 to ${MAX_CHANGES_PAGE}, got ${show(raw)}`;
  }
  return limit;
}

function parseItem(siteId: string | null, itemId: string | null): ChangesQuery['item'] | string | undefined {
  if (siteId === null && itemId === null) return undefined;
  if (siteId === null || itemId === null) {
    return 'siteId and itemId go together: give both to pull one item’s records, or neither for all';
  }
  if (!detectedItemSchema.shape.siteId.safeParse(siteId).success) {
    return `siteId must be a site id such as "acme-labeler", got ${show(siteId)}`;
  }
  if (!detectedItemSchema.shape.itemId.safeParse(itemId).success) {
    return `itemId must be an item id of 1 to 256 characters, got ${show(itemId.slice(0, 300))}`;
  }
  // Filtered as given, not trimmed: the stored column holds what the client sent.
  return { siteId, itemId };
}

/**
 * Reads the query of `GET /v1/changes`. `lastIssuedSeq` is the highest change number the store ever gave out:
 * a cursor above it cannot have come from this receiver. Unknown and repeated parameters are refused, so a typo
 * such as `site_id=` fails loudly instead of silently pulling every item.
 */
export function parseChangesQuery(params: URLSearchParams, lastIssuedSeq: number): ParsedChangesQuery {
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (!(KNOWN_PARAMS as readonly string[]).includes(key)) {
      return { ok: false, error: `unknown parameter ${show(key)}; this route reads ${KNOWN_PARAMS.join(', ')}` };
    }
    if (seen.has(key)) return { ok: false, error: `${key} is given more than once` };
    seen.add(key);
  }
  const types = parseTypes(params.get('types'));
  if (typeof types === 'string') return { ok: false, error: types };
  const afterSeq = parseSince(params.get('since'), lastIssuedSeq);
  if (typeof afterSeq === 'string') return { ok: false, error: afterSeq };
  const limit = parseLimit(params.get('limit'));
  if (typeof limit === 'string') return { ok: false, error: limit };
  const item = parseItem(params.get('siteId'), params.get('itemId'));
  if (typeof item === 'string') return { ok: false, error: item };
  return { ok: true, query: item ? { types, afterSeq, limit, item } : { types, afterSeq, limit } };
}

function toSyncRecord(record: ChangedRecord): SyncRecord {
  return {
    type: record.type,
    id: record.id,
    rev: record.rev,
    deleted: record.deleted,
    updatedAt: record.updatedAt,
    data: record.data,
  };
}

/**
 * One page of the answer. `changed` is what the store listed for the query with a limit of `query.limit + 1`,
 * in change order: the extra row, never sent, is how the page knows another one is waiting. An empty page hands
 * back the cursor it was asked from, so polling with it later misses nothing.
 */
export function buildChangesPage(changed: readonly ChangedRecord[], query: ChangesQuery): ChangesResponse {
  const page = changed.slice(0, query.limit);
  const last = page.at(-1);
  return {
    schema: CHANGES_SCHEMA,
    records: page.map(toSyncRecord),
    cursor: encodeChangesCursor(last?.seq ?? query.afterSeq),
    hasMore: changed.length > query.limit,
  };
}
