/**
 * Mentors' inline notes in real Chromium (issue 5): a mentor pins a note to text and one to an element of a
 * labeling page; both are highlighted again after a reload, without changing the host page's DOM; a note on a
 * single-page tool that renders its item a second late still anchors; and between two browser profiles sharing
 * the reference receiver, a note written in one appears in the other after a pull, and a reply and an
 * acknowledgement flow back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type RunningReceiver } from '../../server/receiver';
import {
  launchWithExtension,
  startFixtureServer,
  syncNow,
  waitForPanel,
  waitUntil,
  type ExtensionBrowser,
  type FixtureServer,
} from './harness';
import { demoSettingsWithSync, importDemoSettings } from './settings';

let server: FixtureServer;
let receiver: RunningReceiver;
let mentor: ExtensionBrowser;
let workDir: string;

function settingsFor(auditorId: string): Promise<string> {
  return demoSettingsWithSync(workDir, receiver.origin, { auditorId });
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'loupe-e2e-notes-'));
  server = await startFixtureServer();
  receiver = await startReceiver({ port: 0, db: join(workDir, 'receiver.sqlite'), onError: () => undefined });
  mentor = await launchWithExtension({ userDataDir: join(workDir, 'mentor') });
  await importDemoSettings(mentor, await settingsFor('qa-maria'));
});

afterAll(async () => {
  await mentor?.close();
  await receiver?.close();
  await server?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const itemUrl = (id: string, queue = 'hate-speech') => `${server.origin}/modqueue/queue/${queue}/item/${id}`;

/** Selects `text` inside the element matching `selector` on the page, as a mentor would by keyboard. */
async function selectText(page: Page, selector: string, text: string): Promise<void> {
  await page.evaluate(
    ({ selector, text }) => {
      const element = document.querySelector(selector)!;
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf(text);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + text.length);
        const selection = getSelection()!;
        selection.removeAllRanges();
        selection.addRange(range);
        return;
      }
      throw new Error(`"${text}" is not in ${selector}`);
    },
    { selector, text },
  );
}

/** Annotate mode from the page's key, then a note typed in the panel's composer and saved by keyboard. */
async function pinNote(page: Page, panel: FrameLocator, point: () => Promise<void>, body: string): Promise<void> {
  await page.keyboard.press('Alt+n');
  await page.locator('loupe-capture').waitFor({ state: 'attached' });
  await point();
  const composer = panel.getByRole('form', { name: 'New note' });
  await composer.waitFor();
  await composer.getByRole('textbox').first().fill(body);
  await composer.getByRole('textbox').first().press('Control+Enter');
  await composer.waitFor({ state: 'detached' });
}

function noteCard(panel: FrameLocator, body: string) {
  return panel.getByRole('list', { name: 'Pinned notes' }).getByRole('listitem').filter({ hasText: body });
}

/** The text of every range in Loupe's highlights, as the page's own scripts can see them. */
function highlightedTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [];
    CSS.highlights.forEach((highlight, name) => {
      if (!name.startsWith('loupe-note')) return;
      highlight.forEach((range) => texts.push((range as Range).toString()));
    });
    return texts;
  });
}

