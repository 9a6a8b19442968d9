#!/usr/bin/env node
/**
 * `npm test`: the one gate (STYLE.md "One gate"). Runs typecheck, lint, unit + component tests, the Chrome and
 * Firefox builds, web-ext lint, the test-hosts build and the e2e tests, then prints a summary and one closing
 * line `N passed, N failed` because CI reads that line and not Vitest's (TOOLCHAIN.md, "CI's closing line").
 *
 * Gate steps count as one test each; Vitest suites count their tests from their JSON reports. A step whose
 * prerequisite failed is skipped (e2e needs the test build, web-ext lint the Firefox build); every other step
 * runs even after a failure so one run shows everything that is wrong.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const TMP = join(ROOT, '.tmp');
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);

/**
 * Runs a command and resolves with its exit code. Output goes to the terminal, except what is captured:
 * stdout alone (to parse it) or both streams (for steps that run side by side and print afterwards).
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: Record<string, string>, captureStdout?: boolean, captureAll?: boolean }} [options]
 */
function run(command, args, { env = {}, captureStdout = false, captureAll = false } = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', captureStdout || captureAll ? 'pipe' : 'inherit', captureAll ? 'pipe' : 'inherit'],
    });
    let stdout = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk) => {
        stdout += chunk;
      });
    }
    child.on('error', (error) => {
      stdout += `could not start ${command}: ${error.message}\n`;
      if (!captureAll) console.error(`could not start ${command}: ${error.message}`);
      resolvePromise({ code: 127, stdout });
    });
    child.on('close', (code, signal) => resolvePromise({ code: code ?? (signal ? 128 : 1), stdout }));
  });
}

/** A pass/fail step: one test. With `captureAll`, its output is returned instead of streamed. */
function gate(name, command, args, env) {
  return {
    name,
    async execute({ captureAll = false } = {}) {
      const { code, stdout } = await run(command, args, { env, captureAll });
      const outcome = { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0, note: code === 0 ? '' : `exit ${code}` };
      return { ...outcome, output: stdout };
    },
  };
}

/**
 * Reads a Vitest JSON report. A run that exits non-zero with no failed test (a file that did not import, an
 * unhandled error) still counts one failure, so it cannot pass silently.
 */
export async function vitestCounts(reportPath, exitCode, readText = (path) => readFile(path, 'utf8')) {
  let report;
  try {
    report = JSON.parse(await readText(reportPath));
  } catch {
    return { passed: 0, failed: 1, skipped: 0, note: `no JSON report (exit ${exitCode})` };
  }
  const passed = Number(report.numPassedTests ?? 0);
  const skipped = Number(report.numPendingTests ?? 0) + Number(report.numTodoTests ?? 0);
  const failedTests = Number(report.numFailedTests ?? 0);
  const brokenFiles = Number(report.numFailedTestSuites ?? 0);
  const failed = failedTests > 0 ? failedTests : exitCode !== 0 || brokenFiles > 0 ? 1 : 0;
  const note = failedTests === 0 && failed > 0 ? `suite error (exit ${exitCode}, ${brokenFiles} file(s) failed to run)` : '';
  return { passed, failed, skipped, note };
}

