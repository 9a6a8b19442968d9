/**
 * `/__test/*`: fault commands and counters for e2e tests that run the receiver as a child process. Routed here
 * only when the receiver was started with `--test-control` (or LOUPE_RECEIVER_TEST_CONTROL=1); otherwise these
 * paths are unknown routes (404). Commands: `faultCommandSchema` in faults.ts.
 *
 *   POST /__test/faults  {"command":"failNext","count":2,"status":503,"retryAfter":"1"}  (or an array of them)
 *   GET  /__test/stats   → {"requests":…,"batches":…,"records":…,"pending":{…}}
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultCommandsSchema } from './faults';
import { readBodyWithin, sendError, sendJson } from './http';
import type { RouteContext } from './routes';

const MAX_COMMAND_BYTES = 64 * 1024;

export async function handleTestControl(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  context: RouteContext,
): Promise<void> {
  if (path === '/__test/stats' && req.method === 'GET') {
    return sendJson(res, 200, {
      requests: context.counters.requests,
      batchRequests: context.counters.batchRequests,
      batches: context.counters.batches,
      records: context.store.countRecords(),
      pending: context.faults.pending(),
    });
  }
  if (path === '/__test/faults' && req.method === 'POST') {
    const read = await readBodyWithin(req, MAX_COMMAND_BYTES);
    if (!read.ok) return sendError(res, 413, 'fault commands too large', {}, { Connection: 'close' });
    let json: unknown;
    try {
      json = JSON.parse(read.body.toString('utf8'));
    } catch {
      return sendError(res, 400, 'the body is not valid JSON');
    }
    const parsed = faultCommandsSchema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
      return sendError(res, 400, 'not a fault command', { issues });
    }
    for (const command of Array.isArray(parsed.data) ? parsed.data : [parsed.data]) context.faults.apply(command);
    return sendJson(res, 200, { ok: true, pending: context.faults.pending() });
  }
  sendError(res, 404, `no test-control route ${req.method ?? ''} ${path}`);
}
