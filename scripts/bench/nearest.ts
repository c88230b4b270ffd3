/**
 * GET /api/nearest (straight-line ETAs, no road network) against the raw SQL KNN that answers the
 * same question, on the same database with the 1,500 sample stations, both measured in the same
 * run. Goal (issue 4): API p50 ≤ 1.5x the raw SQL.
 *
 * The baseline is what a hand-written query gives: `ORDER BY geom <-> point LIMIT k` with the
 * same amenity filter, the station columns and exact geodesic distances, sent through the same
 * driver (no HTTP). The API answers from its station mirror (a k-d tree in memory, kept in step
 * with the database by LISTEN/NOTIFY: no query while nothing changed) and adds HTTP + middleware,
 * validation, ETAs, the hours engine (state now and at arrival, texts) and GeoJSON. The hours
 * filters have no SQL equivalent, so the `open=arrival` rows compare with the amenity-filtered
 * KNN alone.
 *
 * The API and the baseline are timed alternately, request by request, so load from other work on
 * the machine falls on both alike. Hours-filtered rows use fixed instants (a Wednesday at 10:00
 * and 23:00 Beijing time): at night few stations are open and the search reads more pages, so
 * "now" would make the figure depend on when the benchmark runs.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { sql } from 'drizzle-orm';
import { rawNearestStations } from '../../server/modules/nearest/nearest.repository.js';
import { nearestStations } from '../../server/modules/nearest/nearest.service.js';
import { NearestQuerySchema } from '../../server/modules/nearest/nearest.schemas.js';
import { StationMirror, StationSnapshot } from '../../server/modules/stations/station-mirror.js';
import type { StationRecord } from '../../server/modules/stations/stations.repository.js';
import { straightLineSource } from '../../server/modules/nearest/travel-time.js';
import {
  BENCH_PG_URL,
  httpGet,
  openBenchDatabase,
  percentile,
  seededRandom,
  startBenchServer,
  type BenchRow,
} from './lib.js';

const RUNS = 300;
const WARMUP = 20;
const K = 5;
const AMENITIES = ['hot_water', 'phone_charging'] as const;
const WEDNESDAY_10 = '2026-03-04T10:00:00+08:00';
const WEDNESDAY_23 = '2026-03-04T23:00:00+08:00';

function randomOrigins(n: number): Array<[number, number]> {
  const random = seededRandom(11);
  // Inside the 5th ring road, where most outdoor workers are.
  return Array.from({ length: n }, () => [116.2 + random() * 0.4, 39.76 + random() * 0.3]);
}

/** Times `measured` and `baseline` alternately on the same inputs; durations in ms. */
async function timePaired(
  runs: number,
  measured: (i: number) => Promise<unknown>,
  baseline: (i: number) => Promise<unknown>,
): Promise<{ measured: number[]; baseline: number[] }> {
  const samples = { measured: [] as number[], baseline: [] as number[] };
  for (let i = 0; i < runs + WARMUP; i++) {
    const order =
      i % 2 === 0 ? (['measured', 'baseline'] as const) : (['baseline', 'measured'] as const);
    for (const side of order) {
      const t0 = performance.now();
      await (side === 'measured' ? measured(i) : baseline(i));
      if (i >= WARMUP) samples[side].push(performance.now() - t0);
    }
  }
  return samples;
}

