/**
 * Sync in a real browser against the real reference receiver on 127.0.0.1 (issue 3): the receiver goes down,
 * fails, throttles, chokes on one record, refuses the token; the worker is stopped mid-drain and the browser is
 * closed with a backlog. At the end the receiver must hold exactly every record at its latest rev.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type RunningReceiver } from '../../server/receiver';
import {
  launchWithExtension,
  readExtensionDb,
  startFixtureServer,
  stopServiceWorkers,
  syncNow,
  waitForPanel,
  waitUntil,
  type ExtensionBrowser,
  type FixtureServer,
} from './harness';
import { seedBacklog } from './seed';
import { demoSettingsWithSync, importDemoSettings } from './settings';

interface StoredAudit {
  id: string;
  rev: number;
  itemId: string;
  deleted: boolean;
}
interface OutboxRow {
  key: string;
  status: string;
  reason?: string;
}

let server: FixtureServer;
let browser: ExtensionBrowser;
let receiver: RunningReceiver;
let workDir: string;
let receiverPort = 0;
let receiverDb: string;

async function startOurReceiver(token?: string) {
  receiver = await startReceiver({ port: receiverPort, db: receiverDb, onError: () => undefined, ...(token ? { token } : {}) });
  receiverPort = Number(new URL(receiver.origin).port);
}

function storedOnServer(): Map<string, number> {
  const rows = receiver.db.sqlite.prepare('SELECT id, rev FROM records').all() as Array<{ id: string; rev: number }>;
  return new Map(rows.map((r) => [r.id, r.rev]));
}

async function localAudits(): Promise<StoredAudit[]> {
  return (await readExtensionDb(browser.context, browser.extensionId, 'loupe', 'audits')) as StoredAudit[];
}

async function outbox(): Promise<OutboxRow[]> {
  return (await readExtensionDb(browser.context, browser.extensionId, 'loupe', 'outbox')) as OutboxRow[];
}

/** Every local record is on the server at exactly its local rev, and the server has nothing else. */
async function expectServerMatchesLocal(): Promise<void> {
  const local = await localAudits();
  const remote = storedOnServer();
  expect(remote.size).toBe(local.length);
  for (const audit of local) expect(remote.get(audit.id), audit.itemId).toBe(audit.rev);
}

/** Audits `count` generated LabelDesk tasks by keyboard: "1" (correct, saved at once), then "]" (next task). */
async function auditBulk(page: Page, panel: FrameLocator, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const itemId = await page.getByTestId('task-id').textContent();
    await panel.getByLabel('Item on this page').getByText(itemId!, { exact: true }).waitFor();
    await page.keyboard.press('1');
    await panel.locator('.loupe-history').getByText(/Correct/).first().waitFor();
    await page.keyboard.press(']');
  }
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'loupe-e2e-sync-'));
  receiverDb = join(workDir, 'receiver.sqlite');
  server = await startFixtureServer();
  await startOurReceiver();
  browser = await launchWithExtension({ userDataDir: join(workDir, 'profile') });
  await importDemoSettings(browser, await demoSettingsWithSync(workDir, receiver.origin));
});

afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  await server?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

// Each test waits on real backoff and a real drain; a minute is not always enough on a loaded 2-core machine.
const SLOW = 180_000;

