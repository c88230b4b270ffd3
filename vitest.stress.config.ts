import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/stress/**/*.stress.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    // The kill -9 import test runs ten imports in a row: ~160 s alone on a 2-core machine.
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
