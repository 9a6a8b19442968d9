/**
 * Languages in a real browser (issue 7): the UI in Khmer and Vietnamese, chosen in Options → You (options,
 * dashboard, popup and the CSV export follow it) and followed from the browser's own languages (the panel on a
 * labeling page; options and the popup on "auto"). Each state is kept as a screenshot under tests/e2e/artifacts/ for a person
 * to look at, and checked for tofu: every Khmer, Thai and Vietnamese cluster on the page is drawn with the page's
 * font and compared with what the browser draws for a character no font has. CI needs the Debian fonts
 * fonts-khmeros and fonts-thai-tlwg for that check to pass.
 *
 * The browser's languages are set the way a person sets them, in the profile's preferences (intl.accept_languages):
 * Debian's Chromium ships only the en-US UI, so `--lang` changes nothing there, while the accept-languages list is
 * what `navigator.languages` reports.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchWithExtension,
  PANEL_IFRAME_SELECTOR,
  startFixtureServer,
  waitForPanel,
  waitUntil,
  type ExtensionBrowser,
  type FixtureServer,
} from './harness';
import { DEMO_SETTINGS_PATH } from './settings';

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

/** A note typed in Khmer, as a mentor in Phnom Penh would: it must come out whole in the CSV. */
const KHMER_NOTE = 'ខ្លឹមសារនេះជាការញុះញង់ឲ្យស្អប់ខ្ពើម';

let server: FixtureServer;
const profiles: string[] = [];

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  server = await startFixtureServer();
});

afterAll(async () => {
  await server?.close();
  await Promise.all(profiles.map((dir) => rm(dir, { recursive: true, force: true })));
});

/**
 * A browser whose preferred languages are `acceptLanguages` (as in chrome://settings/languages), on a profile
 * of its own.
 */
async function launchSpeaking(acceptLanguages?: string): Promise<ExtensionBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'loupe-e2e-lang-'));
  profiles.push(userDataDir);
  if (acceptLanguages) {
    await mkdir(join(userDataDir, 'Default'));
    await writeFile(join(userDataDir, 'Default', 'Preferences'), JSON.stringify({ intl: { accept_languages: acceptLanguages } }));
  }
  return launchWithExtension({ userDataDir });
}

/**
 * Imports the demo settings on the options page whatever language it is in, and waits until the worker has
 * registered the content script for the sites (tests/e2e/settings.ts waits on the English words instead).
 */
async function importSettings(browser: ExtensionBrowser): Promise<void> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await page.getByTestId('settings-import').setInputFiles(DEMO_SETTINGS_PATH);
  const worker = await browser.serviceWorker();
  await waitUntil(
    () =>
      worker.evaluate(async () => {
        const api = (globalThis as unknown as { chrome: { scripting: { getRegisteredContentScripts(): Promise<unknown[]> } } }).chrome;
        return (await api.scripting.getRegisteredContentScripts()).length > 0;
      }),
    15_000,
    'the content script to be registered after the import',
  );
  await page.close();
}

/**
 * The Khmer, Thai and Vietnamese clusters of the document's visible text that the browser draws as a missing
 * glyph (a tofu box) or not at all. Each is drawn on a canvas in the font of the element that shows it and
 * compared, pixel for pixel, with an unassigned code point (U+0378), which every font lacks.
 */
async function tofuIn(target: Page | Frame): Promise<{ missing: string[]; checked: number; selfTest: boolean }> {
  return target.evaluate(() => {
    const SCRIPTS = /[\u0E00-\u0E7F\u1780-\u17FF\u19E0-\u19FF]|[\u00C0-\u024F\u1EA0-\u1EFF]/u;
    const canvas = document.createElement('canvas');
    canvas.width = 96;
    canvas.height = 64;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('no 2D canvas');
    const draw = (text: string, family: string): string => {
      context.clearRect(0, 0, canvas.width, canvas.height);
      context.font = `32px ${family}`;
      context.fillStyle = '#000';
      context.fillText(text, 16, 44);
      return Array.from(context.getImageData(0, 0, canvas.width, canvas.height).data).join(',');
    };
    const blank = draw('', 'sans-serif');
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const seen = new Map<string, string>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || !parent.checkVisibility()) continue;
      const family = getComputedStyle(parent).fontFamily;
      for (const { segment } of segmenter.segment(node.textContent ?? '')) {
        if (SCRIPTS.test(segment) && !seen.has(segment)) seen.set(segment, family);
      }
    }
    const missingIn = (segment: string, family: string) => {
      const drawn = draw(segment, family);
      return drawn === blank || drawn === draw('\u0378', family);
    };
    const missing = [...seen].filter(([segment, family]) => missingIn(segment, family)).map(([segment]) => segment);
    // The check must see a missing glyph when there is one, or it proves nothing.
    return { missing, checked: seen.size, selfTest: missingIn('\u0378', 'sans-serif') && !missingIn('A', 'sans-serif') };
  });
}

