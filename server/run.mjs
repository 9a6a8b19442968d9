#!/usr/bin/env node
/**
 * `npm run receiver`: Node 20 cannot run TypeScript, so bundle server/main.ts (and the lib/ schemas it shares
 * with the extension) into .tmp/receiver.mjs with esbuild, already installed for WXT, then run it.
 * better-sqlite3 stays external: it is a native addon that Node loads from node_modules.
 */
import { build } from 'esbuild';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const outfile = join(ROOT, '.tmp', 'receiver.mjs');

await build({
  entryPoints: [join(ROOT, 'server', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  external: ['better-sqlite3'],
  sourcemap: 'inline',
  logLevel: 'warning',
});

await import(pathToFileURL(outfile).href);
