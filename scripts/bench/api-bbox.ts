/**
 * bbox items through the HTTP API vs the same SQL (the repository call the route makes) run directly
 * on the same database: the ratio is the cost of HTTP, validation and framing.
 * Goal (issue 2): API ≤ 1.5x the raw SQL. Runs on PGlite, and on PostgreSQL when configured.
 */
import { listStationFeaturesJson } from '../../server/modules/stations/stations.repository.js';
import {
  BENCH_PG_URL,
  httpGet,
  openBenchDatabase,
  percentile,
  seededRandom,
  startBenchServer,
  timeInterleaved,
  type BenchRow,
} from './lib.js';

const RUNS = 300;

function randomBoxes(n: number): Array<[number, number, number, number]> {
  const random = seededRandom(7);
  return Array.from({ length: n + 20 }, () => {
    // ~2–5 km boxes over central Beijing: what a phone screen shows at street zoom.
    const lng = 116.25 + random() * 0.35;
    const lat = 39.8 + random() * 0.25;
    const size = 0.02 + random() * 0.03;
    return [lng, lat, lng + size, lat + size * 0.75];
  });
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const kinds: Array<'pglite' | 'postgres'> = BENCH_PG_URL ? ['pglite', 'postgres'] : ['pglite'];
  for (const kind of kinds) {
    const db = await openBenchDatabase(kind);
    const server = await startBenchServer(db);
    try {
      const boxes = randomBoxes(RUNS);
      // Interleaved: each box is asked through the API and straight from SQL in turn.
      const { a: api, b: rawSql } = await timeInterleaved(
        RUNS,
        async (i) => {
          const res = await httpGet(
            `${server.baseUrl}/api/collections/stations/items?bbox=${boxes[i]!.join(',')}`,
          );
          if (res.status !== 200) throw new Error(`API answered ${res.status}: ${res.body}`);
        },
        (i) => listStationFeaturesJson(db.db, { bbox: boxes[i]! }, { limit: 100, offset: 0 }),
      );
      const p50Api = percentile(api, 50);
      const p50Sql = percentile(rawSql, 50);
      rows.push({
        name: `bbox items p50, API vs raw SQL (${db.label})`,
        value: p50Api,
        unit: 'ms',
        baseline: p50Sql,
        ratio: p50Api / p50Sql,
        goal: '≤ 1.5x',
      });
      rows.push({
        name: `bbox items p99 through API (${db.label})`,
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
