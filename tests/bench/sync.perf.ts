/**
 * Issue 6 §5 and the second half of §7: draining a backlog of 10,000 and of 100,000 verdicts to the reference
 * receiver on 127.0.0.1 (records per second and requests made, target: at least half the rate of a plain script
 * POSTing the same batches with no extension), and the service worker's heap with a 100,000-record database.
 *
 * How a run goes, and why:
 * - The audits are generated here, in Node, and written raw into the extension's IndexedDB (audit + revision,
 *   as lib/audits.ts leaves them); each run then appends one outbox entry per audit, queued an hour ago (a backlog
 *   built while offline), in one transaction, so a sync run that started early could not see half of it.
 * - Every run gets a fresh receiver (empty database, same port, so the endpoint in the settings stays right): the
 *   receiver does the same work for the extension and for the baseline, every record "accepted".
 * - The worker's alarms are cleared first, so nothing but our "sync now" starts a drain; a request the receiver
 *   sees before that message fails the run rather than being timed.
 * - The extension's time runs from the "sync now" message to the receiver's last stored record (polled through
 *   the receiver's change counter, a one-row read). The baseline is a plain script in a Node worker thread (its
 *   own event loop, as a separate client would have; the receiver runs in this process) POSTing the very batches
 *   the extension's batch planner makes from the same records, one after another, as the extension does.
 * - The worker's heap is read through the DevTools protocol (Runtime.getHeapUsage after
 *   HeapProfiler.collectGarbage): at rest with an empty database (the baseline), after draining each backlog, and
 *   after a cold start on each database; its peak during a drain is sampled (no GC) every 250 ms.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker as NodeThread } from 'node:worker_threads';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Audit } from '../../lib/schemas';
import { auditSchema } from '../../lib/schemas';
import { fitBatch } from '../../lib/sync/batch-plan';
import { BATCH_PATH, BATCH_SCHEMA, MAX_BATCH_RECORDS, type SyncRecord } from '../../lib/sync/contract';
import { SWEEP_CHUNK, toSyncRecord } from '../../lib/sync/outbox';
import { startReceiver, type RunningReceiver } from '../../server/receiver';
import { launchWithExtension, stopServiceWorkers, wakeServiceWorker, type ExtensionBrowser } from '../e2e/harness';
import { demoSettingsWithSync, importDemoSettings } from '../e2e/settings';
import { median, recordBench, round, type Figure } from './results';

const SIZES = [10_000, 100_000] as const;
/**
 * Drains timed per size. A 100,000-record drain took 1.5 to 2.5 minutes here (see the figures), so by default it
 * runs once to keep the file within a few minutes; LOUPE_BENCH_LARGE_RUNS=3 gives a median on a quiet machine.
 * The plain script is fast, so it always runs BASELINE_RUNS times.
 */
const RUNS: Record<(typeof SIZES)[number], number> = { 10_000: 3, 100_000: Math.max(1, Number(process.env.LOUPE_BENCH_LARGE_RUNS ?? 1)) };
const BASELINE_RUNS = 3;
const SEED_CHUNK = 5_000;
const DRAIN_TIMEOUT_MS = 240_000;
const HEAP_SAMPLE_MS = 250;
/** Another unpacked build to measure (e.g. one built with LOUPE_OUT_DIR while other work rebuilds .output-test). */
const OTHER_BUILD = process.env.LOUPE_BENCH_EXTENSION;

let browser: ExtensionBrowser;
let workDir: string;
let receiver: RunningReceiver | undefined;
let receiverPort = 0;
let runNumber = 0;
/** When the current receiver stored each batch (performance.now()), through its `now` hook. */
let appliedAt: number[] = [];
/** An extension document that renders nothing (no liveQuery reacting to the outbox during a drain). */
let control: Page;
/** A page whose DevTools session reaches the worker's target (Playwright opens sessions on pages only). */
let probe: Page;
let probeSession: CDPSession;