function vitestSuite(name, configArgs, reportName) {
  const reportPath = join(TMP, reportName);
  return {
    name,
    async execute() {
      await rm(reportPath, { force: true }); // never read an old run's report
      const { code } = await run(bin('vitest'), [
        'run',
        ...configArgs,
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${reportPath}`,
      ]);
      return vitestCounts(reportPath, code);
    },
  };
}

/** web-ext lint: errors fail the step; warnings are listed and counted but pass (they are advice for AMO). */
function webExtLint(sourceDir) {
  return {
    name: 'web-ext lint (firefox)',
    async execute() {
      const { code, stdout } = await run(bin('web-ext'), ['lint', '--source-dir', sourceDir, '--self-hosted', '--output', 'json'], {
        captureStdout: true,
      });
      let report;
      try {
        report = JSON.parse(stdout);
      } catch {
        console.error(stdout);
        return { passed: 0, failed: 1, skipped: 0, note: `unreadable output (exit ${code})` };
      }
      for (const kind of ['errors', 'warnings']) {
        for (const item of report[kind] ?? []) {
          console.log(`  ${kind === 'errors' ? 'ERROR' : 'warning'} ${item.code}: ${item.message}${item.file ? ` (${item.file})` : ''}`);
        }
      }
      const errors = Number(report.summary?.errors ?? 0);
      const warnings = Number(report.summary?.warnings ?? 0);
      const failed = errors > 0 || code !== 0;
      return { passed: failed ? 0 : 1, failed: failed ? 1 : 0, skipped: 0, note: `${errors} errors, ${warnings} warnings` };
    },
  };
}

// `parallel` steps start together (tsc and eslint are single-threaded; the machine has two cores) and print
// their output when both are done.
const STEPS = [
  { key: 'typecheck', parallel: true, step: gate('typecheck (tsc)', bin('tsc'), ['--noEmit']) },
  { key: 'lint', parallel: true, step: gate('lint (eslint)', bin('eslint'), ['.']) },
  { key: 'unit', step: vitestSuite('unit + component (vitest)', [], 'unit.json') },
  { key: 'build-chrome', step: gate('build chrome', bin('wxt'), ['build']) },
  { key: 'build-firefox', step: gate('build firefox', bin('wxt'), ['build', '-b', 'firefox']) },
  // LOUPE_OUT_DIR (wxt.config.ts) moves every build, this one included.
  { key: 'web-ext', needs: 'build-firefox', step: webExtLint(join(ROOT, process.env.LOUPE_OUT_DIR ?? '.output', 'firefox-mv2')) },
  { key: 'build-test', step: gate('build chrome (test hosts)', bin('wxt'), ['build'], { LOUPE_TEST_HOSTS: '1' }) },
  { key: 'e2e', needs: 'build-test', step: vitestSuite('e2e (vitest + chromium)', ['-c', 'vitest.e2e.config.ts'], 'e2e.json') },
];

function formatSeconds(ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}

export function closingLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

async function main() {
  if (!existsSync(bin('vitest'))) {
    console.error('node_modules is missing: run `npm ci` first.');
    console.log(closingLine({ passed: 0, failed: 1, skipped: 0 }));
    process.exit(1);
  }
  await mkdir(TMP, { recursive: true });
  const outcomes = new Map();
  const rows = [];

  const parallel = STEPS.filter((entry) => entry.parallel);
  const started = Date.now();
  const results = await Promise.all(parallel.map(({ step }) => step.execute({ captureAll: true })));
  parallel.forEach(({ key, step }, index) => {
    const { output, ...outcome } = results[index];
    console.log(`\n━━ ${step.name}`);
    if (output.trim()) console.log(output.trimEnd());
    outcomes.set(key, outcome);
    rows.push({ name: step.name, ms: Date.now() - started, ...outcome });
  });

  for (const { key, needs, step } of STEPS.filter((entry) => !entry.parallel)) {
    const prerequisite = needs ? outcomes.get(needs) : undefined;
    if (prerequisite && prerequisite.failed > 0) {
      const outcome = { passed: 0, failed: 0, skipped: 1, note: `skipped: ${needs} failed` };
      outcomes.set(key, outcome);
      rows.push({ name: step.name, ms: 0, ...outcome });
      continue;
    }
    console.log(`\n━━ ${step.name}`);
    const stepStarted = Date.now();
    const { passed, failed, skipped, note } = await step.execute();
    const outcome = { passed, failed, skipped, note };
    outcomes.set(key, outcome);
    rows.push({ name: step.name, ms: Date.now() - stepStarted, ...outcome });
  }

  const totals = rows.reduce(
    (sum, row) => ({ passed: sum.passed + row.passed, failed: sum.failed + row.failed, skipped: sum.skipped + row.skipped }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  const width = Math.max(...rows.map((row) => row.name.length));
  console.log('\nSummary');
  for (const row of rows) {
    const status = row.failed > 0 ? 'FAIL' : row.skipped > 0 && row.passed === 0 ? 'SKIP' : 'ok  ';
    const counts = `${String(row.passed).padStart(4)} passed ${String(row.failed).padStart(3)} failed`;
    console.log(`  ${status} ${row.name.padEnd(width)} ${counts} ${formatSeconds(row.ms).padStart(7)}${row.note ? `  ${row.note}` : ''}`);
  }
  console.log(closingLine(totals));
  process.exit(totals.failed > 0 ? 1 : 0);
}

const runDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runDirectly) await main();
