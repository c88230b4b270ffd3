/**
 * Network coverage's heavy half — the multi-source search and the sweep of the reached streets'
 * band over the areas — runs in the CPU pool, reading the graph from shared memory, not on the
 * event loop that answers /healthz and the nearest search (principle 1). On a synthetic grid laid
 * over Beijing the sweep alone takes most of the request (every district, 5 m rows); a ticker on
 * the API's thread must keep turning through it: its longest pause stays a small part of the
 * request. Before, the whole search and sweep were one pause.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type AppDatabase } from '../../server/db/client.js';
import { replaceRoadNetwork } from '../../server/modules/routes/road-import.repository.js';
import { syntheticGrid } from '../../scripts/lib/synthetic-grid.js';
import { startTestServer, type TestServer } from '../setup/server.js';

const SIDE = 120; // ~28,600 edges, 100 m apart
const ORIGIN: [number, number] = [116.2, 39.75];

let server: TestServer;
let db: AppDatabase;

beforeAll(async () => {
  server = await startTestServer();
  db = server.database.handle.db;
  const grid = syntheticGrid(SIDE, ORIGIN);
  await replaceRoadNetwork(db, grid, { name: `grid-${SIDE}`, source: 'synthetic' });
  const nodes = grid.nodes.filter((n) => (n.id % SIDE) % 10 === 5 && Math.floor(n.id / SIDE) % 10 === 5);
  await db.execute(
    sql`insert into stations (name, geom, opening_hours)
        select 'grid ' || k, ST_SetSRID(ST_MakePoint(x, y), 4326), '24/7'
        from unnest(${`{${nodes.map((n) => n.lng).join(',')}}`}::float8[], ${`{${nodes.map((n) => n.lat).join(',')}}`}::float8[])
          with ordinality as t(x, y, k)`,
  );
}, 180_000);

afterAll(async () => {
  await server?.close();
});

/** Runs `work` while a 5 ms ticker runs on this thread; the longest gap between its ticks. */
async function longestPause<T>(work: () => Promise<T>): Promise<{ result: T; pauseMs: number; totalMs: number }> {
  let last = performance.now();
  let pauseMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    pauseMs = Math.max(pauseMs, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  try {
    const result = await work();
    return { result, pauseMs: Math.max(pauseMs, performance.now() - last), totalMs: performance.now() - started };
  } finally {
    clearInterval(ticker);
  }
}

describe('network coverage off the event loop', () => {
  it('keeps the API thread turning while the table is computed', async () => {
    const url = '/api/coverage?level=district&rule=walk:10&at=2026-03-04T12:00';
    await server.request(url); // loads the graph (a one-off, not the computation)
    await db.execute(sql`delete from coverage_cache`);
    const { result, pauseMs, totalMs } = await longestPause(() => server.request(url));
    expect(result.status).toBe(200);
    expect(result.headers.get('x-cache')).toBe('miss');
    expect(result.body.totals.covered_km2).toBeGreaterThan(0);
    // Relative, not a time goal: the computation is most of the request, so a pause of a third
    // of it can only be the computation holding the thread.
    expect(pauseMs).toBeLessThan(totalMs / 3);
  });
});
