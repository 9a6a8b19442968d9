/**
 * Accessibility in a real browser (issue 7). axe-core audits the panel (in its iframe on a labeling page, in
 * several states), the popup, options and the dashboard against WCAG 2.0, 2.1 and 2.2 A and AA, in the light and
 * the dark colour scheme, and any serious or critical violation fails; every violation is printed. axe does not
 * check the edges of text fields (WCAG 1.4.11), so faintFieldEdges does, in the same pass.
 *
 * Keyboard checks sit beside them: on every surface Tab reaches each control in document order, and each shows
 * a focus indicator that changes its surroundings by 3:1 (measured on screenshots, not read from styles); the
 * help overlay hands focus back to where it was opened from. A last test plants faults to show the checks see
 * them.
 *
 * axe is injected with Playwright's `evaluate`, which runs through the DevTools protocol: extension pages' CSP
 * (`script-src 'self'`) refuses `addScriptTag`'s inline script, but not the debugger.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AxeResults, ImpactValue, RunOptions } from 'axe-core';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_PATHS,
  launchWithExtension,
  PANEL_IFRAME_SELECTOR,
  startFixtureServer,
  waitForPanel,
  type ExtensionBrowser,
  type FixtureServer,
} from './harness';
import { importDemoSettings } from './settings';

/** Every WCAG A and AA rule axe has, for 2.0, 2.1 and 2.2 (axe tags rules by the version that added them). */
const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
/** What fails the build; moderate and minor findings are printed, not failed on. */
const BLOCKING: readonly ImpactValue[] = ['serious', 'critical'];
const SCHEMES = ['light', 'dark'] as const;
type Scheme = (typeof SCHEMES)[number];

/** One finding on one element, flattened so it survives the trip out of the page and reads on one line. */
interface Finding {
  rule: string;
  impact: ImpactValue;
  help: string;
  target: string;
  summary: string;
}

let axeSource: string;
let server: FixtureServer;
let browser: ExtensionBrowser;

async function injectAxe(target: Page | Frame): Promise<void> {
  if (await target.evaluate(() => 'axe' in window)) return;
  // A string is evaluated as a script through the debugger: no CSP check, unlike a <script> tag.
  await target.evaluate(axeSource);
}

/** Runs axe over the whole document of `target` and returns each violating element as a Finding. */
async function runAxe(target: Page | Frame): Promise<Finding[]> {
  await injectAxe(target);
  const options: RunOptions = {
    runOnly: { type: 'tag', values: WCAG_AA_TAGS },
    resultTypes: ['violations'],
    // Only this document: the panel is audited in its own frame, and a host page's frames are not ours.
    iframes: false,
  };
  return target.evaluate(async (options) => {
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<AxeResults> } }).axe;
    const results = await axe.run(document, options);
    return results.violations.flatMap((violation) =>
      violation.nodes.map((node) => ({
        rule: violation.id,
        impact: node.impact ?? violation.impact ?? null,
        help: violation.help,
        target: node.target.map(String).join(' '),
        summary: (node.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
      })),
    );
  }, options);
}

/**
 * WCAG 1.4.11 for text fields, which axe does not check: a field's edge must stand out 3:1 from what surrounds
 * it, by its border or by its own fill. The colour behind a field is its ancestors' backgrounds, composited.
 */