describe('inline notes', () => {
  it('pins notes to text and to an element, and shows both again after a reload without touching the page', async () => {
    const page = await mentor.context.newPage();
    await page.goto(itemUrl('MQ-1001'));
    const panel = await waitForPanel(page);
    await panel.getByLabel('Item on this page').getByText('MQ-1001', { exact: true }).waitFor();

    await pinNote(page, panel, async () => {
      await selectText(page, '[data-item-id]', 'should never have been let in');
      await page.keyboard.press('Enter');
    }, 'This is the exclusion clause: remove under HS-3.');
    await pinNote(page, panel, () => page.getByTestId('labeler-decision').click(), 'The right label was Remove – Hate speech; this is correct.');

    await noteCard(panel, 'exclusion clause').getByRole('button', { name: 'Show on page' }).waitFor();
    await noteCard(panel, 'right label').getByRole('button', { name: 'Show on page' }).waitFor();
    expect(await highlightedTexts(page)).toContain('should never have been let in');

    // Reload: the page's DOM is recorded before Loupe runs, then compared once both notes are shown, one of them
    // selected from the panel and the pointer resting on the highlighted text.
    await page.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        // Read, never written: the serialized DOM is what the test compares.
        // eslint-disable-next-line no-restricted-properties
        (window as unknown as { loupeBefore: string }).loupeBefore = document.body.outerHTML;
      });
    });
    await page.reload();
    const again = await waitForPanel(page);
    await noteCard(again, 'exclusion clause').getByRole('button', { name: 'Show on page' }).click();
    await noteCard(again, 'right label').getByRole('button', { name: 'Show on page' }).waitFor();
    await waitUntil(async () => (await highlightedTexts(page)).includes('should never have been let in'), 10_000, 'the text highlight');
    const box = await page.evaluate(() => {
      const text = [...document.querySelectorAll('[data-item-id] *')].find((e) => e.textContent?.includes('should never have been let in') && e.children.length === 0)!;
      const rect = text.getBoundingClientRect();
      return { x: rect.x + 10, y: rect.y + rect.height / 2 };
    });
    await page.mouse.move(box.x, box.y);
    // eslint-disable-next-line no-restricted-properties -- read only, to compare the page's DOM
    const unchanged = await page.evaluate(() => (window as unknown as { loupeBefore: string }).loupeBefore === document.body.outerHTML);
    expect(unchanged).toBe(true);
    // Loupe's own elements sit outside <body>: the panel frame and the notes layer's host.
    expect(await page.evaluate(() => [...document.documentElement.children].map((e) => e.localName).sort())).toEqual(
      ['body', 'head', 'iframe', 'loupe-notes'].sort(),
    );
    await page.close();
  }, 120_000);

  it('anchors a note on a single-page tool that renders the item a second late', async () => {
    const page = await mentor.context.newPage();
    await page.goto(`${server.origin}/labeldesk/task/LD-2001?lateMs=1000`);
    const panel = await waitForPanel(page);
    await panel.getByLabel('Item on this page').getByText('LD-2001', { exact: true }).waitFor();
    await page.getByTestId('task-text').waitFor();
    await pinNote(page, panel, async () => {
      await selectText(page, '[data-testid="task-text"]', 'real heroes');
      await page.keyboard.press('Enter');
    }, 'Praise of a violent organisation: VE-2.1 applies.');
    await noteCard(panel, 'VE-2.1').getByRole('button', { name: 'Show on page' }).waitFor();

    // Away to the next task and back, in the app: each render comes a second after the route changes.
    await page.keyboard.press(']');
    await panel.getByLabel('Item on this page').getByText('LD-2002', { exact: true }).waitFor();
    await page.keyboard.press('[');
    await panel.getByLabel('Item on this page').getByText('LD-2001', { exact: true }).waitFor();
    await noteCard(panel, 'VE-2.1').getByRole('button', { name: 'Show on page' }).waitFor({ timeout: 10_000 });
    await waitUntil(async () => (await highlightedTexts(page)).includes('real heroes'), 10_000, 'the highlight after the late render');
    await page.close();
  }, 120_000);

  it('shares notes between two browsers through the receiver, with a reply and an acknowledgement flowing back', async () => {
    const mentee = await launchWithExtension({ userDataDir: join(workDir, 'mentee') });
    try {
      await importDemoSettings(mentee, await settingsFor('qa-sok'));
      // The mentor pins a note to Khmer text and syncs.
      const page = await mentor.context.newPage();
      await page.goto(itemUrl('MQ-1002'));
      const panel = await waitForPanel(page);
      await panel.getByLabel('Item on this page').getByText('MQ-1002', { exact: true }).waitFor();
      await pinNote(page, panel, async () => {
        await selectText(page, '[data-item-id]', 'ជួបគ្នានៅផ្សារ');
        await page.keyboard.press('Enter');
      }, 'Meeting at the market: an invitation, not a threat. Approve was right.');
      await syncNow(mentor);
      await waitUntil(
        () => (receiver.db.sqlite.prepare("SELECT count(*) AS n FROM records WHERE type = 'note' AND data LIKE '%invitation%'").get() as { n: number }).n === 1,
        30_000,
        'the mentor\u2019s note on the receiver',
      );

      // The mentee opens the same item: the note is pulled, listed and highlighted.
      const theirs = await mentee.context.newPage();
      await theirs.goto(itemUrl('MQ-1002'));
      const theirPanel = await waitForPanel(theirs);
      const card = noteCard(theirPanel, 'invitation, not a threat');
      await card.getByRole('button', { name: 'Show on page' }).waitFor({ timeout: 30_000 });
      expect(await highlightedTexts(theirs)).toContain('ជួបគ្នានៅផ្សារ');
      await card.getByRole('button', { name: 'Reply', exact: true }).click();
      await card.getByRole('textbox', { name: 'Your reply' }).fill('Thanks, I missed the market context.');
      await card.getByRole('button', { name: 'Send reply' }).click();
      await card.getByText('Thanks, I missed the market context.').waitFor();
      await card.getByRole('button', { name: 'Acknowledge' }).click();
      await card.getByText(/You acknowledged this/).waitFor();
      await syncNow(mentee);
      await waitUntil(
        () => (receiver.db.sqlite.prepare("SELECT count(*) AS n FROM records WHERE type = 'note' AND data LIKE '%qa-sok%'").get() as { n: number }).n >= 2,
        30_000,
        'the reply and the acknowledgement on the receiver',
      );

      // Back with the mentor: a pull brings both.
      await syncNow(mentor);
      const mine = noteCard(panel, 'invitation, not a threat');
      await mine.getByText(/Acknowledged by qa-sok/).waitFor({ timeout: 30_000 });
      await mine.getByRole('button', { name: 'Replies (1)' }).click();
      await mine.getByText('Thanks, I missed the market context.').waitFor();
      await theirs.close();
      await page.close();
    } finally {
      await mentee.close();
    }
  }, 180_000);
});
