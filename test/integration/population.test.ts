/**
 * Population rasters as demand (issue 14): the real Beijing DynPop files and a synthetic WGS-84
 * file are imported, and people-weighted coverage is checked against PostGIS on the same cells
 * (sum of cell weights within ST_DWithin of the open stations), hour by hour.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, sql, type AppDatabase } from '../../server/db/client.js';
import {
  BEIJING_POPULATION_LAYER,
  seedBeijingPopulation,
} from '../../server/db/seed-population.js';
import {
  DYNPOP_CITATION,
  importPopulationFiles,
  threadedRasterReader,
} from '../../server/modules/demand/population/population-import.js';
import { RasterError, readRasterFile } from '../../server/modules/demand/population/raster-read.js';
import { createUser, loginAs, type LoggedIn } from '../setup/auth.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';
import { syntheticWgs84Raster } from '../setup/synthetic-raster.js';
import { SHARED_DATA_DIR } from '../setup/template.js';

const HOURLY = path.join(SHARED_DATA_DIR, 'population', 'beijing-hourly');
const FILES = ['2015-07-13_h10.tif', '2015-07-13_h18.tif', '2015-07-12_h10.tif'].map((f) =>
  path.join(HOURLY, f),
);
/** 4 × 4 source cells (400 m) keep the test's import small; sums are unchanged by aggregation. */
const AGGREGATE = 4;
const WORKDAY = '2026-03-04'; // a Wednesday
const SATURDAY = '2026-03-07';
const RADIUS = 1000;

let server: TestServer;
let db: AppDatabase;
let planner: LoggedIn;
let layerId: number;
let tmp: string;
const stations: Record<'allDay' | 'morning', { id: number; lng: number; lat: number }> =
  {} as never;

const plannerGet = (p: string) => server.get(p, { headers: { cookie: planner.cookie } });

/** PostGIS reference: people of `slot` (1-based) per area within RADIUS of the given stations. */
async function reference(level: string, district: string, slot: number, stationIds: number[]) {
  return queryRows<{ code: string; total: number; covered: number }>(
    db,
    sql`with a as (select code, geom from areas where level = ${level} and parent_code = ${district}),
      c as (
        select distinct on (c.cell) c.cell, c.geom, c.weights, a.code
        from demand_cells c join a on ST_Intersects(a.geom, c.geom)
        where c.layer_id = ${layerId} order by c.cell, a.code
      )
      select c.code, sum(c.weights[${slot}]::float8) as total,
        coalesce(sum(c.weights[${slot}]::float8) filter (where exists (
          select 1 from stations s where s.id = any(${`{${stationIds.join(',')}}`}::int[])
            and ST_DWithin(s.geom::geography, c.geom::geography, ${RADIUS}))), 0)::float8 as covered
      from c group by c.code order by c.code`,
  );
}

beforeAll(async () => {
  server = await startTestServer();
  db = server.database.handle.db;
  await createUser(db, { username: 'planner1', password: 'planner-password-1', role: 'planner' });
  planner = await loginAs(server, 'planner1', 'planner-password-1');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-population-'));
  const result = await importPopulationFiles(db, FILES, {
    name: 'Beijing DynPop (test, 400 m)',
    citation: DYNPOP_CITATION,
    aggregate: AGGREGATE,
  });
  layerId = result.layer.id;
  // Two sub-districts of 东城区: one station open all day, one only in the morning.
  const spots = await queryRows<{ lng: number; lat: number }>(
    db,
    sql`select ST_X(p) as lng, ST_Y(p) as lat from (
          select ST_PointOnSurface(geom) as p from areas where parent_code = '110101' order by code limit 2) t`,
  );
  const allDay = await newStation(db, { ...spots[0]!, opening_hours: '24/7' });
  const morning = await newStation(db, { ...spots[1]!, opening_hours: 'Mo-Su 08:00-12:00' });
  stations.allDay = { id: allDay.id, ...spots[0]! };
  stations.morning = { id: morning.id, ...spots[1]! };
}, 600_000);