async function faintFieldEdges(target: Page | Frame): Promise<Finding[]> {
  return target.evaluate(() => {
    type Rgba = [number, number, number, number];
    const parse = (color: string): Rgba => {
      const parts = color.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
      return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
    };
    const over = (top: Rgba, bottom: Rgba): Rgba => {
      const a = top[3];
      return [0, 1, 2].map((i) => top[i]! * a + bottom[i]! * (1 - a)).concat(1) as Rgba;
    };
    const luminance = ([r, g, b]: Rgba) =>
      [r, g, b]
        .map((v) => v / 255)
        .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
        .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i]!, 0);
    const ratio = (a: Rgba, b: Rgba) => {
      const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
      return (light + 0.05) / (dark + 0.05);
    };
    const behind = (el: Element): Rgba => {
      const layers: Rgba[] = [];
      for (let node = el.parentElement; node; node = node.parentElement) layers.push(parse(getComputedStyle(node).backgroundColor));
      const canvas: Rgba = matchMedia('(prefers-color-scheme: dark)').matches ? [18, 18, 18, 1] : [255, 255, 255, 1];
      return layers.reverse().reduce((below, layer) => over(layer, below), canvas);
    };
    const selector = 'input:not([type="hidden"], [type="checkbox"], [type="radio"], [type="file"], [type="range"]), select, textarea';
    return [...document.querySelectorAll(selector)]
      .filter((field) => field.checkVisibility({ visibilityProperty: true }))
      .flatMap((field) => {
        const style = getComputedStyle(field);
        const around = behind(field);
        const fill = over(parse(style.backgroundColor), around);
        const edge = parseFloat(style.borderTopWidth) > 0 ? over(parse(style.borderTopColor), around) : fill;
        const best = Math.max(ratio(edge, around), ratio(fill, around));
        if (best >= 3) return [];
        const label = field.getAttribute('aria-label') || (field as HTMLInputElement).labels?.[0]?.textContent?.trim() || field.id;
        return [{
          rule: 'field-edge-contrast',
          impact: 'serious' as const,
          help: 'A text field\u2019s edge must have 3:1 contrast with what surrounds it (WCAG 1.4.11)',
          target: `${field.localName}${label ? ` (${label})` : ''}`,
          summary: `edge ${style.borderTopColor} against ${`rgb(${around.slice(0, 3).map(Math.round).join(', ')})`}: ${best.toFixed(2)}:1`,
        }];
      });
  });
}

function describeFinding(finding: Finding): string {
  return `  [${finding.impact ?? 'n/a'}] ${finding.rule} at ${finding.target}: ${finding.help}. ${finding.summary}`;
}

/**
 * Audits `target` with axe and faintFieldEdges once per colour scheme (emulated on `page`, which owns the frame),
 * prints every violation, and returns the serious and critical ones per scheme for the test to assert on.
 */
async function auditBothSchemes(page: Page, target: Page | Frame, what: string): Promise<Record<Scheme, string[]>> {
  const blocking: Record<Scheme, string[]> = { light: [], dark: [] };
  for (const scheme of SCHEMES) {
    // Reduced motion: the panel's buttons then change colour at once. With motion, a button in an off-screen
    // note (content-visibility: auto skips its rendering) keeps the old scheme's colour until it is scrolled to,
    // and axe would read that frozen first frame of the fade.
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    // The emulation must reach the audited document (the panel is another process's frame), or the same scheme
    // would be audited twice and the dark theme never.
    await expect.poll(() => target.evaluate(() => (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'))).toBe(scheme);
    // Any fade still running is let finish: audit the settled colours, not a blend halfway between themes.
    await target.evaluate(async () => {
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      await Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined)));
    });
    const findings = [...(await runAxe(target)), ...(await faintFieldEdges(target))];
    console.log(
      findings.length === 0
        ? `[a11y] ${what}, ${scheme}: no violations`
        : `[a11y] ${what}, ${scheme}: ${findings.length} violating element(s)\n${findings.map(describeFinding).join('\n')}`,
    );
    blocking[scheme] = findings.filter((finding) => BLOCKING.includes(finding.impact)).map(describeFinding);
  }
  await page.emulateMedia({ colorScheme: null, reducedMotion: null });
  return blocking;
}

function panelDocument(page: Page): Frame {
  const frame = page.frames().find((candidate) => candidate.url().startsWith('chrome-extension://') && candidate.url().includes('/panel.html'));
  if (!frame) throw new Error('the panel frame is not in the page');
  return frame;
}