function ok(res: { status: number; body: string }) {
  if (res.status !== 200) throw new Error(`API answered ${res.status}: ${res.body}`);
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const kinds: Array<'pglite' | 'postgres'> = BENCH_PG_URL ? ['pglite', 'postgres'] : ['pglite'];
  for (const kind of kinds) {
    const db = await openBenchDatabase(kind);
    // Planner statistics, as autovacuum keeps them on a server: without them PostgreSQL guesses
    // that an amenity filter matches almost nothing and sorts the table instead of walking the
    // GiST index in distance order.
    await db.db.execute(sql`analyze stations`);
    const server = await startBenchServer(db);
    try {
      const origins = randomOrigins(RUNS + WARMUP);
      const query = (i: number, extra: string) =>
        `lng=${origins[i]![0]}&lat=${origins[i]![1]}&k=${K}${extra}`;
      const api = (extra: string) => async (i: number) =>
        ok(await httpGet(`${server.baseUrl}/api/nearest?${query(i, extra)}`));
      const rawKnn = (i: number) => rawNearestStations(db.db, origins[i]!, K, {});
      const rawKnnAmenities = (i: number) =>
        rawNearestStations(db.db, origins[i]!, K, { amenities: [...AMENITIES] });
      const add = (name: string, s: { measured: number[]; baseline: number[] }, goal?: string) => {
        const [value, baseline] = [percentile(s.measured, 50), percentile(s.baseline, 50)];
        rows.push({
          name: `${name} (${db.label})`,
          value,
          unit: 'ms',
          baseline,
          ratio: value / baseline,
          goal,
        });
      };

      const amenities = `&amenities=${AMENITIES.join(',')}`;
      const at = (instant: string) => `&at=${encodeURIComponent(instant)}`;
      const variants = {
        plain: api('&open=any'),
        day: api(`&open=arrival${amenities}${at(WEDNESDAY_10)}`),
        night: api(`&open=arrival${amenities}${at(WEDNESDAY_23)}`),
      };
      // A running server is warm: JIT-compiled paths, parsed opening_hours, cached day plans.
      for (let i = 0; i < 100; i++) {
        for (const variant of Object.values(variants)) await variant(i);
        await rawKnn(i);
        await rawKnnAmenities(i);
      }

      const plain = await timePaired(RUNS, variants.plain, rawKnn);
      add(
        'nearest k=5 open=any p50: API over HTTP vs raw SQL KNN k=5 + geodesic distances',
        plain,
        '≤ 1.5x',
      );
      rows.push({
        name: `nearest k=5 open=any p99 through API (${db.label})`,
        value: percentile(plain.measured, 99),
        unit: 'ms',
      });

      add(
        'nearest k=5 open=arrival + 2 amenities, Wed 10:00, p50: API vs raw SQL KNN with the amenity filter',
        await timePaired(RUNS, variants.day, rawKnnAmenities),
      );
      add(
        'nearest k=5 open=arrival + 2 amenities, Wed 23:00, p50: API vs raw SQL KNN with the amenity filter',
        await timePaired(RUNS, variants.night, rawKnnAmenities),
      );

      // Where the time goes: the same search without HTTP (listening, as the server's mirror does;
      // and not listening, when each search first checks the change log's version), and HTTP +
      // middleware without a search.
      const listening = new StationMirror(db.db);
      await listening.listen(db);
      const checking = new StationMirror(db.db);
      const inProcess = (mirror: StationMirror) => async (i: number) =>
        nearestStations(
          mirror,
          straightLineSource,
          NearestQuerySchema.parse({ lng: origins[i]![0], lat: origins[i]![1], k: K, open: 'any' }),
        );
      add(
        '  part: nearest open=any in-process (no HTTP), mirror listening, vs raw SQL KNN',
        await timePaired(RUNS, inProcess(listening), rawKnn),
      );
      add(
        '  part: the same, mirror checking the version per search (no listener) vs raw SQL KNN',
        await timePaired(RUNS, inProcess(checking), rawKnn),
      );
      add(
        '  part: HTTP + middleware floor (GET /api/<unknown> → 404) vs raw SQL KNN',
        await timePaired(RUNS, async () => httpGet(`${server.baseUrl}/api/no-such-route`), rawKnn),
      );
      if (kind === 'pglite') rows.push(...(await mirrorAtScale(listening)));
    } finally {
      await server.close();
      await db.close();
    }
  }
  return rows;
}

/**
 * A national-scale mirror (China has over 180,000 stations): 200,000 copies of the sample stations
 * spread over eastern China, built in memory (no database), for its heap and its search time.
 */
async function mirrorAtScale(source: StationMirror): Promise<BenchRow[]> {
  const COUNT = 200_000;
  const { snapshot: sample } = await source.current();
  const random = seededRandom(5);
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const byId = new Map<number, StationRecord>();
  for (let id = 1; id <= COUNT; id++) {
    const template = sample.stations[id % sample.stations.length]!;
    // A record of its own (as the database would send it), not a shared object.
    const record = JSON.parse(JSON.stringify(template)) as StationRecord;
    record.id = id;
    record.lng = 100 + random() * 22;
    record.lat = 22 + random() * 20;
    byId.set(id, record);
  }
  const snapshot = new StationSnapshot(1, byId);
  const fixed = { current: async () => ({ snapshot, roadNetworkId: null }) } as unknown as StationMirror;
  const origins = Array.from({ length: 500 }, () => [100 + random() * 22, 22 + random() * 20]);
  const search = (i: number) =>
    nearestStations(
      fixed,
      straightLineSource,
      NearestQuerySchema.parse({ lng: origins[i % 500]![0], lat: origins[i % 500]![1], k: K, open: 'any', radius: 50_000 }),
    );
  await search(0); // builds the k-d tree
  gc();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
  const samples: number[] = [];
  for (let i = 0; i < 600; i++) {
    const t0 = performance.now();
    await search(i);
    if (i >= 100) samples.push(performance.now() - t0);
  }
  return [
    { name: `station mirror heap, ${COUNT.toLocaleString('en')} stations (records + k-d tree)`, value: heapMb, unit: 'MB' },
    { name: `nearest k=5 in-process over ${COUNT.toLocaleString('en')} stations, p50`, value: percentile(samples, 50), unit: 'ms' },
  ];
}
