/**
 * Nearest stations through the HTTP API (straight-line mode, open=any) vs the raw SQL KNN it wraps
 * (`ORDER BY geom <-> point LIMIT k` with exact geodesic distances) on the same database with the
 * 1,500 sample stations. The ratio is the cost of HTTP, validation, paging, ETAs, the hours engine
 * and GeoJSON framing. Goal (issue 4): ≤ 1.5x. Also reports open=arrival with two amenities.
 */
import { sql } from 'drizzle-orm';
import { rawNearestIds } from '../../server/modules/nearest/nearest.repository.js';
import {
  BENCH_PG_URL,
  httpGet,
  openBenchDatabase,
  percentile,
  seededRandom,
  startBenchServer,
  timeRuns,
  type BenchRow,
} from './lib.js';

const RUNS = 300;
const K = 5;

function randomOrigins(n: number): Array<[number, number]> {
  const random = seededRandom(11);
  // Inside the 5th ring road, where most outdoor workers are.
  return Array.from({ length: n + 20 }, () => [116.2 + random() * 0.4, 39.76 + random() * 0.3]);
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const kinds: Array<'pglite' | 'postgres'> = BENCH_PG_URL ? ['pglite', 'postgres'] : ['pglite'];
  for (const kind of kinds) {
    const db = await openBenchDatabase(kind);
    // Planner statistics, as autovacuum keeps them on a server: without them PostgreSQL guesses
    // that an amenity filter matches almost nothing and sorts the table instead of walking the
    // GiST index in distance order. (PGlite has no autovacuum: the seed should ANALYZE.)
    await db.db.execute(sql`analyze stations`);
    const server = await startBenchServer(db);
    try {
      const origins = randomOrigins(RUNS);
      const url = (i: number, extra = '') =>
        `${server.baseUrl}/api/nearest?lng=${origins[i]![0]}&lat=${origins[i]![1]}&k=${K}${extra}`;
      const rawSql = await timeRuns(RUNS, (i) => rawNearestIds(db.db, origins[i]!, K));
      const api = await timeRuns(RUNS, async (i) => {
        const res = await httpGet(url(i, '&open=any'));
        if (res.status !== 200) throw new Error(`API answered ${res.status}: ${res.body}`);
      });
      const filtered = await timeRuns(RUNS, async (i) => {
        const res = await httpGet(url(i, '&open=arrival&amenities=hot_water,phone_charging'));
        if (res.status !== 200) throw new Error(`API answered ${res.status}: ${res.body}`);
      });
      const p50Api = percentile(api, 50);
      const p50Sql = percentile(rawSql, 50);
      rows.push({
        name: `nearest k=5 p50, API vs raw SQL KNN (${db.label})`,
        value: p50Api,
        unit: 'ms',
        baseline: p50Sql,
        ratio: p50Api / p50Sql,
        goal: '≤ 1.5x',
      });
      rows.push({
        name: `nearest k=5 open=arrival + 2 amenities p50 (${db.label})`,
        value: percentile(filtered, 50),
        unit: 'ms',
        baseline: p50Sql,
        ratio: percentile(filtered, 50) / p50Sql,
      });
      rows.push({
        name: `nearest k=5 p99 through API (${db.label})`,
        value: percentile(api, 99),
        unit: 'ms',
      });
    } finally {
      await server.close();
      await db.close();
    }
  }
  return rows;
}
