/**
 * End-to-end helpers: a real Chromium with the built test extension (`LOUPE_TEST_HOSTS=1 npx wxt build`),
 * driven by playwright-core. TOOLCHAIN.md ("A real browser for end-to-end tests") explains the flags.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type CDPSession, type FrameLocator, type Page, type Worker } from 'playwright-core';
import { extensionLaunchArgs, findChromium, LOUPE_EXTENSION_ID } from './chromium.mjs';

export { findChromium, LOUPE_EXTENSION_ID };
export { FIXTURE_PATHS, startFixtureServer, type FixtureServer } from '../fixtures/sites/server.mjs';

const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Where `LOUPE_TEST_HOSTS=1 npx wxt build` writes the Chrome build that carries the loopback host permissions. */
export const TEST_EXTENSION_PATH = join(REPO_ROOT, process.env.LOUPE_OUT_DIR ?? '.output-test', 'chrome-mv3');

/** The panel is the only extension-origin iframe our content script puts in a page. */
export const PANEL_IFRAME_SELECTOR = 'iframe[src^="chrome-extension://"]';

/**
 * Playwright 1.65.1's `--disable-features` default, copied from its chromiumSwitches. It turns off
 * ThirdPartyStoragePartitioning, which with blocked third-party cookies leaves a cross-site iframe no storage
 * (research/iframe-spike.md). A string that differs from Playwright's is silently not removed, so the version
 * is checked before it is used.
 */
const PLAYWRIGHT_VERSION_OF_DISABLED_FEATURES = '1.65.1';
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];

function installedPlaywrightVersion(): string {
  const manifest: unknown = createRequire(import.meta.url)('playwright-core/package.json');
  if (typeof manifest === 'object' && manifest !== null && 'version' in manifest && typeof manifest.version === 'string') {
    return manifest.version;
  }
  return 'unknown';
}

/** Launch options that keep Playwright's defaults except that storage partitioning stays on (Chrome's default). */
function withStoragePartitioning(): { ignoreDefaultArgs: string[]; args: string[] } {
  const installed = installedPlaywrightVersion();
  if (installed !== PLAYWRIGHT_VERSION_OF_DISABLED_FEATURES) {
    throw new Error(
      `tests/e2e/harness.ts copies Playwright ${PLAYWRIGHT_VERSION_OF_DISABLED_FEATURES}'s --disable-features list, ` +
        `but ${installed} is installed: copy the list from playwright-core's chromiumSwitches again.`,
    );
  }
  const playwrightDefault = `--disable-features=${PLAYWRIGHT_DISABLED_FEATURES.join(',')}`;
  const ours = PLAYWRIGHT_DISABLED_FEATURES.filter((feature) => feature !== 'ThirdPartyStoragePartitioning');
  return { ignoreDefaultArgs: [playwrightDefault], args: [`--disable-features=${ours.join(',')}`] };
}

export interface LaunchOptions {
  /** The unpacked build to load; defaults to TEST_EXTENSION_PATH. */
  extensionPath?: string;
  /** Reuse a profile (e.g. to restart the browser on the same data); a fresh temporary one otherwise. */
  userDataDir?: string;
  /**
   * true (default): Playwright's default arguments, under which a cross-site iframe gets no storage when
   * third-party cookies are blocked, as for many real users. false: storage partitioning on, as in stock Chrome.
   */
  defaultArgs?: boolean;
  /** Headed runs are for the demo and debugging; tests run headless. */
  headless?: boolean;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  userDataDir: string;
  extensionId: string;
  /** The extension's service worker, waiting for it to start when it is not running. */
  serviceWorker(): Promise<Worker>;
  /** Closes the browser; deletes the profile only when this launch created it. */
  close(): Promise<void>;
}

function isExtensionWorker(worker: Worker): boolean {
  return worker.url().startsWith('chrome-extension://');
}

async function extensionServiceWorker(context: BrowserContext): Promise<Worker> {
  const running = context.serviceWorkers().find(isExtensionWorker);
  if (running) return running;
  return context.waitForEvent('serviceworker', { predicate: isExtensionWorker });
}

