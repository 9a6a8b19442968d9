import { defineConfig } from 'wxt';

/**
 * Builds made for the e2e suite and the local demo (`LOUPE_TEST_HOSTS=1`) carry the loopback origins as granted
 * host permissions: the run-time permission prompt is browser UI that Playwright cannot click (TOOLCHAIN.md).
 * The shipped build asks for every site's origin at run time and carries no host permission at all.
 */
const testHosts = process.env.LOUPE_TEST_HOSTS === '1';
const CHROME_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAmaEpe8OGIfcQLNfIWHN4QswtrZDOLJ9C92vlyjWUJuRGb8AqQ5M0rtdfImm41yx0IjZLIms/1OAW2rl9+jtnJiwgRhQSneo2zlKzUxleXQ0LPOGgWqsgSICibZx5gL4rbOMF8BfOEmnHSgwJMxAcqzpl6nrmUMXK85il7bxBSyV9uy9LUHELr9/UrZEY8p3Fb0znUrjhc7dlrM1fHix2ZrEYeZECr+kMmRXJnF8SvH2BlT5kX6/EcNKhFhNNSv0MaFrXIDo+JLty7jLuYcB70gOkf0CKPnmIzTGp921VfAgdEzLeq0RLlJW3YlagqRQkNJZrxvYZaVMby8m5ovakcQIDAQAB';
const loopbackOrigins = ['http://127.0.0.1/*', 'http://localhost/*'];

export default defineConfig({
  modules: ['@wxt-dev/module-react', '@wxt-dev/webextension-polyfill'],
  // LOUPE_OUT_DIR: a build beside the usual ones, e.g. to benchmark two versions against each other.
  outDir: process.env.LOUPE_OUT_DIR ?? (testHosts ? '.output-test' : '.output'),
  manifest: ({ browser }) => ({
    name: 'Loupe',
    description: 'Quality auditing inside labeling tools: verdicts, error tags and inline notes for QA analysts.',
    // The stable id (ilhbcfmkdehekcbfofeifpdmamkmmelh) keeps the extension origin (and so its IndexedDB) the same across reloads of an unpacked copy.
    ...(browser === 'firefox' ? {} : { key: CHROME_KEY }),
    permissions: [
      'storage',
      'scripting',
      'alarms',
      'unlimitedStorage',
      ...(browser === 'firefox' && testHosts ? loopbackOrigins : []),
    ],
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'loupe@loupe.invalid',
              // 142: the first desktop and Android versions that read data_collection_permissions.
              strict_min_version: '142.0',
              // Nothing leaves the browser until a team sets its own sync endpoint (a later issue revisits this).
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
    // Firefox's MV2 manifest has no host_permissions keys: origins go into the (optional) permissions lists.
    ...(browser === 'firefox'
      ? { optional_permissions: ['https://*/*', 'http://*/*'] as const }
      : { optional_host_permissions: ['https://*/*', 'http://*/*'], host_permissions: testHosts ? loopbackOrigins : [] }),
    web_accessible_resources: [
      // The page may embed its own copy of panel.html; the panel renders nothing until the worker has checked the
      // one-time token our content script handed it (DESIGN.md, "The contexts and who owns what").
      { resources: ['panel.html'], matches: ['https://*/*', 'http://*/*'] },
    ],
    action: { default_title: 'Loupe: today\u2019s audits' },
  }),
  hooks: {
    // WXT copies the matches of a `registration: 'runtime'` content script into host_permissions. Our sites are
    // granted one by one at run time, so the shipped manifest must not ask for them up front.
    'build:manifestGenerated': (_wxt, manifest) => {
      const keep = new Set(testHosts ? loopbackOrigins : []);
      if (manifest.host_permissions) {
        manifest.host_permissions = manifest.host_permissions.filter((p: string) => keep.has(p));
      }
      if (manifest.permissions) {
        manifest.permissions = manifest.permissions.filter((p: string) => !p.includes('://') || keep.has(p));
      }
    },
  },
});