async function itemShown(panel: FrameLocator, itemId: string): Promise<void> {
  await panel.getByLabel('Item on this page').getByText(itemId, { exact: true }).waitFor({ timeout: 10_000 });
}

/** Records a few verdicts through the panel, by keys, so the popup and the dashboard have a day to show. */
async function recordSomeVerdicts(): Promise<void> {
  const page = await browser.context.newPage();
  await page.goto(`${server.origin}/labeldesk/task/LD-5000?bulk=4`);
  const panel = await waitForPanel(page);
  const plan: string[][] = [['1'], ['2', 'p', 'Enter'], ['3', 'Enter'], ['2', 'm', 'Enter']];
  for (const [index, keys] of plan.entries()) {
    await itemShown(panel, `LD-${5000 + index}`);
    for (const key of keys) await page.keyboard.press(key);
    // Each item is new, so its first history entry is the verdict just saved.
    await panel.locator('.loupe-history li').first().waitFor({ timeout: 10_000 });
    // The tool's own button: after "unsure" the note field has focus, and "]" would be typed there. Then focus
    // leaves that button, or the next item's Enter would press it instead of saving.
    await page.getByTestId('next-item').click();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  }
  await page.close();
}

/** Waits until the popup shows today's audits: at least those recordSomeVerdicts made (other tests add more). */
async function waitForTheDay(popup: Page): Promise<void> {
  const count = popup.getByTestId('today-count');
  await count.filter({ hasText: /^\d+ audits/ }).waitFor();
  expect(Number((await count.textContent())?.match(/^(\d+)/)?.[1])).toBeGreaterThanOrEqual(4);
}

