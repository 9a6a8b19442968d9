/**
 * The popup's rejected list in the reader's language, in a real browser against the reference receiver (issue 7):
 * a record the receiver refuses as too large is parked with Loupe's words around the receiver's own, by key, and
 * the popup of a Vietnamese-speaking auditor says Loupe's part in Vietnamese and the receiver's part as it was sent.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type RunningReceiver } from '../../server/receiver';
import { launchWithExtension, readExtensionDb, syncNow, waitUntil, type ExtensionBrowser } from './harness';
import { seedBacklog } from './seed';
import { demoSettingsWithSync, importDemoSettings } from './settings';

interface OutboxRow {
  key: string;
  status: string;
  reason?: string;
  reasonKey?: string;
  reasonParams?: Record<string, unknown>;
}

/** Smaller than any batch of one record: every record is refused as too large, on its own. */
const MAX_BODY_BYTES = 300;

let browser: ExtensionBrowser;
let receiver: RunningReceiver;
let workDir: string;

async function outbox(): Promise<OutboxRow[]> {
  return (await readExtensionDb(browser.context, browser.extensionId, 'loupe', 'outbox')) as OutboxRow[];
}

/** Chooses Vietnamese in Options → You and saves (an import keeps the language: it is the person's, not the team's). */
async function chooseVietnamese(): Promise<void> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
  const you = page.locator('#you');
  await you.locator('select').selectOption('vi');
  await you.locator('button[type="submit"]').click();
  await waitUntil(async () => (await page.evaluate(() => document.documentElement.lang)) === 'vi', 10_000, 'the options page to be in Vietnamese');
  await page.close();
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'loupe-e2e-rejected-'));
  receiver = await startReceiver({ port: 0, db: join(workDir, 'receiver.sqlite'), maxBodyBytes: MAX_BODY_BYTES, onError: () => undefined });
  browser = await launchWithExtension({ userDataDir: join(workDir, 'profile') });
  await importDemoSettings(browser, await demoSettingsWithSync(workDir, receiver.origin));
});

afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the popup’s rejected list, in Vietnamese', () => {
  it('says a record too large for the server in Vietnamese, with the server’s own words', async () => {
    await seedBacklog(browser.context, browser.extensionId, { count: 2, prefix: 'BIG' });
    await syncNow(browser);
    await waitUntil(async () => (await outbox()).every((row) => row.status === 'rejected'), 60_000, 'both records to be parked');
    const parked = await outbox();
    expect(parked).toHaveLength(2);
    const serverWords = `HTTP 413: the batch is larger than ${MAX_BODY_BYTES} bytes`;
    for (const row of parked) {
      expect(row).toMatchObject({ reason: `too large for the server (${serverWords})`, reasonKey: 'sync.tooLarge', reasonParams: { reason: serverWords } });
    }

    await chooseVietnamese();
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    const reasons = popup.getByRole('list', { name: 'Lý do' });
    await reasons.getByRole('listitem').first().waitFor({ timeout: 15_000 });
    expect(await reasons.getByRole('listitem').allTextContents()).toEqual([`quá lớn đối với máy chủ (${serverWords}) × 2`]);
    await popup.close();
  }, 120_000);
});
