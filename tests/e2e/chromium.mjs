import { existsSync } from 'node:fs';

/**
 * Where Chromium is and how to start it with our unpacked extension (TOOLCHAIN.md, "A real browser"). Plain
 * ESM so both the TypeScript e2e harness and `scripts/start.mjs` (run by node directly) use the same flags.
 */

/** The manifest's `key` fixes the Chrome extension id, so the id is a constant. */
export const LOUPE_EXTENSION_ID = 'ilhbcfmkdehekcbfofeifpdmamkmmelh';

const INSTALL_HINT =
  'No Chromium found. Install one with `apt-get update && apt-get install -y chromium fonts-liberation fonts-khmeros fonts-thai-tlwg` ' +
  '(never `npx playwright install`: browser downloads are not reachable), or set CHROME_PATH to a Chrome/Chromium binary.';

/**
 * `CHROME_PATH`, then `/usr/bin/chromium`.
 * @param {Record<string, string | undefined>} [env]
 * @param {(path: string) => boolean} [exists]
 */
export function findChromium(env = process.env, exists = existsSync) {
  const candidates = [env.CHROME_PATH, '/usr/bin/chromium'].filter((path) => typeof path === 'string' && path !== '');
  const found = candidates.find((path) => exists(path));
  if (found) return found;
  const tried = candidates.length > 0 ? ` Looked at: ${candidates.join(', ')}.` : '';
  throw new Error(`${INSTALL_HINT}${tried}`);
}

/**
 * Launch arguments that load one unpacked extension. Without `--disable-extensions-except`, Playwright's own
 * `--disable-extensions` wins and the extension does not load.
 * @param {string} extensionPath
 */
export function extensionLaunchArgs(extensionPath) {
  return [
    `--disable-extensions-except=${extensionPath}`,
    `--load-extension=${extensionPath}`,
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
}