beforeAll(async () => {
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  server = await startFixtureServer();
  browser = await launchWithExtension();
  await importDemoSettings(browser);
  await recordSomeVerdicts();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Serious and critical findings per audited state and scheme; the tests expect every list to be empty. */
type Blocking = Record<string, Record<Scheme, string[]>>;

function nothingBlocking(states: Blocking): Blocking {
  return Object.fromEntries(Object.keys(states).map((state) => [state, { light: [], dark: [] }]));
}

describe('axe-core finds no serious or critical WCAG 2.2 AA violation', () => {
  it('in the panel: a draft with a tag, a note with its reply field, history, the help overlay, an alert, folded', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.origin + FIXTURE_PATHS.modQueueFirst, { waitUntil: 'load' });
    const panel = await waitForPanel(page);
    await itemShown(panel, 'MQ-1001');
    const frame = panelDocument(page);
    const states: Blocking = {};

    // A pinned note, so the notes list is rendered with a card.
    await page.keyboard.press('Alt+n');
    await page.locator('loupe-capture').waitFor({ state: 'attached' });
    await page.getByTestId('labeler-decision').click();
    const composer = panel.getByRole('form', { name: 'New note' });
    await composer.getByRole('textbox').first().fill('Approve was right: the quote is reported speech.');
    await composer.getByRole('textbox').first().press('Control+Enter');
    await composer.waitFor({ state: 'detached' });
    const card = panel.getByRole('list', { name: 'Pinned notes' }).getByRole('listitem').first();
    await card.getByRole('button', { name: 'Reply' }).click();
    // The thread open, with its reply field: a text field on the card's raised background.
    await card.getByRole('textbox').waitFor();

    // A saved verdict (history), then a draft from the page's keys: Incorrect chosen, one tag picked.
    await page.keyboard.press('1');
    await panel.locator('.loupe-history li').first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('2');
    await page.keyboard.press('m');
    const missed = panel.getByRole('option', { name: /Missed violation/ });
    await panel.getByRole('option', { name: /Missed violation/, selected: true }).waitFor();
    await panel.getByRole('radio', { name: /Incorrect/, checked: true }).waitFor();
    states.draft = await auditBothSchemes(page, frame, 'panel with a draft');

    await panel.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    const help = panel.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    states.help = await auditBothSchemes(page, frame, 'panel with the help overlay');
    await help.getByRole('button', { name: 'Close keyboard shortcuts' }).click();

    // "Incorrect" saved without a tag: the alert, and the tag list marked invalid.
    await missed.click();
    await panel.getByRole('option', { name: /Missed violation/, selected: false }).waitFor();
    await panel.getByRole('button', { name: /^Save/ }).click();
    await panel.getByRole('alert').filter({ hasText: /at least one error tag/ }).waitFor();
    states.alert = await auditBothSchemes(page, frame, 'panel with an alert');

    // The fold is remembered per site: unfold again whatever happens, so no other test meets a folded panel.
    await panel.getByRole('button', { name: 'Collapse panel' }).click();
    try {
      await panel.getByRole('button', { name: 'Expand Loupe panel' }).waitFor();
      states.folded = await auditBothSchemes(page, frame, 'folded panel');
    } finally {
      await panel.getByRole('button', { name: 'Expand Loupe panel' }).click();
      await panel.getByRole('button', { name: 'Collapse panel' }).waitFor();
      await page.close();
    }
    expect(states).toEqual(nothingBlocking(states));
  }, 120_000);

  it('in the popup, for me and for the team', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await waitForTheDay(page);
    const states: Blocking = {};
    states.me = await auditBothSchemes(page, page, 'popup, me');
    await page.getByRole('radio', { name: 'Team' }).check();
    await page.getByTestId('scope-note').filter({ hasText: /\S/ }).waitFor();
    states.team = await auditBothSchemes(page, page, 'popup, team');
    await page.close();
    expect(states).toEqual(nothingBlocking(states));
  });

  it('on the options page, as loaded and with a field in error', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await page.getByRole('heading', { name: 'Loupe options' }).waitFor();
    const states: Blocking = {};
    states.loaded = await auditBothSchemes(page, page, 'options');
    // Nothing is saved: the form refuses the value and says why at the field.
    const target = page.getByRole('textbox', { name: /Accuracy target/ });
    await target.fill('10');
    await page.getByRole('button', { name: 'Save your details' }).click();
    await expect.poll(() => target.getAttribute('aria-invalid')).toBe('true');
    states.error = await auditBothSchemes(page, page, 'options with a field in error');
    await page.close();
    expect(states).toEqual(nothingBlocking(states));
  });

  it('on the dashboard, with its tables shown and the audits behind a bar listed', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/dashboard.html`);
    await page.getByRole('heading', { name: 'Summary' }).waitFor();
    const states: Blocking = {};
    states.loaded = await auditBothSchemes(page, page, 'dashboard');
    for (const summary of await page.locator('details > summary').all()) await summary.click();
    await page.getByRole('button', { name: /^Missed violation: 1 error/ }).click();
    await page.locator('[aria-labelledby="audit-list-title"]').getByText('LD-5003').waitFor();
    states.opened = await auditBothSchemes(page, page, 'dashboard with tables and an audit list');
    await page.close();
    expect(states).toEqual(nothingBlocking(states));
  });
});

/** What one walk through a page with the Tab key found. */
interface TabWalk {
  /** The Tab stops the DOM says there are, in document order, each as "index element "name"". */
  expected: string[];
  /** Where each Tab press actually put focus. */
  reached: string[];
  /** Stops whose focus changed too few pixels around them by 3:1: no visible focus indicator. */
  unseen: string[];
}

/**
 * How many pixels differ between two same-sized screenshots by a contrast ratio of at least 3:1 (each pixel
 * against itself). Decoded by the page itself (createImageBitmap), which saves a PNG decoder here.
 */
async function strongPixelChanges(page: Page, before: Buffer, after: Buffer): Promise<number> {
  return page.evaluate(
    async ([a, b]) => {
      const pixels = async (base64: string) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d')!;
        context.drawImage(bitmap, 0, 0);
        return context.getImageData(0, 0, bitmap.width, bitmap.height).data;
      };
      const channel = (value: number) => {
        const c = value / 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      const luminance = (data: Uint8ClampedArray, i: number) =>
        0.2126 * channel(data[i]!) + 0.7152 * channel(data[i + 1]!) + 0.0722 * channel(data[i + 2]!);
      const [first, second] = await Promise.all([pixels(a), pixels(b)]);
      let strong = 0;
      for (let i = 0; i < first.length; i += 4) {
        const [light, dark] = [luminance(first, i), luminance(second, i)].sort((x, y) => y - x) as [number, number];
        if ((light + 0.05) / (dark + 0.05) >= 3) strong += 1;
      }
      return strong;
    },
    [before.toString('base64'), after.toString('base64')] as const,
  );
}

/**
 * Presses Tab until every expected stop has had focus (or focus leaves the page) and records where it went. The expected stops are every rendered,
 * enabled control with a tabindex of 0 or more, in document order; of a group of native radios only the
 * checked one is a stop, and roving-tabindex widgets count once (their other items have tabindex -1).
 *
 * "Visible focus" is measured, not inferred from styles: the area around the focused element is captured with
 * focus and again after a blur, and enough pixels must change by 3:1 (see strongPixelChanges). Rings drawn on a
 * parent (a radio's label) or on a child (an SVG bar's slot) count, as they would for the person looking.
 */
async function walkTabOrder(page: Page, target: Page | Frame = page): Promise<TabWalk> {
  // Where the target's viewport sits in the page's: the panel's frame is offset by its iframe's position.
  const frameElement = 'frameElement' in target ? await target.frameElement() : null;
  const origin = (await frameElement?.boundingBox()) ?? { x: 0, y: 0 };
  const tabStops = () => target.evaluate(() => {
    const selector = 'a[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable=""], [contenteditable="true"]';
    const stops = [...document.querySelectorAll<HTMLElement | SVGElement>(selector)].filter((el) => {
      if (el.tabIndex < 0 || el.matches(':disabled')) return false;
      // checkVisibility also sees what a closed <details> hides, which still has boxes.
      if (!el.checkVisibility({ visibilityProperty: true })) return false;
      if (el instanceof HTMLInputElement && el.type === 'radio' && el.name && !el.checked) {
        // Chromium's Tab stop in a group with nothing checked is the first radio.
        const group = document.querySelectorAll<HTMLInputElement>(`input[type="radio"][name="${CSS.escape(el.name)}"]`);
        if ([...group].some((radio) => radio.checked) || group[0] !== el) return false;
      }
      // A <summary> is a stop only as the first summary of its <details>.
      if (el.localName === 'summary' && el.parentElement?.querySelector(':scope > summary') !== el) return false;
      return true;
    });
    return stops.map((el, index) => {
      // Named in the failure message, so a missing or misplaced stop can be found at a glance.
      const labelled = el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement ? el.labels?.[0] : null;
      const name = (el.getAttribute('aria-label') ?? labelled?.textContent ?? el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
      el.dataset.a11yStop = `${index} ${el.localName}${name ? ` "${name}"` : ''}`;
      return el.dataset.a11yStop;
    });
  });
  // Parts of a page render after their data arrives (the sync token's state): wait until the stops hold still.
  let expected = await tabStops();
  for (let settled = false; !settled; ) {
    await page.waitForTimeout(500);
    const again = await tabStops();
    settled = again.join('\n') === expected.join('\n');
    expected = again;
  }

  const reached: string[] = [];
  const unseen: string[] = [];
  const viewport = page.viewportSize() ?? { width: 1280, height: 720 };
  // A date field takes one Tab per part (day, month, year): repeated stops on one element are pressed through.
  for (let presses = 0; reached.length < expected.length && presses < expected.length * 4 + 10; presses += 1) {
    await page.keyboard.press('Tab');
    const focused = await target.evaluate(() => {
      const active = document.activeElement as HTMLElement | SVGElement | null;
      if (!active || active === document.body) return null;
      const box = active.getBoundingClientRect();
      const name = (active.getAttribute('aria-label') ?? active.textContent ?? '').trim().slice(0, 40) || active.localName;
      return { id: active.dataset.a11yStop ?? `unexpected ${active.localName} "${name}"`, name, box: { x: box.x, y: box.y, width: box.width, height: box.height } };
    });
    // Focus left the target (past the panel's last control it goes back to the host page).
    if (!focused) break;
    focused.box.x += origin.x;
    focused.box.y += origin.y;
    if (focused.id === reached.at(-1)) continue;
    reached.push(focused.id);

    // Room for a 3 px ring at a 2 px offset, kept inside the viewport.
    const x = Math.max(0, Math.floor(focused.box.x - 8));
    const y = Math.max(0, Math.floor(focused.box.y - 8));
    const clip = {
      x,
      y,
      width: Math.max(1, Math.min(viewport.width, Math.ceil(focused.box.x + focused.box.width + 8)) - x),
      height: Math.max(1, Math.min(viewport.height, Math.ceil(focused.box.y + focused.box.height + 8)) - y),
    };
    const withFocus = await page.screenshot({ clip, animations: 'disabled' });
    const blurred = await target.evaluateHandle(() => {
      const active = document.activeElement as HTMLElement | SVGElement;
      active.blur();
      return active;
    });
    const withoutFocus = await page.screenshot({ clip, animations: 'disabled' });
    // Back where it was, for the next Tab; after keyboard use a programmatic focus still matches :focus-visible.
    const refocused = await blurred.evaluate((el) => {
      el.focus();
      return el.matches(':focus-visible');
    });
    await blurred.dispose();
    if (!refocused) throw new Error(`could not give focus back to ${focused.name}`);
    const changed = await strongPixelChanges(page, withFocus, withoutFocus);
    // At least as many pixels as a 1 px ring around the element, each changed by 3:1 (WCAG 1.4.11).
    const needed = Math.round(2 * (focused.box.width + focused.box.height));
    if (changed < needed) unseen.push(`${focused.id}: ${changed} of ${needed} pixels`);
  }
  return { expected, reached, unseen };
}

describe('by keyboard alone', () => {
  const pages = [
    { name: 'popup', path: 'popup.html', ready: waitForTheDay },
    { name: 'options page', path: 'options.html', ready: (page: Page) => page.getByRole('heading', { name: 'Loupe options' }).waitFor() },
    { name: 'dashboard', path: 'dashboard.html', ready: (page: Page) => page.getByRole('heading', { name: 'Summary' }).waitFor() },
  ];

  it.each(pages)('Tab reaches every control of the $name in document order, each with a visible focus indicator', async ({ name, path, ready }) => {
    const walks: Partial<Record<Scheme, TabWalk>> = {};
    for (const scheme of SCHEMES) {
      const page = await browser.context.newPage();
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await page.goto(`chrome-extension://${browser.extensionId}/${path}`);
      await ready(page);
      const walk = await walkTabOrder(page);
      console.log(`[a11y] ${name}, ${scheme}: ${walk.expected.length} Tab stops; without a visible focus indicator: ${walk.unseen.join('; ') || 'none'}`);
      walks[scheme] = walk;
      await page.close();
    }
    for (const walk of Object.values(walks)) {
      expect(walk.expected.length).toBeGreaterThan(3);
      expect(walk.reached).toEqual(walk.expected);
    }
    expect({ light: walks.light?.unseen, dark: walks.dark?.unseen }).toEqual({ light: [], dark: [] });
  }, 180_000);

  it('Tab reaches every control of the panel in document order, each with a visible focus indicator', async () => {
    const walks: Partial<Record<Scheme, TabWalk>> = {};
    for (const scheme of SCHEMES) {
      const page = await browser.context.newPage();
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await page.goto(server.origin + FIXTURE_PATHS.labelDeskFirst, { waitUntil: 'load' });
      const panel = await waitForPanel(page);
      await itemShown(panel, 'LD-2001');
      // A draft in progress, so the tag list and the note field are what an analyst tabs through.
      await page.keyboard.press('2');
      await panel.getByRole('radio', { name: /Incorrect/, checked: true }).waitFor();
      // Tab starts from the panel's title, before its first control.
      await panel.getByRole('heading', { level: 1 }).click();
      const walk = await walkTabOrder(page, panelDocument(page));
      console.log(`[a11y] panel, ${scheme}: ${walk.expected.length} Tab stops; without a visible focus indicator: ${walk.unseen.join('; ') || 'none'}`);
      walks[scheme] = walk;
      await page.close();
    }
    for (const walk of Object.values(walks)) {
      expect(walk.expected.length).toBeGreaterThan(3);
      expect(walk.reached).toEqual(walk.expected);
    }
    expect({ light: walks.light?.unseen, dark: walks.dark?.unseen }).toEqual({ light: [], dark: [] });
  }, 180_000);

  it('Escape closes the panel\u2019s help overlay and gives focus back to the button that opened it', async () => {
    const page = await browser.context.newPage();
    // LabelDesk, not ModQueue: this test must not depend on the panel test's state of that site.
    await page.goto(server.origin + FIXTURE_PATHS.labelDeskFirst, { waitUntil: 'load' });
    const panel = await waitForPanel(page);
    await itemShown(panel, 'LD-2001');
    const opener = panel.getByRole('button', { name: 'Keyboard shortcuts' });
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = panel.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    // Focus moved into the dialog, and Tab keeps it there.
    const frame = panelDocument(page);
    const focusedLabel = () => frame.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.localName ?? null);
    expect(await focusedLabel()).toBe('Close keyboard shortcuts');
    await page.keyboard.press('Tab');
    expect(await focusedLabel()).toBe('Close keyboard shortcuts');

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedLabel()).toBe('Keyboard shortcuts');
    expect(await page.locator(PANEL_IFRAME_SELECTOR).count()).toBe(1);
    await page.close();
  });

  it('Escape closes the help overlay opened from the labeling page and gives focus back to the page', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.origin + FIXTURE_PATHS.labelDeskFirst, { waitUntil: 'load' });
    const panel = await waitForPanel(page);
    await itemShown(panel, 'LD-2001');
    // Focus is on the labeling page, where the analyst works: the host's active element is not the panel.
    const hostFocus = () => page.evaluate(() => document.activeElement?.localName ?? null);
    expect(await hostFocus()).not.toBe('iframe');

    await page.keyboard.press('?');
    const dialog = panel.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    // The list is read in the panel: focus moved into it.
    await expect.poll(hostFocus).toBe('iframe');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count(), { timeout: 5_000, message: 'the help overlay is still open after Escape' }).toBe(0);
    await expect.poll(hostFocus, { timeout: 5_000, message: 'focus stayed in the panel' }).not.toBe('iframe');
    await page.close();
  });
});

describe('the checks themselves', () => {
  it('catch a contrast fault only the dark scheme has, and focus rings taken away', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await waitForTheDay(page);
    // Grey on the dark background (about 2.4:1): the dark audit must see it and the light one must not.
    await page.addStyleTag({ content: '@media (prefers-color-scheme: dark) { .popup__detail { color: #555555; } }' });
    const planted = await auditBothSchemes(page, page, 'popup with a planted dark-scheme fault');
    expect(planted.light).toEqual([]);
    expect(planted.dark.some((finding) => finding.includes('color-contrast'))).toBe(true);

    await page.addStyleTag({ content: '*, *:focus, *:focus-visible, *:has(:focus-visible) { outline: none !important; }' });
    const walk = await walkTabOrder(page);
    expect(walk.reached).toEqual(walk.expected);
    expect(walk.unseen).toHaveLength(walk.expected.length);
    await page.close();
  }, 60_000);
});
