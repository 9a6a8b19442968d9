import type { HtmlTagDescriptor, Plugin } from 'vite';
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

/**
 * Issue 4 (the popup opens in under 150 ms): popup.html's entry (entrypoints/popup/main.tsx) loads alone and starts
 * reading today, then imports React and the popup (entrypoints/popup/mount.tsx). Vite hints only at static
 * imports, so those would be asked for only once the entry has run; these hints have the browser fetch them, and
 * the popup's stylesheet, while it is still reading popup.html.
 */
function popupFirstPaintHints(): Plugin {
  return {
    name: 'loupe:popup-first-paint-hints',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, { filename, bundle }) {
        if (!bundle || !filename.endsWith('/entrypoints/popup/index.html')) return;
        const chunks = Object.values(bundle).flatMap((output) => (output.type === 'chunk' ? [output] : []));
        const mount = chunks.find((chunk) => chunk.facadeModuleId?.endsWith('/entrypoints/popup/mount.tsx'));
        if (!mount) throw new Error('popup.html: entrypoints/popup/mount.tsx is no longer a chunk of its own');
        const scripts = new Set<string>();
        const styles = new Set<string>();
        const visit = (fileName: string) => {
          const chunk = chunks.find((candidate) => candidate.fileName === fileName);
          if (!chunk || scripts.has(fileName)) return;
          scripts.add(fileName);
          chunk.viteMetadata?.importedCss.forEach((css) => styles.add(css));
          chunk.imports.forEach(visit);
        };
        visit(mount.fileName);
        const link = (rel: string, fileName: string): HtmlTagDescriptor[] =>
          // What the entry already hints at (the chunks both share) is not asked for twice.
          html.includes(`/${fileName}"`) ? [] : [{ tag: 'link', attrs: { rel, crossorigin: true, href: `/${fileName}` }, injectTo: 'head' }];
        return [...[...styles].flatMap((fileName) => link('stylesheet', fileName)), ...[...scripts].flatMap((fileName) => link('modulepreload', fileName))];
      },
    },
  };
}

/** Entrypoints built for the labeling page: the content script, and the notes and site-setup bundles the worker injects. */
const PAGE_SCRIPTS = new Set(['labeling', 'page-notes', 'site-setup']);

export default defineConfig({
  modules: ['@wxt-dev/module-react', '@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [popupFirstPaintHints()] }),
  // LOUPE_OUT_DIR: a build beside the usual ones, e.g. to benchmark two versions against each other.
  outDir: process.env.LOUPE_OUT_DIR ?? (testHosts ? '.output-test' : '.output'),
  manifest: ({ browser }) => ({
    // The browser shows these in its own language, from public/_locales/<lang>/messages.json.
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // The stable id (ilhbcfmkdehekcbfofeifpdmamkmmelh) keeps the extension origin (and so its IndexedDB) the same across reloads of an unpacked copy.
    ...(browser === 'firefox' ? {} : { key: CHROME_KEY }),
    permissions: [
      'storage',
      'scripting',
      // "Set up this site" from the popup: the click grants the tab's page for the moment, so the setup script can
      // be injected before the site has a profile or a permission of its own. No install-time warning.
      'activeTab',
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
  }),
  hooks: {
    // The scripts that run on labeling pages use the browser's own namespace (lib/content/extension-api.ts), and
    // so must WXT's content-script wrapper: without this its `wxt/browser` import alone would bring the ~10 KB
    // polyfill back into every page (issue 6). The module above still gives every other entrypoint the polyfill.
    'vite:build:extendConfig': (entrypoints, config) => {
      if (!entrypoints.every((entrypoint) => PAGE_SCRIPTS.has(entrypoint.name))) return;
      const alias = config.resolve?.alias;
      const others = Array.isArray(alias) ? alias : Object.entries(alias ?? {}).map(([find, replacement]) => ({ find, replacement }));
      config.resolve = { ...config.resolve, alias: [{ find: /^wxt\/browser$/, replacement: '@wxt-dev/browser' }, ...others] };
    },
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
      // WXT titles the toolbar button with popup.html's <title>, which cannot name a message: the title goes in the
      // browser's language from public/_locales, as the name and description do.
      const action = manifest.action ?? manifest.browser_action;
      if (action) action.default_title = '__MSG_actionTitle__';
    },
  },
});
