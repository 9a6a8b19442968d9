import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_PATHS,
  launchWithExtension,
  LOUPE_EXTENSION_ID,
  PANEL_IFRAME_SELECTOR,
  startFixtureServer,
  stopServiceWorkers,
  wakeServiceWorker,
  type ExtensionBrowser,
  type FixtureServer,
} from './harness';

// Smoke test of the harness itself: if this fails, every other e2e failure is about the setup, not Loupe.
describe('e2e harness', () => {
  let server: FixtureServer;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    server = await startFixtureServer();
    browser = await launchWithExtension();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('starts the extension service worker with the id the manifest key fixes', async () => {
    const worker = await browser.serviceWorker();
    expect(browser.extensionId).toBe(LOUPE_EXTENSION_ID);
    expect(new URL(worker.url()).host).toBe(LOUPE_EXTENSION_ID);
    // The worker answers, so it is running and not a stale registration.
    expect(await worker.evaluate(() => self.location.protocol)).toBe('chrome-extension:');
  });

  it('can stop the service worker and start it again (for the tests that prove nothing lives in its memory)', async () => {
    const worker = await browser.serviceWorker();
    await worker.evaluate(() => {
      Object.assign(self, { loupeHarnessMarker: 'set before stop' });
    });
    const page = await browser.context.newPage();
    try {
      await stopServiceWorkers(browser.context, page);
      await wakeServiceWorker(browser.context, page, browser.extensionId);
      const restarted = await browser.serviceWorker();
      expect(await restarted.evaluate(() => 'loupeHarnessMarker' in self)).toBe(false);
    } finally {
      await page.close();
    }
  });

  it('shows no panel and opens no Loupe storage on a page that is not a labeling tool', async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(server.origin + FIXTURE_PATHS.about, { waitUntil: 'load' });
      expect(await page.getByTestId('about-text').textContent()).toContain('not a labeling tool');
      // Give a content script every chance to run: wait until the page is idle on the network, then look.
      await page.waitForLoadState('networkidle');
      expect(await page.locator(PANEL_IFRAME_SELECTOR).count()).toBe(0);
      const pageDatabases = await page.evaluate(async () => (await indexedDB.databases()).map((info) => info.name ?? ''));
      expect(pageDatabases.filter((name) => name.toLowerCase().includes('loupe'))).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
