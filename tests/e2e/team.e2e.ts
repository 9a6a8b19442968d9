/**
 * "Me / Team" in the popup against the reference receiver (issue 4): the team's day comes from the endpoint's
 * summary route, holding teammates' audits this browser never saw, while "Me" stays this browser's own audits;
 * with the receiver gone, "Team" falls back to this browser's audits and says why.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type RunningReceiver } from '../../server/receiver';
import { buildAudit, buildBatch, toSyncRecord } from '../server/fixtures';
import {
  launchWithExtension,
  startFixtureServer,
  waitForPanel,
  waitUntil,
  type ExtensionBrowser,
  type FixtureServer,
} from './harness';
import { demoSettingsWithSync, importDemoSettings } from './settings';

let server: FixtureServer;
let browser: ExtensionBrowser;
let receiver: RunningReceiver;
let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'loupe-e2e-team-'));
  server = await startFixtureServer();
  receiver = await startReceiver({ port: 0, db: join(workDir, 'receiver.sqlite'), onError: () => undefined });
  browser = await launchWithExtension({ userDataDir: join(workDir, 'profile') });
  await importDemoSettings(browser, await demoSettingsWithSync(workDir, receiver.origin));
});

afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  await server?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the popup\u2019s team figures', () => {
  it('shows the team\u2019s day from the endpoint, and this browser\u2019s own for "Me"', async () => {
    // Teammates audited 9 items today on other machines: 8 correct, 1 incorrect.
    const now = Date.now();
    const teammates = Array.from({ length: 9 }, (_, i) =>
      buildAudit({
        auditorId: 'qa-sok',
        itemId: `LD-9${i}`,
        createdAt: now - 60_000,
        updatedAt: now - 60_000,
        ...(i === 0 ? { verdict: 'incorrect', errorTags: ['wrong-policy'] } : { verdict: 'correct', errorTags: [], severity: undefined }),
      }),
    );
    receiver.db.applyBatch(buildBatch(teammates.map(toSyncRecord)), now);

    // This analyst audits one item here (correct); sync sends it to the receiver.
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/labeldesk/task/LD-5000?bulk=1`);
    const panel = await waitForPanel(page);
    await panel.getByLabel('Item on this page').getByText('LD-5000', { exact: true }).waitFor();
    await page.keyboard.press('1');
    await panel.locator('.loupe-history').getByText(/Correct/).first().waitFor();
    await waitUntil(() => receiver.db.countRecords() >= 10, 30_000, 'the 10 audits on the receiver');
    expect(receiver.db.countRecords()).toBe(10);
    await page.close();

    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    const glance = popup.getByRole('region', { name: 'Today at a glance' });
    await glance.getByTestId('today-count').filter({ hasText: /^1 audit\b/ }).waitFor();
    await glance.getByRole('radio', { name: 'Team' }).check();
    await glance.getByText('The whole team, from the team endpoint').waitFor();
    await glance.getByTestId('today-count').filter({ hasText: /^10 audits/ }).waitFor();
    // 9 correct of 10 judged: 90 %, Wilson 95 % interval 59.6–98.2 % (tests/unit/metrics-reference.md method).
    expect(await glance.getByTestId('accuracy').textContent()).toBe('90% (59.6–98.2%)');

    // The endpoint goes away: "Team" shows what this browser holds, and says why.
    await receiver.close();
    await popup.reload();
    await glance.getByRole('radio', { name: 'Team' }).check();
    await glance.getByText(/the team summary could not be loaded/).waitFor();
    await glance.getByTestId('today-count').filter({ hasText: /^1 audit\b/ }).waitFor();
    await popup.close();
  }, 120_000);
});
