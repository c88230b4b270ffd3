import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, sql, type AppDatabase } from '../../server/db/client.js';
import { createUser, loginAs, type LoggedIn } from '../setup/auth.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;
let db: AppDatabase;
let planner: LoggedIn;
interface Spot {
  code: string;
  lng: number;
  lat: number;
}
let spots: Spot[] = [];
const NOON = '2026-03-04T12:00';
const M_PER_DEG_LAT = 111_000;

/** A point `east`/`north` metres from a spot (small offsets; local approximation is enough). */
function offset(spot: Spot, east: number, north: number): [number, number] {
  return [
    spot.lng + east / (M_PER_DEG_LAT * Math.cos((spot.lat * Math.PI) / 180)),
    spot.lat + north / M_PER_DEG_LAT,
  ];
}

/** Suggestions, what-if and demand layers need a planner session (issue 11). */
const plannerGet = (path: string) => server.get(path, { headers: { cookie: planner.cookie } });

async function upload(body: object, headers: Record<string, string> = planner.headers) {
  return server.request('/api/demand-layers', {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  server = await startTestServer();
  db = server.database.handle.db;
  await createUser(db, { username: 'planner1', password: 'planner-password-1', role: 'planner' });
  await createUser(db, { username: 'manager1', password: 'manager-password-1', role: 'manager' });
  planner = await loginAs(server, 'planner1', 'planner-password-1');
  // Large rural sub-districts of 延庆 (110119), far from each other and from any station.
  spots = await queryRows<Spot>(
    db,
    sql`select code, ST_X(c.center) as lng, ST_Y(c.center) as lat
        from (select code, (ST_MaximumInscribedCircle(geom)).* from subdistricts where district_code = '110119') c
        where c.radius > 0.03 order by c.radius desc limit 3`,
  );
  expect(spots.length).toBe(3);
  await newStation(db, {
    lng: spots[0]!.lng,
    lat: spots[0]!.lat,
    opening_hours: 'Mo-Su 08:00-20:00; PH off',
  });
});

afterAll(async () => {
  await server?.close();
});

describe('demand layers', () => {
  it('refuse anonymous uploads (401) and managers (403)', async () => {
    const csv = 'lng,lat\n116.4,39.9\n';
    expect((await upload({ name: 'x', csv }, { 'content-type': 'application/json' })).status).toBe(
      401,
    );
    const manager = await loginAs(server, 'manager1', 'manager-password-1');
    expect((await upload({ name: 'x', csv }, manager.headers)).status).toBe(403);
  });

  it.each([
    [{ name: 'bad', csv: 'lng,lat,weight\n116.4,39.9,1\n116.4,abc,2\n' }, /CSV line 3: lat/],
    [{ name: 'bad', csv: 'x1,y1\n1,2\n' }, /header/],
    [{ name: 'bad', csv: 'lng,lat,weight\n116.4,39.9,-3\n' }, /weight must be/],
    [
      {
        name: 'bad',
        geojson: {
          type: 'FeatureCollection',
          features: [{ type: 'Feature', geometry: { type: 'LineString', coordinates: [] } }],
        },
      },
      /feature 0: geometry must be a Point/,
    ],
    [{ name: 'bad' }, /exactly one of csv/],
    [{ name: 'bad', csv: 'lng,lat\n116.4,39.9\n', crs: 'mars' }, /crs must be one of/],
  ])('reject a bad upload with a message naming the problem (%#)', async (body, message) => {
    const res = await upload(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(message);
  });

  it('weight the covered share: 60 of 100 within 500 m of the open station', async () => {
    const s = spots[0]!;
    const rows = [
      [...offset(s, 200, 0), 10],
      [...offset(s, 0, -300), 20],
      [...offset(s, -150, 150), 30],
      [...offset(s, 2000, 0), 5],
      [...offset(s, 0, 2500), 35],
    ];
    const csv = `lng,lat,weight,name\n${rows.map((r, i) => `${r.join(',')},"depot, ${i}"`).join('\n')}\n`;
    const created = await upload({ name: '快递网点', weight_label: 'riders', csv });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '快递网点', point_count: 5, total_weight: 100 });
    const res = await plannerGet(
      `/api/coverage?level=subdistrict&area=${s.code}&at=${NOON}&demand=${created.body.id}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.demand.layer).toMatchObject({ id: created.body.id, weight_label: 'riders' });
    expect(res.body.areas[0]).toMatchObject({
      demand_total: 100,
      demand_covered: 60,
      demand_covered_pct: 60,
    });
    // At night the station is closed: nothing is covered.
    const night = await plannerGet(
      `/api/coverage?level=subdistrict&area=${s.code}&at=2026-03-04T23:00&demand=${created.body.id}`,
    );
    expect(night.body.areas[0].demand_covered).toBe(0);
    // Independent check with geodesic distances.
    const [check] = await queryRows<{ covered: number }>(
      db,
      sql`select sum(p.weight)::float8 as covered from demand_points p where p.layer_id = ${created.body.id}
          and exists (select 1 from stations t where ST_DWithin(t.geom::geography, p.geom::geography, 500))`,
    );
    expect(check!.covered).toBe(60);
  });

  it('converts GCJ-02 input to WGS-84, lists and deletes layers', async () => {
    const created = await upload({
      name: 'gcj',
      crs: 'GCJ-02',
      geojson: {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { weight: 2 },
            geometry: { type: 'Point', coordinates: [116.404, 39.915] },
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    const [stored] = await queryRows<{ m: number }>(
      db,
      sql`select ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(116.404, 39.915), 4326)::geography) as m
          from demand_points where layer_id = ${created.body.id}`,
    );
    expect(stored!.m).toBeGreaterThan(300);
    expect(stored!.m).toBeLessThan(800);
    const list = await plannerGet('/api/demand-layers');
    expect(list.body.layers.map((l: any) => l.name)).toContain('gcj');
    const del = await server.request(`/api/demand-layers/${created.body.id}`, {
      method: 'DELETE',
      headers: planner.headers,
    });
    expect(del.status).toBe(204);
    expect((await plannerGet(`/api/coverage?demand=${created.body.id}`)).status).toBe(404);
  });
});

describe('GET /api/coverage/suggest', () => {
  it('greedy sites on a small layer reach ≥ (1 − 1/e) of the brute-force optimum (PostGIS distances)', async () => {
    const s = spots[1]!;
    // A 10 × 2 lattice, 300 m apart: neighbours (300 m, 424 m) are within 500 m, others are not,
    // so three sites cannot cover all ten columns and the choice matters.
    const points = [];
    for (let i = 0; i < 10; i++)
      for (let j = 0; j < 2; j++)
        points.push([...offset(s, (i - 4.5) * 300, (j - 0.5) * 300), 1 + ((i * 7 + j * 3) % 5)]);
    const layer = await upload({
      name: 'lattice',
      csv: `lng,lat,weight\n${points.map((p) => p.join(',')).join('\n')}\n`,
    });
    const res = await plannerGet(
      `/api/coverage/suggest?k=3&candidates=layer&demand=${layer.body.id}&level=subdistrict&area=${s.code}&at=${NOON}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.demand.basis).toBe('layer');
    expect(res.body.demand_points).toBe(20);
    expect(res.body.sites).toHaveLength(3);

    const pairs = await queryRows<{ a: number; b: number }>(
      db,
      sql`select p.id as a, q.id as b from demand_points p join demand_points q
          on p.layer_id = q.layer_id and ST_DWithin(p.geom::geography, q.geom::geography, 500)
          where p.layer_id = ${layer.body.id}`,
    );
    const rows = await queryRows<{ id: number; lng: number; lat: number; weight: number }>(
      db,
      sql`select id, ST_X(geom) as lng, ST_Y(geom) as lat, weight::float8 as weight from demand_points where layer_id = ${layer.body.id} order by id`,
    );
    const weightOf = new Map(rows.map((r) => [r.id, r.weight]));
    const coversOf = new Map(
      rows.map((r) => [r.id, pairs.filter((p) => p.a === r.id).map((p) => p.b)]),
    );
    const value = (chosen: number[]) => {
      const covered = new Set(chosen.flatMap((c) => coversOf.get(c)!));
      return [...covered].reduce((sum, id) => sum + weightOf.get(id)!, 0);
    };
    let optimum = 0;
    for (let a = 0; a < rows.length; a++)
      for (let b = a + 1; b < rows.length; b++)
        for (let c = b + 1; c < rows.length; c++)
          optimum = Math.max(optimum, value([rows[a]!.id, rows[b]!.id, rows[c]!.id]));
    const chosenIds = res.body.sites.map(
      (site: any) =>
        rows.find((r) => Math.abs(r.lng - site.lng) < 1e-6 && Math.abs(r.lat - site.lat) < 1e-6)!
          .id,
    );
    const gained = res.body.sites.reduce((sum: number, site: any) => sum + site.gain, 0);
    expect(gained).toBeCloseTo(value(chosenIds), 6);
    expect(gained).toBeGreaterThanOrEqual((1 - 1 / Math.E) * optimum);
    expect(gained).toBeLessThanOrEqual(optimum);
    // The first pick is the best single site.
    expect(res.body.sites[0].gain).toBe(Math.max(...rows.map((r) => value([r.id]))));
    for (let i = 1; i < 3; i++)
      expect(res.body.sites[i].gain).toBeLessThanOrEqual(res.body.sites[i - 1].gain);
  });

  it('without a layer: grid cells as an area proxy, sites inside the area, and the what-if agrees', async () => {
    const s = spots[2]!;
    const res = await plannerGet(
      `/api/coverage/suggest?k=3&level=subdistrict&area=${s.code}&at=${NOON}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.demand).toMatchObject({ basis: 'grid_area_proxy', unit: 'km²', cell_m: 250 });
    expect(res.body.rule.rule).toBe('radius:500');
    expect(res.body.sites).toHaveLength(3);
    for (const site of res.body.sites) {
      const [inside] = await queryRows<{ ok: boolean }>(
        db,
        sql`select ST_Intersects(geom, ST_SetSRID(ST_MakePoint(${site.lng}, ${site.lat}), 4326)) as ok from subdistricts where code = ${s.code}`,
      );
      expect(inside!.ok).toBe(true);
      expect(site.area_code).toBe(s.code);
    }
    const gained = res.body.sites.reduce((sum: number, site: any) => sum + site.gain, 0);
    const withSites = res.body.sites.map((site: any) => `${site.lng},${site.lat}`).join(';');
    const whatIf = await plannerGet(
      `/api/coverage?level=subdistrict&area=${s.code}&at=${NOON}&with=${withSites}`,
    );
    // Cells count whole when their centre is reached: within 25 % of the polygon measure.
    expect(whatIf.body.what_if.delta.covered_km2).toBeGreaterThan(0.75 * gained);
    expect(whatIf.body.what_if.delta.covered_km2).toBeLessThan(1.25 * gained);
  });

  it('rejects bad parameters', async () => {
    expect((await plannerGet('/api/coverage/suggest?k=0')).status).toBe(400);
    expect((await plannerGet('/api/coverage/suggest?candidates=network')).status).toBe(400);
    const layerless = await plannerGet('/api/coverage/suggest?candidates=layer');
    expect(layerless.status).toBe(400);
    expect(layerless.body.error).toContain('demand=');
  });
});

describe('GET /api/coverage/timeline', () => {
  it('covers the area only during opening hours, and not at all on a PH-off holiday', async () => {
    const code = spots[0]!.code;
    const workday = await plannerGet(`/api/coverage/timeline?date=2026-03-04&area=${code}`);
    expect(workday.status).toBe(200);
    expect(workday.body.hours).toHaveLength(24);
    expect(workday.body.day).toMatchObject({ day_kind: 'workday', weekday_en: 'Wednesday' });
    const pcts = workday.body.hours.map((h: any) => h.covered_pct);
    for (let h = 0; h < 24; h++) {
      if (h >= 8 && h < 20) expect(pcts[h]).toBeGreaterThan(0);
      else expect(pcts[h]).toBe(0);
    }
    expect(workday.body.computations).toBe(2);
    const holiday = await plannerGet(`/api/coverage/timeline?date=2026-02-17&area=${code}`);
    expect(holiday.body.day).toMatchObject({ day_kind: 'holiday', holiday: { name: '春节' } });
    expect(holiday.body.hours.every((h: any) => h.covered_pct === 0)).toBe(true);
  });

  it('takes the what-if over the whole day: an added site at every hour, a removed station at none', async () => {
    const code = spots[0]!.code;
    const real = await plannerGet(`/api/coverage/timeline?date=2026-03-04&area=${code}`);
    const stationId = (
      await queryRows<{ id: number }>(db, sql`select id from stations where area_codes @> array[${code}]::text[] order by id limit 1`)
    )[0]!.id;
    const closed = await plannerGet(`/api/coverage/timeline?date=2026-03-04&area=${code}&without=${stationId}`);
    expect(closed.status).toBe(200);
    expect(closed.body.hours.every((h: any) => h.covered_pct === 0)).toBe(true);
    expect(closed.body.what_if).toMatchObject({ removed_station_ids: [stationId] });
    // A site added where the station stands, open around the clock: the night is covered too, as
    // much as the day is by the real station.
    const added = await plannerGet(`/api/coverage/timeline?date=2026-03-04&area=${code}&with=${spots[0]!.lng},${spots[0]!.lat}`);
    const noon = real.body.hours[12].covered_pct;
    expect(added.body.hours[3].covered_pct).toBeCloseTo(noon, 1);
    expect(added.body.hours[12].covered_pct).toBeCloseTo(noon, 1);
    expect(added.body.what_if).toMatchObject({ added_open: 'all day' });
    // A planner's question: anonymous what-ifs are refused, unknown stations named.
    expect((await server.get(`/api/coverage/timeline?date=2026-03-04&area=${code}&without=${stationId}`)).status).toBe(401);
    expect((await plannerGet(`/api/coverage/timeline?date=2026-03-04&area=${code}&without=99999999`)).status).toBe(404);
  });

  it('rejects an impossible date', async () => {
    const res = await plannerGet('/api/coverage/timeline?date=2026-13-01');
    expect(res.status).toBe(400);
    expect(res.body.error).toContain('date');
  });
});