afterAll(async () => {
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('population rasters', () => {
  it('read the real Beijing file: Albers on Krasovsky from the GeoKeys, 26.9 M people at 10:00', async () => {
    const raster = await readRasterFile(FILES[0]!);
    expect(raster.grid).toMatchObject({ width: 1700, height: 1900, resX: 100, resY: -100 });
    expect(raster.grid.crs).toContain('+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105');
    expect(raster.grid.crs).toContain('+a=6378245 +rf=298.3');
    const sum = raster.values.reduce((s, v) => s + v, 0);
    expect(sum).toBeGreaterThan(26.85e6);
    expect(sum).toBeLessThan(26.95e6);
  });

  it('import an hourly set as one layer with a slot per day type and hour, sums kept', async () => {
    const res = await plannerGet(`/api/demand-layers/${layerId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      kind: 'population',
      weight_label: 'people',
      citation: DYNPOP_CITATION,
    });
    expect(res.body.cell_m).toBeCloseTo(400, 0);
    expect(
      res.body.slots.map((s: { day_type: string; hour: number }) => `${s.day_type} ${s.hour}`),
    ).toEqual(['workday 10', 'workday 18', 'weekend 10']);
    expect(res.body.slots[0].total).toBeGreaterThan(26.85e6);
    expect(res.body.slots[0].total).toBeLessThan(26.95e6);
    const [stored] = await queryRows<{
      w10: number;
      w18: number;
      cells: number;
      west: number;
      north: number;
    }>(
      db,
      sql`select sum(weights[1]::float8) as w10, sum(weights[2]::float8) as w18, count(*)::int as cells,
            min(ST_X(geom)) as west, max(ST_Y(geom)) as north
          from demand_cells where layer_id = ${layerId}`,
    );
    expect(stored!.w10 / res.body.slots[0].total).toBeCloseTo(1, 5);
    expect(stored!.w18 / res.body.slots[1].total).toBeCloseTo(1, 5);
    expect(stored!.cells).toBe(res.body.point_count);
    // Beijing lies between 115.4–117.5° E and 39.4–41.1° N.
    expect(stored!.west).toBeGreaterThan(115.3);
    expect(stored!.north).toBeLessThan(41.2);
  });

  it('weigh the coverage table by people within 0.5 % of PostGIS sums within ST_DWithin', async () => {
    const res = await plannerGet(
      `/api/coverage?level=subdistrict&district=110101&rule=radius:${RADIUS}&at=${WORKDAY}T10:00&demand=${layerId}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.demand.population).toMatchObject({
      slot: { day_type: 'workday', hour: 10 },
      exact: true,
      citation: DYNPOP_CITATION,
    });
    const ref = await reference('subdistrict', '110101', 1, [
      stations.allDay.id,
      stations.morning.id,
    ]);
    const byCode = new Map(ref.map((r) => [r.code, r]));
    let covered = 0;
    for (const area of res.body.areas) {
      const r = byCode.get(area.code) ?? { total: 0, covered: 0 };
      expect(Math.abs(area.demand_total - r.total)).toBeLessThanOrEqual(
        0.005 * Math.max(r.total, 1),
      );
      expect(Math.abs(area.demand_covered - r.covered)).toBeLessThanOrEqual(
        0.005 * Math.max(r.covered, 1),
      );
      covered += area.demand_covered;
    }
    expect(covered).toBeGreaterThan(1000);
    expect(res.body.totals.demand_covered_pct).toBeGreaterThan(0);
  });

  it('at hour h count the people of hour h and only the stations open at h', async () => {
    const res = await plannerGet(
      `/api/coverage/timeline?date=${WORKDAY}&level=subdistrict&area=${await areaOf(stations.morning)}&rule=radius:${RADIUS}&demand=${layerId}`,
    );
    expect(res.status).toBe(200);
    const code = await areaOf(stations.morning);
    const [ref10] = (
      await reference('subdistrict', '110101', 1, [stations.allDay.id, stations.morning.id])
    ).filter((r) => r.code === code);
    const [ref18] = (await reference('subdistrict', '110101', 2, [stations.allDay.id])).filter(
      (r) => r.code === code,
    );
    const h10 = res.body.hours[10];
    const h18 = res.body.hours[18];
    expect(h10.population_slot).toEqual({ day_type: 'workday', hour: 10, exact: true });
    expect(h18.population_slot).toEqual({ day_type: 'workday', hour: 18, exact: true });
    expect(Math.abs(h10.demand_total - ref10!.total)).toBeLessThanOrEqual(0.005 * ref10!.total + 1);
    expect(Math.abs(h18.demand_total - ref18!.total)).toBeLessThanOrEqual(0.005 * ref18!.total + 1);
    expect(Math.abs(h10.demand_covered - ref10!.covered)).toBeLessThanOrEqual(
      0.005 * ref10!.covered + 1,
    );
    expect(Math.abs(h18.demand_covered - ref18!.covered)).toBeLessThanOrEqual(
      0.005 * ref18!.covered + 1,
    );
    // The morning station covers its own neighbourhood at 10:00 only.
    expect(h10.demand_covered).toBeGreaterThan(h18.demand_covered);
    expect(h10.demand_total).not.toBe(h18.demand_total);
  });

  it('take the day type from the date: weekend population on a Saturday, a stand-in on a holiday', async () => {
    const sat = await plannerGet(
      `/api/coverage?level=district&area=110101&rule=radius:${RADIUS}&at=${SATURDAY}T10:00&demand=${layerId}`,
    );
    expect(sat.status).toBe(200);
    expect(sat.body.demand.population.slot).toMatchObject({ day_type: 'weekend', hour: 10 });
    const [ref] = await queryRows<{ total: number }>(
      db,
      sql`select sum(c.weights[3]::float8) as total from demand_cells c join areas a on ST_Intersects(a.geom, c.geom)
          where a.code = '110101' and c.layer_id = ${layerId}`,
    );
    expect(Math.abs(sat.body.areas[0].demand_total - ref!.total)).toBeLessThanOrEqual(
      0.005 * ref!.total,
    );
    // 1 October: a public holiday; the layer has no holiday slot, so the weekend stands in.
    const holiday = await plannerGet(
      `/api/coverage?level=district&area=110101&rule=radius:${RADIUS}&at=2026-10-01T10:00&demand=${layerId}`,
    );
    expect(holiday.body.demand.population).toMatchObject({
      slot: { day_type: 'weekend', hour: 10 },
      requested: { day_type: 'holiday', hour: 10 },
      exact: false,
    });
    expect(holiday.body.demand.population.note_en).toMatch(/stands in/);
  });

  it('report the people left uncovered with each gap', async () => {
    const res = await plannerGet(
      `/api/coverage/gaps?level=subdistrict&district=110101&rule=radius:${RADIUS}&at=${WORKDAY}T10:00&demand=${layerId}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.features.length).toBeGreaterThan(0);
    for (const f of res.body.features) {
      expect(f.properties.people_uncovered).toBeGreaterThanOrEqual(0);
      expect(f.properties.people_uncovered).toBeLessThanOrEqual(f.properties.people);
    }
    expect(res.body.demand.population.citation).toBe(DYNPOP_CITATION);
  });

  it('import a WGS-84 GeoTIFF (WorldPop style) with cells where the file puts them', async () => {
    // 3″ cells north-west of a station, people 1..n; the last cell is no-data.
    const west = stations.allDay.lng - 0.0025;
    const north = stations.allDay.lat + 0.0025;
    const cellDeg = 1 / 1200;
    const values = Array.from({ length: 6 }, (_, r) =>
      Array.from({ length: 6 }, (_, c) => r * 6 + c + 1),
    );
    values[5]![5] = -99999;
    const file = path.join(tmp, 'worldpop_like.tif');
    fs.writeFileSync(file, Buffer.from(syntheticWgs84Raster({ west, north, cellDeg, values })));
    const result = await importPopulationFiles(db, [file], { name: 'synthetic WGS-84' });
    expect(result.layer).toMatchObject({ kind: 'population', point_count: 35 });
    expect(result.layer.slots).toEqual(
      [{ day_type: null, hour: null, total: (35 * 36) / 2 - 0, file: 'worldpop_like.tif' }].map(
        (s) => ({ ...s, total: (35 * 36) / 2 }),
      ),
    );
    const [first] = await queryRows<{ lng: number; lat: number; w: number }>(
      db,
      sql`select ST_X(geom) as lng, ST_Y(geom) as lat, weights[1]::float8 as w from demand_cells
          where layer_id = ${result.layer.id} and cell = 0`,
    );
    expect(first!.lng).toBeCloseTo(west + cellDeg / 2, 6);
    expect(first!.lat).toBeCloseTo(north - cellDeg / 2, 6);
    expect(first!.w).toBe(1);
    // Brute force: cells within 150 m of the station (equirectangular at this scale).
    const code = await areaOf(stations.allDay);
    const m = 111_320;
    let expected = 0;
    values.forEach((row, r) =>
      row.forEach((v, c) => {
        if (v < 0) return;
        const dx =
          (west + (c + 0.5) * cellDeg - stations.allDay.lng) *
          m *
          Math.cos((stations.allDay.lat * Math.PI) / 180);
        const dy = (north - (r + 0.5) * cellDeg - stations.allDay.lat) * m;
        if (Math.hypot(dx, dy) <= 150) expected += v;
      }),
    );
    const res = await plannerGet(
      `/api/coverage?level=subdistrict&area=${code}&rule=radius:150&at=${WORKDAY}T10:00&demand=${result.layer.id}`,
    );
    expect(res.status).toBe(200);
    expect(expected).toBeGreaterThan(0);
    expect(res.body.areas[0].demand_covered).toBe(expected);
  });

  it('read many files through one raster thread without piling up listeners on it', async () => {
    // The Beijing seed reads 36 files through one thread; a listener left per read used to pass
    // Node's limit of 10 and print a MaxListenersExceededWarning at every first start.
    const file = path.join(tmp, 'listeners.tif');
    const values = [[1, 2], [3, 4]];
    fs.writeFileSync(file, Buffer.from(syntheticWgs84Raster({ west: 116.3, north: 39.9, cellDeg: 1 / 1200, values })));
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const reader = threadedRasterReader();
    try {
      const reads = await Promise.all(Array.from({ length: 15 }, () => reader.read(file, {})));
      expect(reads.map((read) => read.cells.length)).toEqual(Array(15).fill(4));
      await new Promise((resolve) => setTimeout(resolve, 50)); // warnings are emitted on a later tick
    } finally {
      process.off('warning', onWarning);
      await reader.close();
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('load the Beijing rasters on first start, once, marked loading until the last cell', async () => {
    // A shared-data folder holding two of the hourly files.
    const shared = path.join(tmp, 'shared');
    const folder = path.join(shared, 'population', 'beijing-hourly');
    fs.mkdirSync(folder, { recursive: true });
    for (const f of FILES.slice(0, 2)) fs.symlinkSync(f, path.join(folder, path.basename(f)));
    const log = pino({ level: 'silent' });
    const seeding = seedBeijingPopulation(db, { sharedDataDir: shared, aggregate: 10 }, log);
    const id = await seeding;
    expect(id).toBeGreaterThan(0);
    const layer = await plannerGet(`/api/demand-layers/${id}`);
    expect(layer.body).toMatchObject({
      name: BEIJING_POPULATION_LAYER,
      kind: 'population',
      loading: false,
    });
    expect(layer.body.slots).toHaveLength(2);
    expect(
      await seedBeijingPopulation(db, { sharedDataDir: shared, aggregate: 10 }, log),
    ).toBeNull();
    // A load still in progress is refused as "not now", never counted in part.
    await db.execute(sql`update demand_layers set loaded_at = null where id = ${id}`);
    const busy = await plannerGet(
      `/api/coverage?level=district&area=110101&rule=radius:500&demand=${id}`,
    );
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('60');
    expect(busy.body.error).toMatch(/still being loaded/);
    await db.execute(sql`update demand_layers set loaded_at = now() where id = ${id}`);
  });

  it('suggest sites by people: gains in people at the instant, sites where people are', async () => {
    const res = await plannerGet(
      `/api/coverage/suggest?k=3&level=subdistrict&district=110101&rule=radius:${RADIUS}&at=${WORKDAY}T10:00&demand=${layerId}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.demand).toMatchObject({ basis: 'population', unit: 'people' });
    expect(res.body.demand.population.slot).toMatchObject({ day_type: 'workday', hour: 10 });
    expect(res.body.sites).toHaveLength(3);
    const gains = res.body.sites.map((s: { gain: number }) => s.gain);
    expect(gains[0]).toBeGreaterThan(1000);
    expect([...gains].sort((a, b) => b - a)).toEqual(gains);
    expect(res.body.covered_after - res.body.covered_before).toBeCloseTo(
      gains.reduce((a: number, b: number) => a + b, 0),
      0,
    );
  });

  it('without a layer, suggest area only on inhabited land and not in empty mountains', async () => {
    const res = await plannerGet(
      `/api/coverage/suggest?k=5&level=district&rule=radius:500&at=${WORKDAY}T10:00`,
    );
    expect(res.status).toBe(200);
    expect(res.body.demand).toMatchObject({ basis: 'grid_area_proxy', land: 'population' });
    expect(res.body.demand.note_en).toMatch(/inhabited land only/);
    const main = res.body.demand.land_layer.id;
    for (const site of res.body.sites) {
      // People within one grid cell of the site in the layer that decided the land.
      const [near] = await queryRows<{ people: number }>(
        db,
        sql`select coalesce(sum(weights[1]::float8), 0) as people from demand_cells
            where layer_id = ${main} and ST_DWithin(geom::geography,
              ST_SetSRID(ST_MakePoint(${site.lng}, ${site.lat}), 4326)::geography, ${res.body.cell_m})`,
      );
      expect(near!.people).toBeGreaterThan(0);
    }
    // Not all on one meridian at the western border (the issue's 115.42063).
    expect(new Set(res.body.sites.map((s: { lng: number }) => s.lng)).size).toBeGreaterThan(1);
    expect(res.body.sites.every((s: { lng: number }) => s.lng > 115.6)).toBe(true);
  });

  it('refuse what is not a usable raster with a message, and an unknown layer with 404', async () => {
    const junk = path.join(tmp, 'junk.tif');
    fs.writeFileSync(junk, 'not a tiff');
    await expect(importPopulationFiles(db, [junk], { name: 'junk' })).rejects.toThrow(
      /junk\.tif: not a readable GeoTIFF/,
    );
    await expect(importPopulationFiles(db, [junk], { name: 'junk' })).rejects.toBeInstanceOf(
      RasterError,
    );
    const res = await plannerGet(`/api/coverage?level=district&rule=radius:500&demand=999999`);
    expect(res.status).toBe(404);
    expect(res.body.error).toMatch(/Demand layer not found/);
  });
});

async function areaOf(spot: { lng: number; lat: number }): Promise<string> {
  const [row] = await queryRows<{ code: string }>(
    db,
    sql`select code from areas where level = 'subdistrict'
          and ST_Intersects(geom, ST_SetSRID(ST_MakePoint(${spot.lng}, ${spot.lat}), 4326))`,
  );
  return row!.code;
}