describe('sync to the reference receiver', () => {
  it('loses none of 200 verdicts recorded while the receiver is down', async () => {
    await receiver.close();
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/labeldesk/task/LD-5000?bulk=200`);
    const panel = await waitForPanel(page);
    await auditBulk(page, panel, 200);
    await page.close();
    expect((await localAudits()).length).toBe(200);
    expect((await outbox()).length).toBe(200); // all waiting: nothing could be delivered

    await startOurReceiver();
    await waitUntil(() => storedOnServer().size === 200, 90_000, 'all 200 verdicts on the receiver');
    await waitUntil(async () => (await outbox()).length === 0, 10_000, 'an empty outbox');
    await expectServerMatchesLocal();
  }, SLOW);

  it('gets through 500, 503 with Retry-After and 429 in the middle of a backlog, waiting as told', async () => {
    receiver.faults.failNext(1, 500);
    receiver.faults.failNext(1, 503, { retryAfter: '3' });
    receiver.faults.failNext(1, 429, { retryAfter: '2' });
    const before = storedOnServer().size;
    // Watch from before the backlog exists: the periodic alarm may start sending while it is being written.
    const requestTimes: number[] = [];
    let lastCount = receiver.stats().batchRequests; // pulls (GET) interleave and are not what backs off
    const watch = setInterval(() => {
      const count = receiver.stats().batchRequests;
      for (; lastCount < count; lastCount += 1) requestTimes.push(Date.now());
    }, 20);
    try {
      await seedBacklog(browser.context, browser.extensionId, { count: 1_200, prefix: 'RETRY' });
      await syncNow(browser);
      await waitUntil(() => storedOnServer().size === before + 1_200, 120_000, 'the 1,200-record backlog on the receiver');
    } finally {
      clearInterval(watch);
    }
    await expectServerMatchesLocal();
    // The first three requests met the 500, the 503 (Retry-After 3 s) and the 429 (2 s); the requests after the
    // last two came no sooner than asked.
    expect(requestTimes.length).toBeGreaterThanOrEqual(4);
    expect(requestTimes[2]! - requestTimes[1]!).toBeGreaterThanOrEqual(2_900);
    expect(requestTimes[3]! - requestTimes[2]!).toBeGreaterThanOrEqual(1_900);
  }, SLOW);

  it('parks the one poisoned record of a batch of 100 with its reason, and delivers the other 99', async () => {
    await receiver.close();
    const seeded = await seedBacklog(browser.context, browser.extensionId, { count: 100, prefix: 'POISON' });
    const poisoned = seeded[42]!.id;
    await startOurReceiver();
    receiver.faults.rejectRecord(poisoned, 422, 'labelerId is not a known labeler');
    await syncNow(browser);
    await waitUntil(async () => (await outbox()).every((row) => row.status === 'rejected'), 60_000, 'the batch to settle');
    const parked = (await outbox()).filter((row) => row.status === 'rejected');
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ key: `audit:${poisoned}` });
    expect(parked[0]!.reason).toMatch(/422.*labelerId is not a known labeler/);
    const remote = storedOnServer();
    expect(seeded.filter((r) => remote.get(r.id) === r.rev)).toHaveLength(99);
    expect(remote.has(poisoned)).toBe(false);
  }, SLOW);

  it('pauses on a refused token, says so, and resumes without losing anything once the token is fixed', async () => {
    await receiver.close();
    await startOurReceiver('team-token');
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    const setToken = async (token: string) => {
      await options.getByRole('button', { name: /Add a token|Replace token/ }).click();
      await options.locator('input[type=password]').fill(token);
      await options.getByRole('button', { name: 'Save token' }).click();
      await options.getByTestId('sync-token-state').filter({ hasText: /set/i }).waitFor();
    };
    await setToken('an-old-token');

    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/labeldesk/task/LD-5600?bulk=700`);
    const panel = await waitForPanel(page);
    await auditBulk(page, panel, 3);
    await panel.getByTestId('sync-line').filter({ hasText: /token refused/ }).waitFor({ timeout: 30_000 });
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.getByTestId('sync-problem').filter({ hasText: /refused the token/ }).waitFor();
    const waiting = (await outbox()).filter((row) => row.status !== 'rejected');
    expect(waiting).toHaveLength(3);

    await setToken('team-token');
    await waitUntil(async () => (await outbox()).every((row) => row.status === 'rejected'), 30_000, 'the three verdicts to be sent');
    for (const id of ['LD-5600', 'LD-5601', 'LD-5602']) {
      const audit = (await localAudits()).find((a) => a.itemId === id)!;
      expect(storedOnServer().get(audit.id)).toBe(audit.rev);
    }
    await popup.reload();
    await popup.getByTestId('sync-pending').filter({ hasText: /Every verdict is sent/ }).waitFor();
    await Promise.all([options.close(), page.close(), popup.close()]);
  }, SLOW);

  it('delivers a 2,000-record backlog exactly once per latest rev through stopped workers and a browser restart', async () => {
    receiver.faults.clear();
    // Slow the receiver down so the drain is still going when the worker is stopped and the browser closed.
    receiver.faults.delayNext(12, 1_000);
    await seedBacklog(browser.context, browser.extensionId, { count: 2_000, prefix: 'DRAIN', reviseEvery: 7 });
    await syncNow(browser);
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    for (let i = 0; i < 3; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 700));
      await stopServiceWorkers(browser.context, page);
      await page.reload(); // an extension page wakes the worker, as a user opening the popup would
    }
    const midway = storedOnServer().size;
    await browser.context.close();
    browser = await launchWithExtension({ userDataDir: join(workDir, 'profile') });
    await waitUntil(async () => (await outbox()).filter((r) => r.status !== 'rejected').length === 0, 120_000, 'the backlog to drain after the restart');
    expect(storedOnServer().size).toBeGreaterThan(midway);
    const local = (await localAudits()).filter((a) => !(a.itemId.startsWith('POISON-') && !storedOnServer().has(a.id)));
    const remote = storedOnServer();
    expect(remote.size).toBe(local.length);
    for (const audit of local) expect(remote.get(audit.id), audit.itemId).toBe(audit.rev);
  }, SLOW);
});