async function expectNoTofu(target: Page | Frame, what: string): Promise<void> {
  const { missing, checked, selfTest } = await tofuIn(target);
  expect(selfTest, 'the tofu check sees a missing glyph').toBe(true);
  expect(checked, `${what} shows text in the language`).toBeGreaterThan(10);
  expect(missing, `${what}: clusters drawn as tofu (install fonts-khmeros and fonts-thai-tlwg)`).toEqual([]);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(ARTIFACTS, `languages-${name}.png`), fullPage: true });
}

function panelDocument(page: Page): Frame {
  const frame = page.frames().find((candidate) => candidate.url().includes('/panel.html'));
  if (!frame) throw new Error('the panel frame is not in the page');
  return frame;
}

/** Chooses `language` (its value) in Options → You and saves, from a page in any language. */
async function chooseLanguage(page: Page, language: string): Promise<void> {
  const you = page.locator('#you');
  await you.locator('select').selectOption(language);
  await you.locator('button[type="submit"]').click();
  await expect.poll(() => page.evaluate(() => document.documentElement.lang), { timeout: 10_000 }).toBe(language);
}

describe('the language chosen in Options → You', () => {
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    browser = await launchSpeaking();
    await importSettings(browser);
    // Three verdicts from the labeling page's keys, one with a note in Khmer.
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/labeldesk/task/LD-5000?bulk=3`);
    const panel = await waitForPanel(page);
    const plan: Array<() => Promise<void>> = [
      () => page.keyboard.press('1'),
      async () => {
        await page.keyboard.press('3');
        await panel.getByRole('radio', { name: 'Unsure', checked: true }).waitFor();
        await panel.getByRole('textbox', { name: 'Note' }).click();
        await page.keyboard.insertText(KHMER_NOTE);
        await page.keyboard.press('Enter');
      },
      async () => {
        await page.keyboard.press('2');
        await page.keyboard.press('m');
        await page.keyboard.press('Enter');
      },
    ];
    for (const [index, step] of plan.entries()) {
      await panel.getByLabel('Item on this page').getByText(`LD-${5000 + index}`, { exact: true }).waitFor({ timeout: 10_000 });
      await step();
      await panel.locator('.loupe-history li').first().waitFor({ timeout: 10_000 });
      await page.getByTestId('next-item').click();
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    }
    await page.close();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows options, the dashboard and the popup in Khmer, and exports the Khmer note whole in the CSV', async () => {
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await options.getByRole('heading', { level: 1, name: 'Loupe options' }).waitFor();
    await chooseLanguage(options, 'km');
    await options.getByRole('heading', { level: 1, name: 'ការកំណត់ Loupe' }).waitFor();
    await options.getByRole('button', { name: 'រក្សាទុកព័ត៌មានរបស់អ្នក' }).waitFor();
    await expectNoTofu(options, 'options in Khmer');
    await screenshot(options, 'options-km');

    const dashboard = await browser.context.newPage();
    await dashboard.goto(`chrome-extension://${browser.extensionId}/dashboard.html`);
    await dashboard.getByRole('heading', { level: 1, name: 'ផ្ទាំងគ្រប់គ្រង Loupe' }).waitFor();
    const summary = dashboard.getByRole('region', { name: 'សេចក្ដីសង្ខេប' });
    await summary.waitFor({ timeout: 15_000 });
    expect(await summary.textContent()).toContain('ភាពត្រឹមត្រូវ 50.0% លើ ការត្រួតពិនិត្យដែលបានវិនិច្ឆ័យ 2');
    expect(await dashboard.evaluate(() => document.documentElement.lang)).toBe('km');
    await expectNoTofu(dashboard, 'dashboard in Khmer');
    await screenshot(dashboard, 'dashboard-km');

    const [download] = await Promise.all([dashboard.waitForEvent('download'), dashboard.getByRole('button', { name: 'នាំចេញ CSV' }).click()]);
    const file = join(ARTIFACTS, 'languages-audits-km.csv');
    await download.saveAs(file);
    const bytes = await readFile(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    expect(text).toContain(KHMER_NOTE);
    await dashboard.getByText(/^បាននាំចេញ ការត្រួតពិនិត្យ 3 ទៅ /).waitFor();

    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 400, height: 800 });
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.getByRole('heading', { name: 'ទិដ្ឋភាពរួមថ្ងៃនេះ' }).waitFor();
    await popup.getByTestId('today-count').filter({ hasText: /^ការត្រួតពិនិត្យ 3 ក្នុងចំណោម 200$/ }).waitFor();
    await expectNoTofu(popup, 'popup in Khmer');
    await screenshot(popup, 'popup-km');
    await options.close();
    await dashboard.close();
    await popup.close();
  }, 90_000);

  it('switches options, the dashboard and the popup to Vietnamese, with Vietnamese numbers', async () => {
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await options.getByRole('heading', { level: 1, name: 'ការកំណត់ Loupe' }).waitFor();
    // An open dashboard follows the change live.
    const dashboard = await browser.context.newPage();
    await dashboard.goto(`chrome-extension://${browser.extensionId}/dashboard.html`);
    await dashboard.getByRole('heading', { level: 1, name: 'ផ្ទាំងគ្រប់គ្រង Loupe' }).waitFor();

    await chooseLanguage(options, 'vi');
    await options.getByRole('heading', { level: 1, name: 'Cài đặt Loupe' }).waitFor();
    await expectNoTofu(options, 'options in Vietnamese');
    await screenshot(options, 'options-vi');

    await dashboard.getByRole('heading', { level: 1, name: 'Thống kê Loupe' }).waitFor({ timeout: 10_000 });
    const summary = dashboard.getByRole('region', { name: 'Tóm tắt' });
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Độ chính xác 50,0% trên 2 lượt đã kết luận');
    await expectNoTofu(dashboard, 'dashboard in Vietnamese');
    await screenshot(dashboard, 'dashboard-vi');

    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 400, height: 800 });
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.getByRole('heading', { name: 'Tổng quan hôm nay' }).waitFor();
    await popup.getByTestId('today-count').filter({ hasText: /^3\/200 lượt kiểm tra$/ }).waitFor();
    await expectNoTofu(popup, 'popup in Vietnamese');
    await screenshot(popup, 'popup-vi');
    await options.close();
    await dashboard.close();
    await popup.close();
  }, 90_000);
});

