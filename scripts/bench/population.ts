/**
 * People as demand (issue 14) on Beijing with the 1,500 sample stations, radius 500 m, a workday
 * 10:00, after importing all 36 hourly DynPop rasters (SHARED_DATA_DIR/population/beijing-hourly;
 * skipped when absent) at 100 m (BENCH_POPULATION_AGGREGATE=2 for 200 m):
 * - the import itself (parse + write) and the size of demand_cells, for the record;
 * - the first population question after a start (cells loaded, sub-districts assigned in PostGIS);
 * - the sub-district table with population vs the same table by area only (goal < 2 s on PGlite);
 * - the 24-hour people curve of the city vs the area-only curve (goal < 5 s);
 * - 10 suggested sites weighted by people vs by area (goal < 10 s).
 * Every timed run first empties the shared answer cache, so these are computations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from '../../server/db/client.js';
import { createUser } from '../../server/modules/auth/auth.service.js';
import {
  DYNPOP_CITATION,
  importPopulationFiles,
  listRasterFiles,
} from '../../server/modules/demand/population/population-import.js';
import {
  BENCH_PG_URL,
  SHARED_DATA_DIR,
  httpGet,
  openBenchDatabase,
  percentile,
  startBenchServer,
  timeRuns,
  type BenchRow,
} from './lib.js';

const AT = '2026-03-04T10:00';
const RUNS = 3;
const FOLDER = path.join(SHARED_DATA_DIR, 'population', 'beijing-hourly');

export async function run(): Promise<BenchRow[]> {
  if (!fs.existsSync(FOLDER)) {
    process.stderr.write(`population bench skipped: ${FOLDER} not found\n`);
    return [];
  }
  const aggregate = Number(process.env.BENCH_POPULATION_AGGREGATE ?? 1);
  const rows: BenchRow[] = [];
  const kinds: Array<'pglite' | 'postgres'> = BENCH_PG_URL ? ['pglite', 'postgres'] : ['pglite'];
  for (const kind of kinds) {
    const db = await openBenchDatabase(kind);
    const label = `${db.label}, ${100 * aggregate} m cells`;
    const server = await startBenchServer(db);
    try {
      const imported = await importPopulationFiles(db.db, listRasterFiles([FOLDER]), {
        name: 'Beijing DynPop (bench)',
        citation: DYNPOP_CITATION,
        aggregate,
      });
      await db.db.execute(sql`analyze demand_cells`);
      const layer = imported.layer.id;
      process.stderr.write(
        `population bench on ${label}: ${imported.cells} cells, read ${imported.readMs} ms, written ${imported.writeMs} ms, ${(imported.tableBytes / 1e6).toFixed(1)} MB\n`,
      );
      rows.push(
        {
          name: `import 36 hourly rasters: parse (${label})`,
          value: imported.readMs,
          unit: 'ms',
          goal: 'info',
        },
        {
          name: `import 36 hourly rasters: write (${label})`,
          value: imported.writeMs,
          unit: 'ms',
          goal: 'info',
        },
        {
          name: `demand_cells on disk (${label})`,
          value: imported.tableBytes / 1e6,
          unit: 'MB',
          goal: 'info',
        },
      );
      await createUser(db.db, {
        username: 'bench-planner',
        password: 'bench-planner-password',
        role: 'planner',
      });
      const login = await fetch(`${server.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'bench-planner', password: 'bench-planner-password' }),
      });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      const get = async (p: string) => {
        await db.db.execute(sql`delete from coverage_cache`);
        const res = await httpGet(`${server.baseUrl}${p}`, { cookie });
        if (res.status !== 200)
          throw new Error(`${p} answered ${res.status}: ${res.body.slice(0, 300)}`);
        return res.body;
      };
      const measure = async (fn: () => Promise<unknown>) =>
        percentile(await timeRuns(RUNS, fn, 1), 50);
      const compare = (name: string, value: number, baseline: number, goalMs: number) => {
        rows.push(
          {
            name: `${name} vs area only (${label})`,
            value,
            unit: 'ms',
            baseline,
            ratio: value / baseline,
            goal: 'info',
          },
          {
            name: `${name} vs goal (${label})`,
            value,
            unit: 'ms',
            baseline: goalMs,
            ratio: value / goalMs,
            goal: `≤ 1.0x (< ${goalMs / 1000} s)`,
          },
        );
      };
      const table = `/api/coverage?level=subdistrict&rule=radius:500&at=${AT}`;
      const t0 = performance.now();
      await get(`${table}&demand=${layer}`);
      rows.push({
        name: `first people table after a start (cells loaded, areas assigned) (${label})`,
        value: performance.now() - t0,
        unit: 'ms',
        goal: 'info',
      });
      compare(
        'sub-district table with people',
        await measure(() => get(`${table}&demand=${layer}`)),
        await measure(() => get(table)),
        2000,
      );
      const curve = '/api/coverage/timeline?date=2026-03-04&level=district&rule=radius:500';
      compare(
        '24-hour people curve, city',
        await measure(() => get(`${curve}&demand=${layer}`)),
        await measure(() => get(curve)),
        5000,
      );
      const suggest = `/api/coverage/suggest?k=10&level=district&rule=radius:500&at=${AT}`;
      compare(
        'suggest 10 sites by people, Beijing',
        await measure(() => get(`${suggest}&demand=${layer}`)),
        await measure(() => get(suggest)),
        10_000,
      );
    } finally {
      await server.close();
      await db.close();
    }
  }
  return rows;
}