// ---------------------------------------------------------------------------------------------------------------
// The data

/** `count` audits as the panel records them, numbered from `from`; ~8 % incorrect with tags, ~3 % unsure. */
function makeAudits(from: number, count: number, now: number): Audit[] {
  const tags = ['missed-violation', 'over-enforcement', 'wrong-policy', 'wrong-severity', 'insufficient-context'];
  const auditors = ['qa-maria', 'qa-sok', 'qa-linh', 'qa-nur', 'qa-ari'];
  const audits: Audit[] = [];
  for (let i = from; i < from + count; i += 1) {
    const createdAt = now - 30 * 86_400_000 + ((i * 7919) % (30 * 86_400_000));
    const roll = (i * 2654435761) % 100;
    const verdict = roll < 8 ? 'incorrect' : roll < 11 ? 'unsure' : 'correct';
    const itemId = `SYNC-${i}`;
    audits.push({
      id: crypto.randomUUID(),
      rev: 1,
      createdAt,
      updatedAt: createdAt,
      deleted: false,
      siteId: 'labeldesk',
      itemId,
      itemUrl: `http://127.0.0.1/labeldesk/task/${itemId}`,
      labelerId: `lab-${(i * 31) % 25}`,
      labelerDecision: 'approve',
      queue: 'hate-speech',
      auditorId: auditors[i % auditors.length]!,
      verdict,
      errorTags: verdict === 'incorrect' ? [tags[i % tags.length]!, ...(i % 3 === 0 ? [tags[(i + 1) % tags.length]!] : [])] : [],
      ...(verdict === 'incorrect' ? { severity: i % 10 === 0 ? ('critical' as const) : ('major' as const) } : {}),
      taxonomyVersion: 1,
      durationMs: 20_000 + (i % 40_000),
    });
  }
  return audits;
}

/** Writes audits and their first revisions, raw, in transactions of SEED_CHUNK. */
async function storeAudits(audits: readonly Audit[]): Promise<void> {
  for (let from = 0; from < audits.length; from += SEED_CHUNK) {
    await control.evaluate(async (chunk) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('loupe');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const tx = db.transaction(['audits', 'auditRevisions'], 'readwrite');
      for (const audit of chunk) {
        tx.objectStore('audits').put(audit);
        tx.objectStore('auditRevisions').put(audit);
      }
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    }, audits.slice(from, from + SEED_CHUNK));
  }
}

/** One queued outbox entry per stored audit, queued an hour ago, in one transaction. Resolves with the count. */
async function enqueueEveryAudit(): Promise<number> {
  return control.evaluate(async (queuedFrom) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('loupe');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction(['audits', 'outbox'], 'readwrite');
    const audits = await new Promise<Array<Record<string, unknown> & { id: string; rev: number }>>((resolve, reject) => {
      const request = tx.objectStore('audits').getAll();
      request.onsuccess = () => resolve(request.result as Array<Record<string, unknown> & { id: string; rev: number }>);
      request.onerror = () => reject(request.error);
    });
    const outbox = tx.objectStore('outbox');
    // As queueRecordChange leaves them (lib/sync/outbox.ts): appended in order, the key generator giving each its
    // seq, each holding its record as it travels (toSyncRecord).
    audits.forEach((audit, i) => {
      const { id, rev, deleted, updatedAt, ...data } = audit;
      const record = { type: 'audit', id, rev, deleted, updatedAt, data };
      outbox.add({ key: `audit:${id}`, type: 'audit', recordId: id, rev, record, status: 'pending', enqueuedAt: queuedFrom + i });
    });
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    return audits.length;
  }, Date.now() - 3_600_000);
}

// ---------------------------------------------------------------------------------------------------------------
// The extension's side

/** Clears the worker's alarms (it re-creates them at its next start), so only our message starts a drain. */
async function quietAlarms(): Promise<void> {
  await control.evaluate(async () => {
    await (globalThis as unknown as { chrome: { alarms: { clearAll(): Promise<boolean> } } }).chrome.alarms.clearAll();
  });
}