describe.each([
  {
    locale: 'km',
    acceptLanguages: 'km-KH,km,en-US,en',
    correct: 'ត្រឹមត្រូវ',
    save: 'រក្សាទុក',
    options: 'ការកំណត់ Loupe',
    auto: 'ដូចកម្មវិធីរុករក (ខ្មែរ)',
    popup: 'ទិដ្ឋភាពរួមថ្ងៃនេះ',
    panelTitle: 'ផ្ទាំងត្រួតពិនិត្យ Loupe',
  },
  {
    locale: 'vi',
    acceptLanguages: 'vi-VN,vi,en-US,en',
    correct: 'Đúng',
    save: 'Lưu',
    options: 'Cài đặt Loupe',
    auto: 'Theo trình duyệt (Tiếng Việt)',
    popup: 'Tổng quan hôm nay',
    panelTitle: 'Bảng kiểm tra Loupe',
  },
])('a browser set to $locale', ({ locale, acceptLanguages, correct, save, options: optionsTitle, auto, popup: popupTitle, panelTitle }) => {
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    browser = await launchSpeaking(acceptLanguages);
    await importSettings(browser);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('gets the panel on the labeling page in its language', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.origin}/labeldesk/task/LD-5000?bulk=2`);
    const panel = await waitForPanel(page);

    await panel.getByRole('radio', { name: correct, exact: true }).waitFor({ timeout: 15_000 });
    await panel.getByRole('button', { name: save, exact: true }).waitFor();
    const frame = panelDocument(page);
    expect(await frame.evaluate(() => [document.documentElement.lang, navigator.languages[0]])).toEqual([locale, acceptLanguages.split(',')[0]]);
    // What the page script puts on the page speaks it too: the worker hands it the words (lib/i18n/page-words.ts).
    expect(await page.locator(PANEL_IFRAME_SELECTOR).getAttribute('title')).toBe(panelTitle);
    await expectNoTofu(frame, `the panel in ${locale}`);
    await screenshot(page, `panel-${locale}`);
    // The panel alone, at the size people read it.
    await page.locator(PANEL_IFRAME_SELECTOR).screenshot({ path: join(ARTIFACTS, `languages-panel-only-${locale}.png`) });
    await page.close();
  }, 60_000);

  it('gets the options page in its language while the setting is "auto"', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await page.getByRole('heading', { level: 1, name: optionsTitle }).waitFor();
    expect(await page.locator('#you select option[value="auto"]').textContent()).toBe(auto);
    await expectNoTofu(page, `options in ${locale}`);
    await screenshot(page, `options-auto-${locale}`);
    await page.close();
  }, 60_000);

  it('gets the popup in its language', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 400, height: 700 });
    await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await page.getByRole('heading', { name: popupTitle }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale);
    await expectNoTofu(page, `the popup in ${locale}`);
    await screenshot(page, `popup-auto-${locale}`);
    await page.close();
  }, 60_000);
});
