import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    // Pages whose behaviour does not depend on the database engine run in CI's first (embedded) pass
    // only, like the unit tests: the shell and its language switch, the service worker's cache rules,
    // basemap tiles and labels drawn in the browser, the worker page's map, list, geolocation and
    // offline reload, and its search box. What they read (meta, areas with their label points,
    // nearest, search, stations) is checked on both engines by the integration tests; pages that
    // write (console, admin, reports), plan or route run on both. `npm test` alone runs every file.
    exclude:
      process.env.DATABASE_TESTS_ONLY === '1'
        ? [
            'test/e2e/shell.e2e.ts',
            'test/e2e/private-cache.e2e.ts',
            'test/e2e/worker-basemap.e2e.ts',
            'test/e2e/worker.e2e.ts',
            'test/e2e/worker-search.e2e.ts',
          ]
        : [],
    globalSetup: ['test/e2e/global-setup.ts'],
    pool: 'forks',
    // Two files at a time (each its own server and browser): a browser test mostly waits (a page
    // loading, a map settling, a poll), so two share two cores well; measured 437 → 218 s on PGlite, 201 → 114 s on PostgreSQL, all passing on a loaded machine.
    fileParallelism: true,
    maxWorkers: 2,
    // A page answers within a second alone, not always with two files at once on two cores:
    // every expect.poll waits up to 10 s unless it says otherwise (vitest's own default is 1 s).
    expect: { poll: { timeout: 10_000 } },
    testTimeout: 90_000,
    hookTimeout: 180_000,
  },
});
