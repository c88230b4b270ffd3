/**
 * A 10,000-row CSV import (parse, per-row checks incl. opening_hours and district placement, one
 * transaction) against the baseline of inserting the same 10,000 stations with the plain batched
 * insert (`insertStations`, no checks) on the same database. Also the dry run and a re-import of
 * the same file (every row matched by external id, unchanged).
 * Goal (issue 5): a 10,000-row file imports in ≤ 10 s, so a synchronous request with client-side
 * upload progress is enough (no job queue). Runs on PGlite, and on PostgreSQL when configured.
 */
import { sql } from 'drizzle-orm';
import { importStations } from '../../server/modules/bulk/bulk.service.js';
import {
  insertStations,
  type NewStation,
} from '../../server/modules/stations/stations.repository.js';
import { BENCH_PG_URL, openBenchDatabase, percentile, seededRandom, type BenchRow } from './lib.js';

const ROWS = 10_000;
const ROUNDS = 3;
const HOURS = ['24/7', 'Mo-Fr 08:00-18:00', 'Mo-Su 07:00-21:00; PH off', 'Mo-Sa 09:00-17:30'];

function sampleStations(): NewStation[] {
  const random = seededRandom(5);
  return Array.from({ length: ROWS }, (_, i) => ({
    external_id: `BENCH-${i + 1}`,
    name: `基准驿站 ${i + 1}`,
    kind: 'warm_post',
    address: `北京市某区某街道${i + 1}号`,
    // Central and near-suburban Beijing, where most stations are.
    lng: 116.1 + random() * 0.6,
    lat: 39.7 + random() * 0.4,
    amenities: {
      hot_water: 'available',
      ...(random() < 0.5 ? { microwave: 'available' } : {}),
    },
    opening_hours: HOURS[i % HOURS.length]!,
    phone: '010-12345678',
    seats: Math.floor(random() * 10),
  }));
}

function toCsv(stations: NewStation[]): Buffer {
  const lines = ['编号,名称,类型,地址,经度,纬度,开放时间,电话,座位数,热水,微波炉'];
  for (const s of stations) {
    lines.push(
      [
        s.external_id,
        s.name,
        '暖心驿站',
        s.address,
        s.lng.toFixed(7),
        s.lat.toFixed(7),
        s.opening_hours,
        s.phone,
        s.seats,
        s.amenities?.hot_water ? '有' : '',
        s.amenities?.microwave ? '有' : '',
      ].join(','),
    );
  }
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`);
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const value = await fn();
  return [performance.now() - t0, value];
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const kinds: Array<'pglite' | 'postgres'> = BENCH_PG_URL ? ['pglite', 'postgres'] : ['pglite'];
  const stations = sampleStations();
  const csv = toCsv(stations);
  const user = { id: null as unknown as number, username: 'bench' };
  for (const kind of kinds) {
    const db = await openBenchDatabase(kind, 0);
    try {
      const request = {
        body: csv,
        format: 'csv' as const,
        crs: 'WGS84' as const,
        region: { marginM: 5000 },
        user,
      };
      // A (the import) and B (the plain insert) alternate on an emptied table, ROUNDS times; the
      // medians are compared, so a machine slowing down during the run weighs on both alike.
      const baselines: number[] = [];
      const imports: number[] = [];
      const dries: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        baselines.push((await timed(() => insertStations(db.db, stations)))[0]);
        await db.db.execute(sql`delete from stations`);
        const [dryMs, dry] = await timed(() => importStations(db.db, { ...request, dryRun: true }));
        const [importMs, report] = await timed(() => importStations(db.db, { ...request, dryRun: false }));
        if (!report.committed || report.summary.inserted !== ROWS || dry.summary.errors) {
          throw new Error(`bench import failed: ${JSON.stringify(report.summary)}`);
        }
        dries.push(dryMs);
        imports.push(importMs);
        if (round < ROUNDS - 1) await db.db.execute(sql`delete from stations`);
      }
      const baseline = percentile(baselines, 50);
      const importMs = percentile(imports, 50);
      const dryMs = percentile(dries, 50);
      const [againMs, again] = await timed(() =>
        importStations(db.db, { ...request, dryRun: false }),
      );
      if (again.summary.unchanged !== ROWS)
        throw new Error(`re-import changed rows: ${JSON.stringify(again.summary)}`);
      const label = `${ROWS.toLocaleString('en')}-row CSV`;
      rows.push({
        name: `${label} import vs plain batched insert, medians of ${ROUNDS} interleaved (${db.label})`,
        value: importMs,
        unit: 'ms',
        baseline,
        ratio: importMs / baseline,
        goal: '≤ 10 s',
      });
      rows.push({
        name: `${label} dry run (${db.label})`,
        value: dryMs,
        unit: 'ms',
        goal: '≤ 10 s',
      });
      rows.push({
        name: `${label} re-import, all unchanged (${db.label})`,
        value: againMs,
        unit: 'ms',
      });
    } finally {
      await db.close();
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await run()) console.log(row);
}
