/** Configures Loupe in e2e runs the way a person would: importing a settings file on the options page. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExtensionBrowser } from './harness';

export const DEMO_SETTINGS_PATH = fileURLToPath(new URL('../fixtures/sites/demo-settings.json', import.meta.url));

/**
 * Writes the demo settings with sync on to `endpoint` (and `changes` on top, e.g. another auditor's id) as a file
 * in `dir`, for importDemoSettings; returns its path. Files for different changes get different names.
 */
export async function demoSettingsWithSync(dir: string, endpoint: string, changes: Record<string, unknown> = {}): Promise<string> {
  const bundle = JSON.parse(await readFile(DEMO_SETTINGS_PATH, 'utf8')) as { settings: Record<string, unknown> };
  Object.assign(bundle.settings, { sync: { enabled: true, endpoint } }, changes);
  const suffix = Object.values(changes).map(String).join('-');
  const file = join(dir, `settings-with-sync${suffix ? `-${suffix}` : ''}.json`);
  await writeFile(file, JSON.stringify(bundle));
  return file;
}

export async function importDemoSettings(browser: ExtensionBrowser, file = DEMO_SETTINGS_PATH): Promise<void> {
  const page = await browser.context.newPage();
  try {
    await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await page.getByTestId('settings-import').setInputFiles(file);
    await page.getByText(/Imported \d+ sites?/).waitFor({ timeout: 10_000 });
    // The worker registers the content script for the imported sites; wait until it has.
    const worker = await browser.serviceWorker();
    for (let i = 0; i < 50; i += 1) {
      const registered = await worker.evaluate(async () => {
        const api = (globalThis as unknown as { chrome: { scripting: { getRegisteredContentScripts(): Promise<unknown[]> } } }).chrome;
        return (await api.scripting.getRegisteredContentScripts()).length;
      });
      if (registered > 0) return;
      await page.waitForTimeout(100);
    }
    throw new Error('Loupe did not register its content script after the settings were imported');
  } finally {
    await page.close();
  }
}
