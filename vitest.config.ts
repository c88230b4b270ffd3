import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Unit tests touch no database: CI runs them in its first (embedded) pass only
    // (DATABASE_TESTS_ONLY=1 in .ci/run's PostgreSQL pass); `npm test` alone runs everything.
    include:
      process.env.DATABASE_TESTS_ONLY === '1'
        ? ['test/integration/**/*.test.ts']
        : ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    pool: 'forks',
    // Two cores: more workers only make the PGlite instances fight for CPU.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
