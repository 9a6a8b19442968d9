#!/usr/bin/env node
/**
 * `npm start`: the demo. Builds the test-hosts extension (it carries the loopback host permissions, so no
 * permission prompt), serves the fixture labeling tools on 127.0.0.1, and with a display opens Chromium with
 * Loupe loaded and the demo settings imported. Without one it prints how to do the same by hand.
 */
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extensionLaunchArgs, findChromium } from '../tests/e2e/chromium.mjs';
import { FIXTURE_PATHS, startFixtureServer } from '../tests/fixtures/sites/server.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const EXTENSION_PATH = join(ROOT, '.output-test', 'chrome-mv3');
const DEMO_SETTINGS = join(ROOT, 'tests', 'fixtures', 'sites', 'demo-settings.json');
const DEMO_PROFILE = join(ROOT, '.tmp', 'demo-profile');
const IMPORT_INPUT = 'input[type=file][data-testid="settings-import"]';
const DEFAULT_PORT = 5178;

function buildTestExtension() {
  return new Promise((resolvePromise) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'wxt'), ['build'], {
      cwd: ROOT,
      env: { ...process.env, LOUPE_TEST_HOSTS: '1' },
      stdio: 'inherit',
    });
    child.on('error', () => resolvePromise(1));
    child.on('close', (code) => resolvePromise(code ?? 1));
  });
}

function printDemoUrls(origin) {
  console.log('\nDemo pages:');
  console.log(`  ModQueue (one page per item)     ${origin}${FIXTURE_PATHS.modQueueFirst}`);
  console.log(`  ModQueue image item              ${origin}${FIXTURE_PATHS.modQueueImage}`);
  console.log(`  LabelDesk (single-page app)      ${origin}${FIXTURE_PATHS.labelDeskFirst}`);
  console.log(`  LabelDesk, content 1 s late      ${origin}${FIXTURE_PATHS.labelDeskLate}`);
  console.log(`  LabelDesk, labeler missing       ${origin}${FIXTURE_PATHS.labelDeskMissingLabeler}`);
  console.log(`  Not a labeling tool (no panel)   ${origin}${FIXTURE_PATHS.about}`);
}

function printManualSteps(origin) {
  console.log(`
Load Loupe by hand:
  1. Open chrome://extensions and turn on Developer mode.
  2. Load unpacked: ${EXTENSION_PATH}
  3. Open Loupe's options (Details → Extension options) and import ${DEMO_SETTINGS}
     (it enables the "modqueue" and "labeldesk" site profiles and sets the auditor id "qa-maria").`);
  printDemoUrls(origin);
}

/**
 * Opens a headed Chromium with Loupe, imports the demo settings through the options page and opens the first
 * ModQueue item. Returns a function that closes the browser.
 */
async function openDemoBrowser(origin, executablePath) {
  const { chromium } = await import('playwright-core');
  await mkdir(DEMO_PROFILE, { recursive: true });
  const context = await chromium.launchPersistentContext(DEMO_PROFILE, {
    executablePath,
    headless: false,
    viewport: null,
    args: extensionLaunchArgs(EXTENSION_PATH),
  });
  const isExtensionWorker = (worker) => worker.url().startsWith('chrome-extension://');
  const worker = context.serviceWorkers().find(isExtensionWorker) ?? (await context.waitForEvent('serviceworker', { predicate: isExtensionWorker }));
  const extensionId = new URL(worker.url()).host;

  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  const importInput = options.locator(IMPORT_INPUT);
  const hasImport = await importInput
    .waitFor({ state: 'attached', timeout: 5000 })
    .then(() => true)
    .catch(() => false);
  if (hasImport) {
    await importInput.setInputFiles(DEMO_SETTINGS);
    console.log(`Imported the demo settings on the options page (check it for a confirmation step).`);
  } else {
    console.log(`The options page has no ${IMPORT_INPUT} yet: import ${DEMO_SETTINGS} there by hand.`);
  }

  const tool = await context.newPage();
  await tool.goto(origin + FIXTURE_PATHS.modQueueFirst);
  await tool.bringToFront();
  console.log(`Chromium is open with Loupe (${extensionId}); profile in ${DEMO_PROFILE}.`);
  return () => context.close();
}

async function main() {
  console.log('Building the extension with test hosts (LOUPE_TEST_HOSTS=1 wxt build)…');
  const buildCode = await buildTestExtension();
  if (buildCode !== 0) {
    console.error('The build failed; see above.');
    process.exit(buildCode);
  }

  const port = process.env.PORT ? Number(process.env.PORT) : DEFAULT_PORT;
  const server = await startFixtureServer({ port, host: '127.0.0.1' });
  console.log(`\nFixture labeling tools on ${server.origin}`);

  let closeBrowser = async () => {};
  let executablePath;
  try {
    executablePath = findChromium();
  } catch (error) {
    console.log(error instanceof Error ? error.message : String(error));
  }
  if (process.env.DISPLAY && executablePath) {
    try {
      closeBrowser = await openDemoBrowser(server.origin, executablePath);
      printDemoUrls(server.origin);
    } catch (error) {
      console.error(`Could not open Chromium: ${error instanceof Error ? error.message : String(error)}`);
      printManualSteps(server.origin);
    }
  } else {
    if (!process.env.DISPLAY) console.log('No DISPLAY: not opening a browser.');
    printManualSteps(server.origin);
  }
  console.log('\nServing until Ctrl+C.');

  const stop = async () => {
    await closeBrowser().catch(() => {});
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

await main();
