import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, sql, type AppDatabase } from '../../server/db/client.js';
import { createUser, loginAs } from '../setup/auth.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;
let db: AppDatabase;

/** A spot well inside a sub-district: the centre of its largest inscribed circle (≥ ~1 km). */
interface Spot {
  code: string;
  lng: number;
  lat: number;
}
let rural: Spot[] = [];
const ids: Record<string, number> = {};

const NOON_WEDNESDAY = '2026-03-04T12:00';
const NIGHT_WEDNESDAY = '2026-03-04T22:00';
const SPRING_FESTIVAL_NOON = '2026-02-17T12:00';
const MAKEUP_SATURDAY_NOON = '2026-02-14T12:00';

/** Deterministic pseudo-random numbers, so a failure can be reproduced. */
function lcg(seed: number) {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

beforeAll(async () => {
  server = await startTestServer();
  db = server.database.handle.db;
  // Dense, random stations in 东城区 (and a few in 西城 near the border) for the accuracy check.
  const random = lcg(7);
  for (let i = 0; i < 40; i++) {
    await newStation(db, { lng: 116.38 + random() * 0.07, lat: 39.86 + random() * 0.1 });
  }
  rural = await queryRows<Spot>(
    db,
    sql`select code, ST_X(c.center) as lng, ST_Y(c.center) as lat
        from (select code, (ST_MaximumInscribedCircle(geom)).* from subdistricts where district_code = '110118') c
        where c.radius > 0.02 order by c.radius desc limit 4`,
  );
  expect(rural.length).toBe(4);
  const [day, ph, makeup, closed] = rural as [Spot, Spot, Spot, Spot];
  ids.day = (await newStation(db, { ...day, opening_hours: 'Mo-Su 08:00-20:00' })).id;
  ids.ph = (await newStation(db, { ...ph, opening_hours: 'Mo-Su 08:00-20:00; PH off' })).id;
  ids.makeup = (await newStation(db, { ...makeup, opening_hours: 'Mo-Fr 09:00-17:00' })).id;
  ids.closed = (
    await newStation(db, {
      ...closed,
      opening_hours: '24/7',
      closures: [
        { from: '2026-03-01T00:00:00+08:00', to: '2026-03-10T00:00:00+08:00', reason: '维修' },
      ],
    })
  ).id;
});

let plannerSession: string | undefined;
/** What-if and demand layers need a planner session (issue 11); one sign-in for the file. */
async function plannerCookie(): Promise<string> {
  if (!plannerSession) {
    await createUser(db, { username: 'planner1', password: 'planner-password-1', role: 'planner' });
    plannerSession = (await loginAs(server, 'planner1', 'planner-password-1')).cookie;
  }
  return plannerSession;
}

afterAll(async () => {
  await server?.close();
});

const areaOf = (body: any, code: string) => body.areas.find((a: any) => a.code === code);

describe('GET /api/coverage: straight-line figures', () => {
  it('match an independent PostGIS computation within 0.5 % per sub-district', async () => {
    const res = await server.get(
      `/api/coverage?level=subdistrict&district=110101&rule=radius:500&at=${NOON_WEDNESDAY}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.rule).toMatchObject({
      rule: 'radius:500',
      distance_kind: 'straight_line',
      radius_m: 500,
    });
    expect(res.body.instant.local).toBe('2026-03-04 12:00');
    expect(res.body.demand.proxy).toBe('area');
    // Independent: one union of geography buffers of every station, intersected with each area.
    const expected = await queryRows<{
      code: string;
      area_km2: number;
      covered_km2: number;
      n: number;
    }>(
      db,
      sql`with u as (select ST_Union(ST_Buffer(geom::geography, 500)::geometry) as g from stations)
          select s.code, ST_Area(s.geom::geography) / 1e6 as area_km2,
            ST_Area(ST_Intersection(s.geom, u.g)::geography) / 1e6 as covered_km2,
            (select count(*)::int from stations t where ST_Intersects(s.geom, t.geom)) as n
          from subdistricts s, u where s.district_code = '110101' order by s.code`,
    );
    expect(res.body.areas.map((a: any) => a.code)).toEqual(expected.map((e) => e.code));
    let someCovered = 0;
    for (const e of expected) {
      const got = areaOf(res.body, e.code);
      expect(Math.abs(got.area_km2 - e.area_km2)).toBeLessThanOrEqual(0.005 * e.area_km2);
      expect(Math.abs(got.covered_km2 - e.covered_km2)).toBeLessThanOrEqual(
        0.005 * Math.max(e.covered_km2, 0.01),
      );
      expect(got.covered_pct).toBeCloseTo((100 * got.covered_km2) / got.area_km2, 1);
      expect(got.stations_total).toBe(e.n);
      expect(got.stations_open).toBe(e.n);
      if (e.covered_km2 > 0.1) someCovered += 1;
    }
    expect(someCovered).toBeGreaterThan(5);
  });

  it('district totals add up and the largest gap lies inside its area', async () => {
    const res = await server.get(`/api/coverage?level=district&area=110101&at=${NOON_WEDNESDAY}`);
    expect(res.status).toBe(200);
    const [area] = res.body.areas;
    expect(area.stations_total).toBe(res.body.totals.stations_total);
    expect(area.largest_gap_km2).toBeGreaterThan(0);
    expect(area.largest_gap_km2).toBeLessThanOrEqual(area.area_km2 - area.covered_km2 + 1e-6);
    const [inside] = await queryRows<{ ok: boolean }>(
      db,
      sql`select ST_Intersects(geom, ST_SetSRID(ST_MakePoint(${area.largest_gap_point[0]}, ${area.largest_gap_point[1]}), 4326)) as ok
          from districts where code = '110101'`,
    );
    expect(inside!.ok).toBe(true);
  });
});

describe('time-aware coverage', () => {
  it('a station open 08:00-20:00 counts at noon and not at 22:00', async () => {
    const code = rural[0]!.code;
    const noon = await server.get(
      `/api/coverage?level=subdistrict&area=${code}&at=${NOON_WEDNESDAY}`,
    );
    const night = await server.get(
      `/api/coverage?level=subdistrict&area=${code}&at=${NIGHT_WEDNESDAY}`,
    );
    expect(noon.body.areas[0]).toMatchObject({ stations_total: 1, stations_open: 1 });
    // A 500 m disc fully inside the area, measured on the spheroid.
    expect(noon.body.areas[0].covered_km2).toBeCloseTo(Math.PI * 0.25, 1);
    expect(night.body.areas[0]).toMatchObject({
      stations_total: 1,
      stations_open: 0,
      covered_km2: 0,
    });
    expect(night.body.instant.local).toBe('2026-03-04 22:00');
  });

  it('PH off: the station does not count on Spring Festival (2026-02-17) but does on a workday', async () => {
    const code = rural[1]!.code;
    const holiday = await server.get(
      `/api/coverage?level=subdistrict&area=${code}&at=${SPRING_FESTIVAL_NOON}`,
    );
    const workday = await server.get(
      `/api/coverage?level=subdistrict&area=${code}&at=${NOON_WEDNESDAY}`,
    );
    expect(holiday.body.instant).toMatchObject({ day_kind: 'holiday', holiday: { name: '春节' } });
    expect(holiday.body.areas[0].stations_open).toBe(0);
    expect(workday.body.areas[0].stations_open).toBe(1);
  });

  it('a Mo-Fr station counts on the 调休 make-up Saturday 2026-02-14', async () => {
    const code = rural[2]!.code;
    const makeup = await server.get(
      `/api/coverage?level=subdistrict&area=${code}&at=${MAKEUP_SATURDAY_NOON}`,
    );
    const saturday = await server.get(
      `/api/coverage?level=subdistrict&area=${code}&at=2026-03-07T12:00`,
    );
    expect(makeup.body.instant.day_kind).toBe('makeup_workday');
    expect(makeup.body.areas[0].stations_open).toBe(1);
    expect(saturday.body.areas[0].stations_open).toBe(0);
  });

  it('a temporary closure removes a 24/7 station while it lasts', async () => {
    const code = rural[3]!.code;
    const during = await server.get(
      `/api/coverage?level=subdistrict&area=${code}&at=${NOON_WEDNESDAY}`,
    );
    const after = await server.get(
      `/api/coverage?level=subdistrict&area=${code}&at=2026-03-11T03:00`,
    );
    expect(during.body.areas[0].stations_open).toBe(0);
    expect(after.body.areas[0].stations_open).toBe(1);
    expect(after.body.areas[0].covered_km2).toBeGreaterThan(0.7);
  });
});

describe('GET /api/coverage/gaps', () => {
  it('returns valid uncovered parts inside their areas, holes kept, matching the table', async () => {
    const query = `level=subdistrict&district=110118&at=${NOON_WEDNESDAY}`;
    const gaps = await server.get(`/api/coverage/gaps?${query}`);
    const table = await server.get(`/api/coverage?${query}`);
    expect(gaps.status).toBe(200);
    expect(gaps.headers.get('content-type')).toContain('application/geo+json');
    expect(gaps.body.rule.rule).toBe('radius:500');
    expect(gaps.body.features.length).toBe(table.body.areas.length);
    for (const feature of gaps.body.features) {
      const [check] = await queryRows<{
        valid: boolean;
        inside: boolean;
        km2: number;
        holes: number;
      }>(
        db,
        sql`with g as (select ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(feature.geometry)}), 4326) as g)
            select ST_IsValid(g.g) as valid,
              ST_CoveredBy(g.g, ST_Buffer(s.geom::geography, 1)::geometry) as inside,
              ST_Area(g.g::geography) / 1e6 as km2,
              (select coalesce(sum(ST_NumInteriorRings(d.geom)), 0)::int from ST_Dump(g.g) d) as holes
            from g, subdistricts s where s.code = ${feature.properties.code}`,
      );
      expect(check!.valid).toBe(true);
      expect(check!.inside).toBe(true);
      const row = areaOf(table.body, feature.properties.code);
      expect(check!.km2).toBeCloseTo(row.area_km2 - row.covered_km2, 2);
      // Stations placed deep inside an area leave a hole in its gap.
      if (feature.properties.code === rural[0]!.code) expect(check!.holes).toBeGreaterThan(0);
    }
  });
});

describe('what-if', () => {
  it('removing a station and adding a site give the delta of two plain calls', async () => {
    const [day, , , closed] = rural as [Spot, Spot, Spot, Spot];
    const planner = await plannerCookie();
    const base = await server.get(`/api/coverage?level=district&area=110118&at=${NOON_WEDNESDAY}`);
    const site = `${closed.lng},${closed.lat}`;
    const res = await server.get(
      `/api/coverage?level=district&area=110118&at=${NOON_WEDNESDAY}&without=${ids.day}&with=${site}`,
      { headers: { cookie: planner } },
    );
    expect(res.status).toBe(200);
    expect(res.body.what_if.removed_station_ids).toEqual([ids.day]);
    expect(res.body.what_if.baseline.covered_km2).toBeCloseTo(base.body.totals.covered_km2, 3);
    const delta = res.body.totals.covered_km2 - base.body.totals.covered_km2;
    expect(res.body.what_if.delta.covered_km2).toBeCloseTo(delta, 3);
    // One disc lost (day station), one gained (new site where the closed station sits): about zero.
    expect(Math.abs(delta)).toBeLessThan(0.01);
    const onlyAdded = await server.get(
      `/api/coverage?level=district&area=110118&at=${NOON_WEDNESDAY}&with=${site}`,
      { headers: { cookie: planner } },
    );
    expect(onlyAdded.body.what_if.delta.covered_km2).toBeCloseTo(Math.PI * 0.25, 1);
    void day;
  });
});

describe('GET /api/coverage/timeline', () => {
  it('agrees with the table at the same hour (two code paths, one answer)', async () => {
    const timeline = await server.get('/api/coverage/timeline?date=2026-03-04&area=110101');
    const table = await server.get(`/api/coverage?level=district&area=110101&at=${NOON_WEDNESDAY}`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.rule.rule).toBe('radius:500');
    const noon = timeline.body.hours[12];
    const row = table.body.areas[0];
    expect(Math.abs(noon.covered_km2 - row.covered_km2)).toBeLessThanOrEqual(
      0.005 * row.covered_km2,
    );
    expect(noon.stations_open).toBe(row.stations_open);
  });
});

describe('exports', () => {
  it('CSV carries the rule and the instant on every row', async () => {
    const res = await fetch(
      `${server.baseUrl}/api/coverage?level=subdistrict&district=110101&at=${NIGHT_WEDNESDAY}&format=csv`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('coverage_radius500_202603042200.csv');
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const header = lines[0]!.split(',');
    expect(header).toEqual(
      expect.arrayContaining(['code', 'covered_pct', 'rule', 'distance_kind', 'at', 'local_time']),
    );
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines.slice(1)) {
      expect(line).toContain('radius:500,straight_line,2026-03-04T14:00:00.000Z,2026-03-04 22:00');
    }
  });

  it('GeoJSON has outlines with the figures, the rule and the instant', async () => {
    const res = await server.get(
      `/api/coverage?level=district&format=geojson&at=${NOON_WEDNESDAY}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('FeatureCollection');
    expect(res.body.features.length).toBe(16);
    expect(res.body.rule.rule).toBe('radius:500');
    expect(res.body.instant.at).toBe('2026-03-04T04:00:00.000Z');
    const dongcheng = res.body.features.find((f: any) => f.id === '110101');
    expect(dongcheng.geometry.type).toMatch(/Polygon/);
    expect(dongcheng.properties).toMatchObject({
      rule: 'radius:500',
      at: '2026-03-04T04:00:00.000Z',
    });
    expect(dongcheng.properties.covered_pct).toBeGreaterThan(0);
  });
});

