/**
 * The area-derivation trigger (stations_derive_areas, migration 0007) per inserted station, for
 * stations inside Beijing and far outside every area, against the trigger it replaced (0003: its
 * fallback ran ST_DWithin(geography) over every district without the index), installed on the same
 * database and measured interleaved. Goal (issue 13): ≤ 1 ms per station outside every area.
 */
import { sql } from 'drizzle-orm';
import type { AppDatabase } from '../../server/db/client.js';
import { BENCH_PG_URL, openBenchDatabase, seededRandom, type BenchRow } from './lib.js';

const N = 300;
const ROUNDS = 3;

// The 0003 trigger, verbatim but for area_codes (it did not exist then).
const OLD_TRIGGER = sql.raw(`
CREATE OR REPLACE FUNCTION stations_derive_areas_0003() RETURNS trigger AS $$
BEGIN
  NEW.district_code := (
    SELECT d.code FROM districts d WHERE ST_Intersects(d.geom, NEW.geom) ORDER BY d.code LIMIT 1
  );
  NEW.subdistrict_code := (
    SELECT s.code FROM subdistricts s WHERE ST_Intersects(s.geom, NEW.geom) ORDER BY s.code LIMIT 1
  );
  IF NEW.district_code IS NULL THEN
    NEW.district_code := (
      SELECT d.code FROM districts d
      WHERE ST_DWithin(d.geom::geography, NEW.geom::geography, 500)
      ORDER BY d.geom <-> NEW.geom LIMIT 1
    );
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql`);
const NO_TRIGGER = sql.raw(`
CREATE OR REPLACE FUNCTION stations_derive_nothing() RETURNS trigger AS $$
BEGIN
  RETURN NEW;
END;
$$ LANGUAGE plpgsql`);

async function useTrigger(db: AppDatabase, fn: 'stations_derive_areas' | 'stations_derive_areas_0003' | 'stations_derive_nothing') {
  await db.execute(sql`drop trigger stations_derive_areas_trg on stations`);
  await db.execute(
    sql`create trigger stations_derive_areas_trg before insert or update of geom on stations
        for each row execute function ${sql.raw(fn)}()`,
  );
}

/** Milliseconds per station for one insert of N rows (the trigger fires per row). */
async function perInsert(db: AppDatabase, points: [number, number][]): Promise<number> {
  const started = performance.now();
  await db.execute(
    sql`insert into stations (name, geom)
        select 'bench', ST_SetSRID(ST_MakePoint(v.lng, v.lat), 4326)
        from jsonb_to_recordset(${JSON.stringify(points.map(([lng, lat]) => ({ lng, lat })))}::jsonb)
          as v(lng float8, lat float8)`,
  );
  const ms = (performance.now() - started) / points.length;
  await db.execute(sql`delete from stations`);
  return ms;
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const kind of ['pglite', ...(BENCH_PG_URL ? ['postgres' as const] : [])] as const) {
    const db = await openBenchDatabase(kind, 0);
    try {
      await db.db.execute(OLD_TRIGGER);
      await db.db.execute(NO_TRIGGER);
      const random = seededRandom(13);
      const outside = (): [number, number][] =>
        Array.from({ length: N }, () => [121.2 + random() * 0.5, 31.0 + random() * 0.4]); // Shanghai
      const inside = (): [number, number][] =>
        Array.from({ length: N }, () => [116.2 + random() * 0.4, 39.8 + random() * 0.2]);
      const t = { newOut: [] as number[], oldOut: [] as number[], newIn: [] as number[], oldIn: [] as number[], none: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        await useTrigger(db.db, 'stations_derive_areas_0003');
        t.oldOut.push(await perInsert(db.db, outside()));
        t.oldIn.push(await perInsert(db.db, inside()));
        await useTrigger(db.db, 'stations_derive_areas');
        t.newOut.push(await perInsert(db.db, outside()));
        t.newIn.push(await perInsert(db.db, inside()));
        await useTrigger(db.db, 'stations_derive_nothing');
        t.none.push(await perInsert(db.db, outside()));
      }
      await useTrigger(db.db, 'stations_derive_areas');
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      rows.push({
        name: `area trigger, station outside every area, per insert (${db.label})`,
        value: median(t.newOut),
        unit: 'ms',
        baseline: median(t.oldOut),
        ratio: median(t.newOut) / median(t.oldOut),
      });
      const floor = median(t.none);
      rows.push({
        name: `  the trigger's own share outside (insert minus an insert without it) (${db.label})`,
        value: Math.max(0, median(t.newOut) - floor),
        unit: 'ms',
        baseline: Math.max(0, median(t.oldOut) - floor),
        ratio: Math.max(0, median(t.newOut) - floor) / Math.max(1e-9, median(t.oldOut) - floor),
        goal: '≤ 1 ms',
      });
      rows.push({
        name: `area trigger, station inside Beijing, per insert (${db.label})`,
        value: median(t.newIn),
        unit: 'ms',
        baseline: median(t.oldIn),
        ratio: median(t.newIn) / median(t.oldIn),
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