export async function launchWithExtension(options: LaunchOptions = {}): Promise<ExtensionBrowser> {
  const extensionPath = options.extensionPath ?? TEST_EXTENSION_PATH;
  if (!existsSync(join(extensionPath, 'manifest.json'))) {
    throw new Error(`No built extension at ${extensionPath}. Build it first: LOUPE_TEST_HOSTS=1 npx wxt build`);
  }
  const executablePath = findChromium();
  const ownsProfile = options.userDataDir === undefined;
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), 'loupe-e2e-')));
  const partitioning = options.defaultArgs === false ? withStoragePartitioning() : undefined;

  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: options.headless ?? true,
    args: [...extensionLaunchArgs(extensionPath), ...(partitioning?.args ?? [])],
    ...(partitioning ? { ignoreDefaultArgs: partitioning.ignoreDefaultArgs } : {}),
  });
  try {
    const worker = await extensionServiceWorker(context);
    const extensionId = new URL(worker.url()).host;
    return {
      context,
      userDataDir,
      extensionId,
      serviceWorker: () => extensionServiceWorker(context),
      close: async () => {
        await context.close();
        if (ownsProfile) await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context.close();
    if (ownsProfile) await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

type RunningStatus = 'stopped' | 'starting' | 'running' | 'stopping';

/**
 * Runs one DevTools `ServiceWorker` command and waits until every extension worker version reports `wanted`, so
 * the caller knows the worker really is stopped (or running) when this returns.
 */
async function driveExtensionWorkers(
  context: BrowserContext,
  page: Page,
  command: (session: CDPSession) => Promise<unknown>,
  wanted: RunningStatus,
  timeoutMs: number,
): Promise<void> {
  const session = await context.newCDPSession(page);
  const statuses = new Map<string, string>();
  let settle: () => void = () => {};
  const reached = new Promise<void>((resolve) => {
    settle = () => {
      if (statuses.size > 0 && [...statuses.values()].every((status) => status === wanted)) resolve();
    };
  });
  session.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const version of versions) {
      if (version.scriptURL.startsWith('chrome-extension://')) statuses.set(version.versionId, version.runningStatus);
    }
    settle();
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`extension service worker did not reach "${wanted}" (${JSON.stringify([...statuses.values()])})`)),
      timeoutMs,
    );
  });
  try {
    await session.send('ServiceWorker.enable');
    await command(session);
    await Promise.race([reached, timedOut]);
  } finally {
    clearTimeout(timer);
    await session.detach();
  }
}

/**
 * Stops the extension's service worker, as Chrome does when it idles (it never idles under test), and returns
 * once it has stopped. Whatever the extension kept only in worker memory is gone afterwards.
 *
 * Playwright keeps the same `Worker` handle across the stop: `evaluate` on it waits (without failing) until
 * something starts the worker again, e.g. a message from the content script or `wakeServiceWorker`.
 */
export async function stopServiceWorkers(context: BrowserContext, page: Page, timeoutMs = 10_000): Promise<void> {
  await driveExtensionWorkers(context, page, (session) => session.send('ServiceWorker.stopAllWorkers'), 'stopped', timeoutMs);
}

/** Starts the extension's stopped service worker directly, without any extension event, and waits until it runs. */
export async function wakeServiceWorker(context: BrowserContext, page: Page, extensionId: string, timeoutMs = 10_000): Promise<void> {
  const scopeURL = `chrome-extension://${extensionId}/`;
  await driveExtensionWorkers(context, page, (session) => session.send('ServiceWorker.startWorker', { scopeURL }), 'running', timeoutMs);
}

/**
 * Every row of one object store in the extension's IndexedDB, read with the raw IndexedDB API from an extension
 * page (same origin as the worker) so the check does not trust our own Dexie code. A database that does not exist
 * yet reads as no rows; a missing store is an error naming the stores that exist.
 */
export async function readExtensionDb(
  context: BrowserContext,
  extensionId: string,
  dbName: string,
  storeName: string,
  extensionPage = 'options.html',
): Promise<unknown[]> {
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${extensionId}/${extensionPage}`);
    return await page.evaluate(
      async ({ dbName, storeName }) => {
        const known = await indexedDB.databases();
        // Opening a database that does not exist would create it (version 1, no stores) under the extension's feet.
        if (!known.some((info) => info.name === dbName)) return [];
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open(dbName);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error ?? new Error(`could not open ${dbName}`));
          request.onblocked = () => reject(new Error(`opening ${dbName} was blocked`));
        });
        try {
          if (!db.objectStoreNames.contains(storeName)) {
            throw new Error(`IndexedDB "${dbName}" has no store "${storeName}"; it has: ${[...db.objectStoreNames].join(', ')}`);
          }
          return await new Promise<unknown[]>((resolve, reject) => {
            const request = db.transaction(storeName, 'readonly').objectStore(storeName).getAll();
            request.onsuccess = () => resolve(request.result as unknown[]);
            request.onerror = () => reject(request.error ?? new Error(`could not read ${storeName}`));
          });
        } finally {
          db.close();
        }
      },
      { dbName, storeName },
    );
  } finally {
    await page.close();
  }
}

/** The Loupe panel inside a host page. */
export function panelFrame(page: Page): FrameLocator {
  return page.frameLocator(PANEL_IFRAME_SELECTOR);
}

/** Waits until the panel iframe is in the page and its document has loaded, then returns it. */
export async function waitForPanel(page: Page, timeoutMs = 15_000): Promise<FrameLocator> {
  await page.locator(PANEL_IFRAME_SELECTOR).waitFor({ state: 'attached', timeout: timeoutMs });
  const frame = panelFrame(page);
  await frame.locator('body').waitFor({ state: 'attached', timeout: timeoutMs });
  return frame;
}

/**
 * Polls `check` every 200 ms until it holds: for what a test cannot await (rows on the receiver, the extension's
 * outbox, what the page paints). Fails after `timeoutMs` with an error naming `what` was awaited.
 */
export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * What the popup's "sync now" button does: the `page/sync-now` message (push, then pull), sent from an extension
 * page because the worker takes it only from one. The worker replies once the sync is requested, not done: wait
 * for its effect with `waitUntil`.
 */
export async function syncNow(browser: ExtensionBrowser): Promise<void> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  await page.evaluate(() =>
    (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ type: 'page/sync-now' }),
  );
  await page.close();
}
