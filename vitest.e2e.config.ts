import { defineConfig } from 'vitest/config';

// End-to-end tests drive a real Chromium with the built extension; they share one browser binary and the
// machine has two cores, so files run one at a time.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/e2e/**/*.e2e.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
