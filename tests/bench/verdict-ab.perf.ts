/**
 * Two builds' verdict latency side by side, for telling whether a change to the verdict path helped: on this
 * shared 2-core machine one build's p50 moves by 20–50 % between runs, more than most changes are worth. Each
 * build gets its own browser, and they take turns, BLOCK verdicts at a time, so both see the same load.
 *
 *   LOUPE_BENCH_AB=.output-before,.output-after npx vitest run -c vitest.bench.config.ts
 *
 * (each a `LOUPE_OUT_DIR=… LOUPE_TEST_HOSTS=1 npx wxt build` output). Prints quartiles and p95 of key → "Saved"
 * per build and the difference of their medians; writes nothing to results.json, whose figures are one build's.
 * Timing is the verdict benchmark's own (tests/bench/verdict-driver.ts).
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { launchWithExtension, startFixtureServer, type ExtensionBrowser, type FixtureServer } from '../e2e/harness';
import { importDemoSettings } from '../e2e/settings';
import { percentile, round } from './results';
import { giveVerdicts, openVerdictQueue, readVerdictTimes, type VerdictQueue } from './verdict-driver';

const BLOCK = 40;
const ROUNDS = 6;
const WARMUP = 10;

function builds(): [string, string] {
  const dirs = (process.env.LOUPE_BENCH_AB ?? '').split(',').map((dir) => dir.trim()).filter(Boolean);
  if (dirs.length !== 2) throw new Error('set LOUPE_BENCH_AB to two build output folders: LOUPE_BENCH_AB=.output-a,.output-b');
  return [dirs[0]!, dirs[1]!];
}

let server: FixtureServer;
const browsers: ExtensionBrowser[] = [];

beforeAll(async () => {
  server = await startFixtureServer();
});

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await server?.close();
});

async function queueFor(dir: string): Promise<VerdictQueue> {
  const browser = await launchWithExtension({ extensionPath: resolve(dir, 'chrome-mv3') });
  browsers.push(browser);
  await importDemoSettings(browser);
  return openVerdictQueue(browser, server.origin, WARMUP + BLOCK * ROUNDS);
}

describe('verdict, two builds', () => {
  it(`takes turns, ${BLOCK} verdicts at a time, ${ROUNDS} turns each`, async () => {
    const dirs = builds();
    const queues = [await queueFor(dirs[0]), await queueFor(dirs[1])];
    for (const queue of queues) await giveVerdicts(queue, WARMUP);
    for (let turn = 0; turn < ROUNDS; turn += 1) {
      for (const queue of queues) await giveVerdicts(queue, BLOCK);
    }
    const rows: string[] = [];
    const medians: number[] = [];
    for (const [index, queue] of queues.entries()) {
      const { saved } = await readVerdictTimes(queue, WARMUP);
      const at = (p: number) => round(percentile(saved, p), 2);
      medians.push(percentile(saved, 50));
      rows.push(`${dirs[index]}: key → "Saved" over ${saved.length}: p25 ${at(25)}, p50 ${at(50)}, p75 ${at(75)}, p95 ${at(95)} ms`);
    }
    const change = medians[1]! - medians[0]!;
    rows.push(`p50 ${dirs[1]} − ${dirs[0]}: ${round(change, 2)} ms (${round((change / medians[0]!) * 100, 1)} %)`);
    console.log(rows.join('\n'));
  }, 900_000);
});
