import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/stress/**/*.stress.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    // The kill -9 import test runs six imports in a row (~100 s alone on a 2-core machine).
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
