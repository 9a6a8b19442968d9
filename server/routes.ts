/**
 * The receiver's HTTP routes: `POST /v1/batches` and `GET /v1/health` per DESIGN.md "Sync contract v1",
 * `GET /v1/summary` (issue 4, lib/sync/team-summary.ts), `GET /v1/changes` (issue 5, changes.ts), a preflight
 * answer, and the `/__test/*` routes only when test control is on (faults.ts says why).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { BATCH_PATH, BATCH_SCHEMA, batchSchema, CHANGES_PATH, type RecordResult } from '../lib/sync/contract';
import { SUMMARY_PATH } from '../lib/sync/team-summary';
import { buildChangesPage, parseChangesQuery } from './changes';
import type { FaultController } from './faults';
import { hasBearerToken, isJsonContentType, readBodyWithin, sendError, sendJson } from './http';
import type { ReceiverStore } from './store';
import { buildTeamSummary, calendarDayRange, parseSummaryQuery } from './summary';
import { handleTestControl } from './test-control';

export const HEALTH_PATH = '/v1/health';
export const TEST_CONTROL_PREFIX = '/__test/';

export interface ReceiverCounters {
  /** Every request except `/__test/*` ones. */
  requests: number;
  /** POSTs to the batch route, answered or failed: what sync's backoff is about (pulls and summaries excluded). */
  batchRequests: number;
  /** Batches applied to the store. */
  batches: number;
}

export interface RouteContext {
  store: ReceiverStore;
  faults: FaultController;
  counters: ReceiverCounters;
  token: string | undefined;
  maxBodyBytes: number;
  testControl: boolean;
  now: () => number;
  /** Aborted when the receiver closes: pending delays end and nothing touches the closed database. */
  signal: AbortSignal;
  onError: (error: unknown) => void;
}

// Browser extensions send with host permission and need no CORS; a browser that preflights anyway is answered,
// but only extension origins are allowed through. A web page must not be able to make a visitor's browser
// write audits into a token-less local receiver.
const EXTENSION_ORIGIN = /^(?:chrome|moz|safari-web)-extension:\/\/[^/]+$/;

function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  const headers: Record<string, string> = {
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Idempotency-Key',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
  if (origin === undefined) headers['Access-Control-Allow-Origin'] = '*';
  else if (EXTENSION_ORIGIN.test(origin)) headers['Access-Control-Allow-Origin'] = origin;
  res.writeHead(204, headers);
  res.end();
}

