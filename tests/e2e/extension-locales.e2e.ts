/**
 * Issue 7 in a real browser: the extension's own name, description and toolbar title come from public/_locales
 * (Chromium loads the build with `default_locale` and `__MSG_…__` names, and resolves them), and what the worker
 * reports is shown in the person's language.
 *
 * Debian's Chromium ships only the en-US interface, and Chrome picks an extension's messages by its interface
 * language, so English is what can be seen of the name here; tests/unit/extension-locales.test.ts checks the
 * other languages' files.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type RunningReceiver } from '../../server/receiver';
import { launchWithExtension, readExtensionDb, syncNow, TEST_EXTENSION_PATH, waitUntil, type ExtensionBrowser } from './harness';
import { seedBacklog } from './seed';
import { demoSettingsWithSync, importDemoSettings } from './settings';

let browser: ExtensionBrowser;
let receiver: RunningReceiver;
let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'loupe-e2e-locales-'));
  // An endpoint that wants a token this browser does not have: the worker's first push is refused.
  receiver = await startReceiver({ port: 0, db: join(workDir, 'receiver.sqlite'), onError: () => undefined, token: 'team-token' });
  browser = await launchWithExtension({ userDataDir: join(workDir, 'profile') });
});

afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the extension in the browser’s language', () => {
  it('names itself from its messages', async () => {
    const manifest = JSON.parse(await readFile(join(TEST_EXTENSION_PATH, 'manifest.json'), 'utf8')) as {
      name: string;
      description: string;
      default_locale: string;
      action: { default_title: string };
    };
    expect(manifest).toMatchObject({
      name: '__MSG_extName__',
      description: '__MSG_extDescription__',
      default_locale: 'en',
      action: { default_title: '__MSG_actionTitle__' },
    });

    const worker = await browser.serviceWorker();
    const seen = await worker.evaluate(async () => {
      // The worker's own `chrome`, as the browser resolves it (no extension types in the test's context).
      const api = (
        globalThis as unknown as {
          chrome: {
            management: { getSelf(): Promise<{ name: string; description: string }> };
            action: { getTitle(details: object): Promise<string> };
            i18n: { getUILanguage(): string };
          };
        }
      ).chrome;
      const self = await api.management.getSelf();
      return { name: self.name, description: self.description, title: await api.action.getTitle({}), uiLanguage: api.i18n.getUILanguage() };
    });
    expect(seen.uiLanguage).toMatch(/^en/);
    expect(seen).toMatchObject({
      name: 'Loupe',
      description: 'Quality auditing inside labeling tools: verdicts, error tags and inline notes for QA analysts.',
      title: 'Loupe: today’s audits',
    });
  });
});

/** Chooses `language` (its value) in Options → You and saves, as a person would. */
async function chooseLanguage(page: Page, language: string): Promise<void> {
  const you = page.locator('#you');
  await you.locator('select').selectOption(language);
  await you.locator('button[type="submit"]').click();
  await expect.poll(() => page.evaluate(() => document.documentElement.lang), { timeout: 10_000 }).toBe(language);
}

describe('what the worker reports, in the person’s language', () => {
  it('shows the worker’s sentence about a refused token in Khmer in the popup', async () => {
    await importDemoSettings(browser, await demoSettingsWithSync(workDir, receiver.origin));
    await seedBacklog(browser.context, browser.extensionId, { count: 1, prefix: 'LOCALE' });
    await syncNow(browser);
    await waitUntil(
      async () => {
        const rows = (await readExtensionDb(browser.context, browser.extensionId, 'loupe', 'syncState')) as Array<{ key: string; value: unknown }>;
        const status = rows.find((row) => row.key === 'status')?.value as { problem?: { key?: string } | null } | undefined;
        return status?.problem?.key === 'sync.auth';
      },
      30_000,
      'the worker to store the refused token with its key',
    );

    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await chooseLanguage(options, 'km');
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    const problem = popup.getByTestId('sync-problem');
    await problem.filter({ hasText: 'សមកាលកម្មត្រូវបានផ្អាក រហូតដល់ token ត្រូវបានប្ដូរនៅក្នុងការកំណត់។' }).waitFor({ timeout: 15_000 });
    const text = (await problem.textContent()) ?? '';
    expect(text).toContain('endpoint បានបដិសេធ token (HTTP 401');
    expect(text).not.toContain('Sync is paused');
    await Promise.all([options.close(), popup.close()]);
  });
});
