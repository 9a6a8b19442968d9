import { configDefaults, defineConfig } from 'vitest/config';

// Benchmarks (issue 6) drive a real Chromium with the test build; they print figures and write
// tests/bench/results.json. They are not part of `npm test`: their numbers are reported, not asserted.
// With LOUPE_BENCH_AB=<build>,<build>, only the two-build comparison of the verdict path runs (verdict-ab.perf.ts).
const AB = 'tests/bench/verdict-ab.perf.ts';
const comparing = process.env.LOUPE_BENCH_AB !== undefined;

export default defineConfig({
  test: {
    environment: 'node',
    include: comparing ? [AB] : ['tests/bench/**/*.perf.ts'],
    exclude: comparing ? configDefaults.exclude : [...configDefaults.exclude, AB],
    globalSetup: ['tests/bench/print-all.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