describe('OpenAPI', () => {
  it('documents the coverage and demand endpoints', async () => {
    const res = await server.get('/api/openapi.json');
    expect(res.status).toBe(200);
    for (const path of [
      '/api/coverage',
      '/api/coverage/gaps',
      '/api/coverage/timeline',
      '/api/coverage/suggest',
      '/api/demand-layers',
    ]) {
      expect(res.body.paths[path]).toBeDefined();
    }
  });
});

describe('bad input', () => {
  it.each([
    ['rule=radius:10', /rule radius must be 50/],
    ['rule=fly:10', /rule "fly:10" is not understood/],
    ['at=yesterday', /at "yesterday" is not a time/],
    ['level=county', /level/],
    ['with=200,100', /with site 1/],
    ['without=a,b', /without must be/],
    ['colour=red', /colour|Unrecognized/i],
  ])('%s → 400 with a message', async (query, message) => {
    const res = await server.get(`/api/coverage?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(message);
  });

  it('unknown area, layer or station → 404; network rule without a network → 422', async () => {
    const planner = { headers: { cookie: await plannerCookie() } };
    expect((await server.get('/api/coverage?level=district&area=110199')).status).toBe(404);
    expect((await server.get('/api/coverage?demand=99999', planner)).body.error).toContain(
      'Demand layer not found',
    );
    expect((await server.get('/api/coverage?without=99999', planner)).status).toBe(404);
    const network = await server.get('/api/coverage?rule=walk:10');
    expect(network.status).toBe(422);
    expect(network.body.error).toContain('radius:500');
  });
});
