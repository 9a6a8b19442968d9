import { readFile } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureSnapshots, SNAPSHOT_DIR } from '../fixtures/sites/snapshots.mjs';
import { findChromium, FIXTURE_PATHS, startFixtureServer, type FixtureServer } from './harness';

// The fixture tools are test code too: these check, without the extension, that they behave like the tools they
// stand for (full page loads vs in-place swaps, late rendering), so a Loupe e2e failure is never the fixture's.
describe('fixture labeling tools', () => {
  let server: FixtureServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startFixtureServer();
    browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function withPage<T>(run: (page: Page) => Promise<T>): Promise<T> {
    const page = await browser.newPage();
    try {
      return await run(page);
    } finally {
      await page.close();
    }
  }

  /** Marks the current document; a full page load loses the mark, an in-place swap keeps it. */
  async function markDocument(page: Page): Promise<void> {
    await page.evaluate(() => Object.assign(window, { fixtureDocumentMark: true }));
  }
  const documentIsMarked = (page: Page) => page.evaluate(() => 'fixtureDocumentMark' in window);

  it('keeps the static snapshots in tests/fixtures/pages identical to what the server renders', async () => {
    const openPage = (url: string) =>
      withPage(async (page) => {
        await page.goto(url);
        await page.locator('body[data-rendered-task]').waitFor();
        return page.content();
      });
    for (const { file, html } of await captureSnapshots(server.origin, openPage)) {
      const saved = await readFile(SNAPSHOT_DIR + file, 'utf8');
      expect(saved, `${file} is stale: run node tests/fixtures/sites/snapshots.mjs`).toBe(html);
    }
  });

  it('ModQueue loads a new page for the next item and ignores its shortcuts while typing', async () => {
    await withPage(async (page) => {
      await page.goto(server.origin + FIXTURE_PATHS.modQueueFirst);
      await expect(page.getByTestId('item-id').textContent()).resolves.toBe('MQ-1001');
      await expect(page.locator('[data-labeler]').getAttribute('data-labeler')).resolves.toBe('lab-ana');
      await markDocument(page);

      await page.getByTestId('comment').fill('n');
      await page.getByTestId('comment').press('n');
      expect(page.url()).toBe(server.origin + FIXTURE_PATHS.modQueueFirst);

      await page.getByTestId('comment').blur();
      await Promise.all([page.waitForURL('**/item/MQ-1002'), page.keyboard.press('n')]);
      await expect(page.getByTestId('item-id').textContent()).resolves.toBe('MQ-1002');
      expect(await documentIsMarked(page)).toBe(false);
    });
  });

  it('LabelDesk swaps tasks in place with pushState', async () => {
    await withPage(async (page) => {
      await page.goto(server.origin + FIXTURE_PATHS.labelDeskFirst);
      await expect(page.getByTestId('task-id').textContent()).resolves.toBe('LD-2001');
      await markDocument(page);
      await page.getByTestId('next-item').click();
      await page.waitForURL('**/labeldesk/task/LD-2002');
      await expect(page.getByTestId('task-id').textContent()).resolves.toBe('LD-2002');
      expect(await documentIsMarked(page)).toBe(true);
      await page.goBack();
      await expect(page.getByTestId('task-id').textContent()).resolves.toBe('LD-2001');
      expect(await documentIsMarked(page)).toBe(true);
    });
  });

  it('LabelDesk keeps hash routes when it was opened on one', async () => {
    await withPage(async (page) => {
      await page.goto(server.origin + FIXTURE_PATHS.labelDeskHashFirst);
      await markDocument(page);
      await page.keyboard.press(']');
      await page.waitForURL('**/labeldesk/#/task/LD-2002');
      await expect(page.getByTestId('task-id').textContent()).resolves.toBe('LD-2002');
      expect(await documentIsMarked(page)).toBe(true);
    });
  });

  it('LabelDesk ?lateMs renders the task only after that delay', async () => {
    await withPage(async (page) => {
      // A fake clock makes "not yet, then yes" deterministic instead of a race against real time.
      await page.clock.install();
      await page.goto(server.origin + FIXTURE_PATHS.labelDeskLate);
      expect(await page.getByTestId('task-id').count()).toBe(0);
      await page.clock.runFor(1000);
      await expect(page.getByTestId('task-id').textContent()).resolves.toBe('LD-2001');
    });
  });

  it('LabelDesk LD-2004 has no labeler field at all', async () => {
    await withPage(async (page) => {
      await page.goto(server.origin + FIXTURE_PATHS.labelDeskMissingLabeler);
      await expect(page.getByTestId('task-id').textContent()).resolves.toBe('LD-2004');
      expect(await page.locator('[data-field="labeler"], [data-testid="labeler"]').count()).toBe(0);
      await expect(page.getByTestId('decision').getAttribute('data-value')).resolves.toBe('unsure');
    });
  });
});