function refuseToken(res: ServerResponse): void {
  sendError(res, 401, 'missing or wrong bearer token', {}, { 'WWW-Authenticate': 'Bearer' });
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): { path: string; message: string }[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

async function receiveBatch(req: IncomingMessage, res: ServerResponse, context: RouteContext): Promise<void> {
  const { faults } = context;
  if (context.token !== undefined && !hasBearerToken(req.headers.authorization, context.token)) return refuseToken(res);
  if (!isJsonContentType(req.headers['content-type'])) {
    return sendError(res, 415, 'Content-Type must be application/json');
  }
  const read = await readBodyWithin(req, context.maxBodyBytes);
  if (!read.ok) {
    // Closing the connection is what lets us stop reading: the rest of an oversized body is never consumed.
    return sendError(res, 413, `the batch is larger than ${context.maxBodyBytes} bytes`, { limit: context.maxBodyBytes }, {
      Connection: 'close',
    });
  }

  const delay = faults.takeDelay();
  if (delay !== undefined) await sleep(delay, undefined, { signal: context.signal });
  const outcome = faults.takeOutcome();
  if (outcome?.kind === 'drop') {
    req.socket.destroy();
    return;
  }
  if (outcome?.kind === 'fail') {
    const headers: Record<string, string> = outcome.retryAfter === undefined ? {} : { 'Retry-After': outcome.retryAfter };
    return sendError(res, outcome.status, `injected failure ${outcome.status} (test fault)`, {}, headers);
  }

  let json: unknown;
  try {
    json = JSON.parse(read.body.toString('utf8'));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return sendError(res, 400, 'the body is not valid JSON', { issues: [{ path: '', message }] });
  }
  const parsed = batchSchema.safeParse(json);
  if (!parsed.success) {
    return sendError(res, 400, `the body is not a ${BATCH_SCHEMA} batch`, { issues: describeIssues(parsed.error.issues) });
  }
  const batch = parsed.data;
  const idempotencyKey = req.headers['idempotency-key'];
  if (idempotencyKey !== undefined && idempotencyKey !== batch.batchId) {
    return sendError(res, 400, 'Idempotency-Key must equal batchId', {
      issues: [{ path: 'Idempotency-Key', message: `expected ${batch.batchId}` }],
    });
  }
  const refusal = faults.findRefusal(batch.records.map((record) => record.id));
  if (refusal) return sendError(res, refusal.status, refusal.reason, { recordId: refusal.id });

  if (context.signal.aborted) {
    req.socket.destroy();
    return;
  }
  const results = context.store.applyBatch(batch, context.now());
  context.counters.batches++;
  if (outcome?.kind === 'malformed') {
    // Plausible but wrong: an unknown status, so only real validation (not a shape sniff) catches it.
    const garbled = results.map((result) => ({ id: result.id, rev: result.rev, status: 'received' }));
    return sendJson(res, 200, { results: garbled });
  }
  sendJson(res, 200, { results } satisfies { results: RecordResult[] });
}

function answerHealth(req: IncomingMessage, res: ServerResponse, context: RouteContext): void {
  // Checks the token too, so the options page's "Test connection" shows a wrong token as 401.
  if (context.token !== undefined && !hasBearerToken(req.headers.authorization, context.token)) return refuseToken(res);
  sendJson(res, 200, { ok: true, schema: BATCH_SCHEMA });
}

function answerSummary(req: IncomingMessage, res: ServerResponse, context: RouteContext): void {
  // Team numbers are as private as the audits behind them: the same token as batches.
  if (context.token !== undefined && !hasBearerToken(req.headers.authorization, context.token)) return refuseToken(res);
  const query = parseSummaryQuery(new URL(req.url ?? '/', 'http://receiver.invalid').searchParams);
  if (!query.ok) return sendError(res, 400, query.error);
  const range = calendarDayRange(query.day, query.timeZone);
  if (!range) return sendError(res, 400, `${query.day} does not exist in ${query.timeZone}: its clocks skipped that day`);
  const records = context.store.listLiveCreatedBetween('audit', range.start, range.end);
  sendJson(res, 200, buildTeamSummary(records, query.day, query.timeZone));
}

function answerChanges(req: IncomingMessage, res: ServerResponse, context: RouteContext): void {
  // Notes quote the pages Trust & Safety teams review: the same token as batches.
  if (context.token !== undefined && !hasBearerToken(req.headers.authorization, context.token)) return refuseToken(res);
  const { store } = context;
  const parsed = parseChangesQuery(new URL(req.url ?? '/', 'http://receiver.invalid').searchParams, store.lastSeq());
  if (!parsed.ok) return sendError(res, 400, parsed.error);
  const { query } = parsed;
  // One row more than the page: whether it exists is `hasMore`.
  const changed = store.listChangedSince({ ...query, limit: query.limit + 1 });
  sendJson(res, 200, buildChangesPage(changed, query));
}

function refuseMethod(res: ServerResponse, allowed: string): void {
  sendError(res, 405, `use ${allowed}`, {}, { Allow: `${allowed}, OPTIONS` });
}

async function route(req: IncomingMessage, res: ServerResponse, context: RouteContext): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://receiver.invalid').pathname;
  if (context.testControl && path.startsWith(TEST_CONTROL_PREFIX)) return handleTestControl(req, res, path, context);

  context.counters.requests++;
  if (req.method === 'OPTIONS') return answerPreflight(req, res);
  if (path === HEALTH_PATH) return req.method === 'GET' ? answerHealth(req, res, context) : refuseMethod(res, 'GET');
  if (path === BATCH_PATH) {
    if (req.method !== 'POST') return refuseMethod(res, 'POST');
    context.counters.batchRequests++;
    return receiveBatch(req, res, context);
  }
  if (path === SUMMARY_PATH) return req.method === 'GET' ? answerSummary(req, res, context) : refuseMethod(res, 'GET');
  if (path === CHANGES_PATH) return req.method === 'GET' ? answerChanges(req, res, context) : refuseMethod(res, 'GET');
  sendError(res, 404, `no route ${req.method ?? ''} ${path}`);
}

export function createRequestHandler(context: RouteContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(req, res, context).catch((error: unknown) => {
      // Closing (aborted delay, destroyed sockets) is not a failure worth an answer or a report.
      if (context.signal.aborted) {
        res.destroy();
        return;
      }
      context.onError(error);
      if (res.headersSent || res.destroyed) res.destroy();
      else sendError(res, 500, 'internal error');
    });
  };
}
