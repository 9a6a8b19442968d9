/**
 * The leads' view in a real browser (issue 4): verdicts typed through the panel show up in the popup's day and
 * in the dashboard; the dashboard's filters narrow what it shows, and its CSV export, downloaded and read back,
 * holds exactly the filtered audits.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, startFixtureServer, waitForPanel, type ExtensionBrowser, type FixtureServer } from './harness';
import { importDemoSettings } from './settings';

let server: FixtureServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  server = await startFixtureServer();
  browser = await launchWithExtension();
  await importDemoSettings(browser);
  // Six verdicts through the panel on generated LabelDesk tasks (labelers cycle lab-dara, lab-eli, lab-fon):
  // correct, incorrect (wrong policy), correct, incorrect (missed violation), correct, correct.
  const page = await browser.context.newPage();
  await page.goto(`${server.origin}/labeldesk/task/LD-5000?bulk=6`);
  const panel = await waitForPanel(page);
  const plan: Array<string[]> = [['1'], ['2', 'p', 'Enter'], ['1'], ['2', 'm', 'Enter'], ['1'], ['1']];
  for (const [index, keys] of plan.entries()) {
    await panel.getByLabel('Item on this page').getByText(`LD-${5000 + index}`, { exact: true }).waitFor();
    for (const key of keys) await page.keyboard.press(key);
    await panel.locator('.loupe-history').getByText(keys[0] === '1' ? /Correct/ : /Incorrect/).first().waitFor();
    await page.keyboard.press(']');
  }
  await page.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the leads\u2019 view', () => {
  it('shows the day\u2019s audits from the panel in the popup, with accuracy and its interval', async () => {
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.getByTestId('today-count').filter({ hasText: /^6 audits/ }).waitFor();
    const body = await popup.locator('main').textContent();
    // 4 correct of 6 judged: 66.7 %, Wilson 95 % interval 30.0–90.3 % (python3 statistics, closed form).
    expect(body).toMatch(/66\.7\s?%/);
    expect(body).toMatch(/30(\.0)?\s?%?\s?[–-]\s?90\.3\s?%/);
    expect(body).toMatch(/Not enough audits to tell|Below target/);
    const table = popup.getByRole('table');
    for (const labeler of ['lab-dara', 'lab-eli', 'lab-fon']) expect(await table.textContent()).toContain(labeler);
    await popup.close();
  });

  it('filters the dashboard and exports exactly the filtered audits as CSV', async () => {
    const dashboard = await browser.context.newPage();
    await dashboard.goto(`chrome-extension://${browser.extensionId}/dashboard.html`);
    await dashboard.getByRole('heading', { name: 'Summary' }).waitFor();
    await dashboard.getByRole('combobox', { name: 'Labeler', exact: true }).selectOption('lab-eli');
    // lab-eli labeled LD-5001 (incorrect, wrong policy) and LD-5004 (correct).
    const download = dashboard.waitForEvent('download');
    await dashboard.getByRole('button', { name: /Export CSV/ }).click();
    const file = await (await download).path();
    const text = await readFile(file, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split(/\r\n/);
    const header = lines[0]!.split(',');
    const rows = lines.slice(1).map((line) => line.split(','));
    expect(rows).toHaveLength(2);
    const column = (name: string) => header.indexOf(name);
    expect(rows.map((r) => r[column('itemId')]).sort()).toEqual(['LD-5001', 'LD-5004']);
    expect(rows.every((r) => r[column('labelerId')] === 'lab-eli')).toBe(true);
    const wrong = rows.find((r) => r[column('itemId')] === 'LD-5001')!;
    expect(wrong[column('verdict')]).toBe('incorrect');
    expect(wrong[column('errorTags')]).toBe('wrong-policy');

    // Clicking the Pareto bar of an error tag lists the audits behind it.
    await dashboard.getByRole('combobox', { name: 'Labeler', exact: true }).selectOption('');
    await dashboard.getByRole('button', { name: /^Missed violation: 1 error/ }).click();
    const list = dashboard.getByRole('region', { name: /Missed violation/ }).or(dashboard.locator('[aria-labelledby="audit-list-title"]'));
    await list.first().getByText('LD-5003').waitFor();
    await dashboard.close();
  });
});
