import { defineConfig } from 'vitest/config';

// Benchmarks (issue 6) drive a real Chromium with the test build; they print figures and write
// tests/bench/results.json. They are not part of `npm test`: their numbers are reported, not asserted.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/bench/**/*.perf.ts'],
    globalSetup: ['tests/bench/print-all.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