async function sendSyncNow(): Promise<void> {
  await control.evaluate(() =>
    (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ type: 'page/sync-now' }),
  );
}

/**
 * A DevTools session on the extension's service worker, through the probe page's session (Target.attachToTarget
 * without flattening: Playwright's CDPSession cannot address a flattened child session). Attached per use: the
 * worker's target changes when it is stopped and started again.
 */
async function withWorkerSession<T>(work: (send: (method: string, params?: object) => Promise<unknown>) => Promise<T>): Promise<T> {
  const { targetInfos } = await probeSession.send('Target.getTargets');
  const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${browser.extensionId}/`));
  if (!target) throw new Error('the extension\u2019s service worker has no DevTools target (is it running?)');
  const { sessionId } = await probeSession.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 0;
  const onMessage = (event: { sessionId?: string; message: string }) => {
    if (event.sessionId !== sessionId) return;
    const reply = JSON.parse(event.message) as { id?: number; result?: unknown; error?: { message: string } };
    if (reply.id === undefined) return;
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.error) pending?.reject(new Error(reply.error.message));
    else pending?.resolve(reply.result);
  };
  probeSession.on('Target.receivedMessageFromTarget', onMessage);
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      nextId += 1;
      waiting.set(nextId, { resolve, reject });
      probeSession.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: nextId, method, params }) }).catch(reject);
    });
  try {
    return await work(send);
  } finally {
    probeSession.off('Target.receivedMessageFromTarget', onMessage);
    await probeSession.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
  }
}

interface HeapUsage {
  usedSize: number;
}

/** The worker's used JS heap after a full garbage collection, in MB. */
async function workerHeapAtRest(): Promise<number> {
  return withWorkerSession(async (send) => {
    await send('HeapProfiler.collectGarbage');
    await send('HeapProfiler.collectGarbage');
    const usage = (await send('Runtime.getHeapUsage')) as HeapUsage;
    return usage.usedSize / 2 ** 20;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The receiver, and the plain script

async function freshReceiver(): Promise<RunningReceiver> {
  await receiver?.close();
  runNumber += 1;
  const stamps: number[] = [];
  appliedAt = stamps;
  receiver = await startReceiver({
    port: receiverPort,
    db: join(workDir, `receiver-${runNumber}.sqlite`),
    onError: () => undefined,
    now: () => {
      stamps.push(performance.now());
      return Date.now();
    },
  });
  receiverPort = Number(new URL(receiver.origin).port);
  return receiver;
}

async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Waits until the receiver has had no request for `quietMs` (the pull that follows a push, if any). */
async function receiverQuiet(server: RunningReceiver, quietMs = 400): Promise<void> {
  let last = server.stats().requests;
  let since = performance.now();
  while (performance.now() - since < quietMs) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = server.stats().requests;
    if (now !== last) {
      last = now;
      since = performance.now();
    }
  }
}

/** The batches the extension's planner makes of these records, in order. */
function planBatches(records: readonly SyncRecord[]): SyncRecord[][] {
  const batches: SyncRecord[][] = [];
  for (let from = 0; from < records.length; ) {
    const count = fitBatch(records.slice(from, from + MAX_BATCH_RECORDS));
    batches.push(records.slice(from, from + count));
    from += count;
  }
  return batches;
}

/**
 * The baseline: a plain script (CommonJS in a worker thread, no extension, no database) that POSTs each batch
 * with the contract's headers and reads the answer before the next, as one client draining a queue does.
 */
const PLAIN_POSTER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { url, clientId, schema, batches } = workerData;
  let records = 0;
  const started = performance.now();
  for (const batch of batches) {
    const batchId = crypto.randomUUID();
    const body = JSON.stringify({ schema, batchId, clientId, sentAt: new Date().toISOString(), records: batch });
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': batchId }, body });
    const answer = await response.json();
    if (!response.ok) throw new Error('the receiver answered ' + response.status + ': ' + JSON.stringify(answer));
    records += answer.results.filter((r) => r.status === 'accepted').length;
  }
  parentPort.postMessage({ ms: performance.now() - started, requests: batches.length, records });
})().catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
`;

async function postPlainly(batches: SyncRecord[][], server: RunningReceiver): Promise<{ ms: number; requests: number; records: number }> {
  const thread = new NodeThread(PLAIN_POSTER, {
    eval: true,
    workerData: { url: `${server.origin}${BATCH_PATH}`, clientId: crypto.randomUUID(), schema: BATCH_SCHEMA, batches },
  });
  try {
    const answer = await new Promise<{ ms: number; requests: number; records: number; error?: string }>((resolve, reject) => {
      thread.once('message', resolve);
      thread.once('error', reject);
    });
    if (answer.error) throw new Error(`the plain script failed: ${answer.error}`);
    return answer;
  } finally {
    await thread.terminate();
  }
}

/** The median time between two stored batches: one client's whole cycle per request, receiver included. */
function medianBatchCycle(stamps: readonly number[]): number {
  return median(stamps.slice(1).map((at, i) => at - stamps[i]!));
}

// ---------------------------------------------------------------------------------------------------------------

interface DrainRun {
  ms: number;
  /** From the last record stored to the outbox emptied of the delivered entries. */
  sweepMs: number;
  /** A read-write transaction over the outbox, from asking to commit, every ~50 ms while the sweep ran. */
  writeWaits: number[];
  /** The same once the outbox is empty. */
  writeWaitAtRestMs: number;
  /** From "sync now" to the first batch stored. */
  firstBatchMs: number;
  cycleMs: number;
  slowestCycleMs: number;
  batches: number;
  requests: number;
  peakHeapMb: number;
}

/**
 * Rows in the extension's outbox, delivered ones not yet swept included, counted raw; and `waitMs`: a read-write
 * transaction over the outbox, as a verdict's write takes one, that reads one key no entry has (seq 0), from asking
 * for it to its commit. That is how long such a write waits behind whatever holds the outbox (during the sweep, one
 * of its chunks). Counting walks the deleted rows LevelDB has not compacted yet, so it is not part of the wait.
 */
async function outboxRows(): Promise<{ rows: number; waitMs: number }> {
  return control.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('loupe');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const asked = performance.now();
    const tx = db.transaction('outbox', 'readwrite');
    tx.objectStore('outbox').get(0);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    const waitMs = performance.now() - asked;
    const rows = await new Promise<number>((resolve, reject) => {
      const request = db.transaction('outbox').objectStore('outbox').count();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return { rows, waitMs };
  });
}

/** One timed drain of the whole stored backlog by the extension, to a fresh receiver. */
async function drainOnce(expected: number): Promise<DrainRun> {
  // Before the backlog exists: the periodic alarm (re-created at every worker start) must not drain it early.
  await quietAlarms();
  const queued = await enqueueEveryAudit();
  if (queued !== expected) throw new Error(`queued ${queued} records, expected ${expected}`);
  const server = await freshReceiver();
  if (server.stats().requests !== 0) throw new Error('the worker reached the receiver before "sync now": the run would not be timed from its start');

  let peak = 0;
  let sampling = true;
  const sampler = withWorkerSession(async (send) => {
    while (sampling) {
      const usage = (await send('Runtime.getHeapUsage')) as HeapUsage;
      peak = Math.max(peak, usage.usedSize);
      await new Promise((resolve) => setTimeout(resolve, HEAP_SAMPLE_MS));
    }
  });
  const started = performance.now();
  try {
    await sendSyncNow();
    await waitUntil(() => server.db.lastSeq() >= expected, DRAIN_TIMEOUT_MS, `${expected} records on the receiver`);
  } finally {
    sampling = false;
  }
  const ms = performance.now() - started;
  // The delivered entries are deleted once the run is over (sweepSettled): not part of the drain, but timed too,
  // so the work moved out of it shows.
  const sweepDeadline = performance.now() + DRAIN_TIMEOUT_MS;
  const writeWaits: number[] = [];
  for (;;) {
    const { rows, waitMs } = await outboxRows();
    if (rows === 0) break;
    writeWaits.push(waitMs);
    if (performance.now() > sweepDeadline) throw new Error('the delivered entries were never swept from the outbox');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const sweepMs = performance.now() - started - ms;
  const atRest = await outboxRows();
  const { batches, requests } = server.stats();
  const cycleMs = medianBatchCycle(appliedAt);
  const firstBatchMs = (appliedAt[0] ?? Number.NaN) - started;
  const slowestCycleMs = Math.max(...appliedAt.slice(1).map((at, i) => at - appliedAt[i]!));
  await sampler;
  if (server.stats().records !== expected) throw new Error(`the receiver holds ${server.stats().records} records, expected ${expected}`);
  await receiverQuiet(server);
  return { ms, sweepMs, writeWaits, writeWaitAtRestMs: atRest.waitMs, firstBatchMs, cycleMs, slowestCycleMs, batches, requests, peakHeapMb: peak / 2 ** 20 };
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'loupe-bench-sync-'));
  await freshReceiver();
  browser = await launchWithExtension({ userDataDir: join(workDir, 'profile'), ...(OTHER_BUILD ? { extensionPath: resolve(OTHER_BUILD) } : {}) });
  await importDemoSettings(browser, await demoSettingsWithSync(workDir, receiver!.origin));
  control = await browser.context.newPage();
  await control.goto(`chrome-extension://${browser.extensionId}/manifest.json`);
  probe = await browser.context.newPage();
  probeSession = await browser.context.newCDPSession(probe);
});

afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('sync', () => {
  it('drains 10,000 and 100,000-record backlogs to the reference receiver, beside a plain script, and weighs the worker', async () => {
    const figures: Figure[] = [];
    const now = Date.now();
    const heapEmpty = await workerHeapAtRest();
    const perSize = new Map<number, { ms: number; baselineMs: number }>();
    let stored: Audit[] = [];

    for (const size of SIZES) {
      const added = makeAudits(stored.length, size - stored.length, now);
      // The receiver refuses what the schema refuses: a bad generator would show as a drain that never ends.
      for (const audit of added.slice(0, 50)) auditSchema.parse(audit);
      await storeAudits(added);
      stored = [...stored, ...added];
      const batches = planBatches(stored.map((audit) => toSyncRecord('audit', audit)));

      const runs: DrainRun[] = [];
      const baselines: Array<{ ms: number; requests: number; cycleMs: number }> = [];
      for (let run = 0; run < Math.max(RUNS[size], BASELINE_RUNS); run += 1) {
        if (run < RUNS[size]) runs.push(await drainOnce(size));
        if (run >= BASELINE_RUNS) continue;
        const server = await freshReceiver();
        const plain = await postPlainly(batches, server);
        if (plain.records !== size) throw new Error(`the plain script stored ${plain.records} records, expected ${size}`);
        baselines.push({ ...plain, cycleMs: medianBatchCycle(appliedAt) });
      }
      const ms = median(runs.map((r) => r.ms));
      const baselineMs = median(baselines.map((b) => b.ms));
      perSize.set(size, { ms, baselineMs });
      const rate = size / (ms / 1000);
      const baselineRate = size / (baselineMs / 1000);
      const label = `${size.toLocaleString('en-US')}-record backlog`;
      figures.push({
        name: `sync drain, ${label} → receiver on 127.0.0.1`,
        value: round(rate, 0),
        unit: 'records/s',
        runs: runs.length,
        baseline: { name: `plain script POSTing the same batches (median of ${baselines.length})`, value: round(baselineRate, 0) },
        target: '≥ 50 % of the baseline\u2019s rate',
        met: rate >= baselineRate / 2,
        extra: {
          drainMs: round(ms, 0),
          baselineMs: round(baselineMs, 0),
          shareOfBaselineRate: round(rate / baselineRate, 2),
          slowestRunMs: round(Math.max(...runs.map((r) => r.ms)), 0),
          // Per request, from one stored batch to the next: what the client spends around each POST.
          msPerBatchCycle: round(median(runs.map((r) => r.cycleMs)), 0),
          slowestBatchCycleMs: round(Math.max(...runs.map((r) => r.slowestCycleMs)), 0),
          firstBatchMs: round(median(runs.map((r) => r.firstBatchMs)), 0),
          sweepAfterDrainMs: round(median(runs.map((r) => r.sweepMs)), 0),
          // A write that comes during the sweep waits for one of its transactions at most.
          sweepMsPerChunk: round(median(runs.map((r) => r.sweepMs)) / Math.ceil(size / SWEEP_CHUNK), 1),
          // What a verdict's write would wait meanwhile: an outbox read-write transaction every ~50 ms of the sweep.
          outboxWriteDuringSweepMedianMs: round(median(runs.flatMap((r) => r.writeWaits)), 1),
          outboxWriteDuringSweepMaxMs: round(Math.max(0, ...runs.flatMap((r) => r.writeWaits)), 1),
          outboxWriteAtRestMs: round(median(runs.map((r) => r.writeWaitAtRestMs)), 1),
          baselineMsPerBatchCycle: round(median(baselines.map((b) => b.cycleMs)), 0),
        },
      });
      figures.push({
        name: `sync requests, ${label}`,
        value: median(runs.map((r) => r.batches)),
        unit: 'requests',
        runs: runs.length,
        baseline: { name: 'plain script (same batch planner)', value: batches.length },
        extra: { allRequestsSeenAtEnd: median(runs.map((r) => r.requests)), recordsPerRequest: round(size / median(runs.map((r) => r.batches)), 0) },
      });
      figures.push({
        name: `worker heap peak during the drain, ${label} (sampled every ${HEAP_SAMPLE_MS} ms, no GC)`,
        value: round(median(runs.map((r) => r.peakHeapMb)), 2),
        unit: 'MB',
        runs: runs.length,
        baseline: { name: 'at rest, empty database', value: round(heapEmpty, 2) },
      });
      figures.push({
        name: `worker heap at rest after the drains, ${size.toLocaleString('en-US')} audits stored`,
        value: round(await workerHeapAtRest(), 2),
        unit: 'MB',
        runs: 1,
        baseline: { name: 'at rest, empty database', value: round(heapEmpty, 2) },
      });
      // A cold start on this database: nothing a worker loads at start may grow with the number of records.
      await stopServiceWorkers(browser.context, probe);
      await wakeServiceWorker(browser.context, probe, browser.extensionId);
      await sendSyncNow(); // a run with nothing to send: the worker's usual first work
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      figures.push({
        name: `worker heap after a cold start, ${size.toLocaleString('en-US')} audits stored`,
        value: round(await workerHeapAtRest(), 2),
        unit: 'MB',
        runs: 1,
        baseline: { name: 'at rest, empty database', value: round(heapEmpty, 2) },
      });
    }

    const small = perSize.get(SIZES[0])!;
    const large = perSize.get(SIZES[1])!;
    figures.push({
      name: 'drain time growth, 10,000 → 100,000 records (10× the records)',
      value: round(large.ms / small.ms, 2),
      unit: 'x',
      baseline: { name: 'plain script', value: round(large.baselineMs / small.baselineMs, 2) },
    });

    recordBench({
      bench: 'sync',
      measuredAt: new Date().toISOString(),
      machine: { cpus: cpus().length, chromium: (await probeSession.send('Browser.getVersion')).product },
      figures,
    });
  }, 900_000);
});
