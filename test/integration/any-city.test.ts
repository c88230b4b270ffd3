/**
 * A city other than Beijing set up end to end through the documented interfaces: Andorra's
 * parishes (admin_level 7) straight from the OSM extract as a new level, its roads from the same
 * file, stations created through the API and a bulk import, then nearest, route, coverage at the
 * parish level, export and filters by the parishes' own codes, in Andorra's time zone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  importBoundarySource,
  readBoundarySource,
} from '../../server/modules/boundaries/boundary-import.js';
import { importOsmRoadNetwork } from '../../server/modules/routes/road-import.service.js';
import { createUser, loginAs, type LoggedIn } from '../setup/auth.js';
import { startTestServer, type TestServer } from '../setup/server.js';
import { extractPath } from '../unit/routing/real-networks.js';

let server: TestServer;
let admin: LoggedIn;
let parishes: Map<string, string>;

// Andorra la Vella (the capital's centre) and Encamp, both on streets.
const VELLA: [number, number] = [1.5215, 42.5075];
const ENCAMP: [number, number] = [1.5805, 42.5345];

beforeAll(async () => {
  server = await startTestServer({ TIME_ZONE: 'Europe/Andorra', HOLIDAY_CALENDAR: 'none' });
  const db = server.database.handle.db;
  // What `npm run import:boundaries -- andorra.osm.pbf --admin-level 7 --level parish` runs.
  const parsed = await readBoundarySource(extractPath('andorra'), {
    adminLevel: '7',
    level: 'parish',
    label: '教区',
    labelEn: 'Parish',
  });
  await importBoundarySource(db, parsed);
  parishes = new Map(parsed.records.map((r) => [r.name, r.code]));
  // What `npm run import:osm -- andorra.osm.pbf` runs.
  await importOsmRoadNetwork(db, extractPath('andorra'));
  await createUser(db, { username: 'andorra-admin', password: 'admin-password-1', role: 'admin' });
  admin = await loginAs(server, 'andorra-admin', 'admin-password-1');
});

afterAll(async () => {
  await server?.close();
});

const post = (path: string, body: unknown) =>
  server.request(path, { method: 'POST', headers: admin.headers, body: JSON.stringify(body) });

describe('Andorra, set up through the documented interfaces', () => {
  it('assembles the parishes from the extract as areas of a new level, with OSM relation codes', async () => {
    // Canillo's boundary runs along a way the extract cut off, so 6 of the 7 parishes close.
    expect([...parishes.keys()].sort()).toEqual([
      'Andorra la Vella',
      'Encamp',
      'Escaldes-Engordany',
      'La Massana',
      'Ordino',
      'Sant Julià de Lòria',
    ]);
    expect(parishes.get('Andorra la Vella')).toBe('r2804753');
    const meta = await server.get('/api/meta');
    expect(meta.body.time_zone).toBe('Europe/Andorra');
    const parish = meta.body.region.levels.find((l: any) => l.name === 'parish');
    expect(parish).toMatchObject({ label: '教区', label_en: 'Parish', count: 6 });
    const [minLng, minLat, maxLng, maxLat] = parish.extent;
    expect(minLng).toBeGreaterThan(1.3);
    expect(maxLng).toBeLessThan(1.8);
    expect(minLat).toBeGreaterThan(42.4);
    expect(maxLat).toBeLessThan(42.7);
    const items = await server.get('/api/collections/parish/items');
    expect(items.body.features).toHaveLength(6);
  });

  it('creates a station through the API inside a parish and refuses one outside the region', async () => {
    const res = await post('/api/stations', {
      name: 'Punt de descans Vella',
      lng: VELLA[0],
      lat: VELLA[1],
      opening_hours: 'Mo-Su 08:00-20:00',
    });
    expect(res.status).toBe(201);
    expect(res.body.station.area_codes).toEqual([parishes.get('Andorra la Vella')]);
    expect(res.body.station.district_code).toBeNull();
    // Toulouse: far from every loaded area; the message names the region's extent.
    const far = await post('/api/stations', { name: 'Toulouse', lng: 1.444, lat: 43.604 });
    expect(far.status).toBe(400);
    expect(far.body.error).toContain('is outside the region');
    expect(far.body.error).toMatch(/longitude [\d.]+ E – [\d.]+ E, latitude [\d.]+ N – [\d.]+ N/);
  });

  it('bulk-imports stations there (all or nothing, region checked per row)', async () => {
    const csv = `编号,名称,经度,纬度\nAD-1,Punt Encamp,${ENCAMP[0]},${ENCAMP[1]}\nAD-2,Punt Massana,1.5148,42.5450\n`;
    const res = await server.request('/api/stations/import?format=csv', {
      method: 'POST',
      headers: { ...admin.headers, 'content-type': 'text/csv' },
      body: csv,
    });
    expect(res.status).toBe(200);
    expect(res.body.summary.inserted).toBe(2);
    const refused = await server.request('/api/stations/import?format=csv', {
      method: 'POST',
      headers: { ...admin.headers, 'content-type': 'text/csv' },
      body: `编号,名称,经度,纬度\nAD-3,Toulouse,1.444,43.604\n`,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.rows[0].problems[0].problem).toContain('is outside the region');
  });

  it('finds the nearest stations by walking time and routes to one', async () => {
    const near = await server.get(`/api/nearest?lng=${VELLA[0] + 0.002}&lat=${VELLA[1]}&k=2&mode=walk&open=any`);
    expect(near.status).toBe(200);
    expect(near.body.distance_kind).toBe('network');
    expect(near.body.features[0].properties.name).toBe('Punt de descans Vella');
    const id = near.body.features[0].id;
    const route = await server.get(`/api/route?from=${ENCAMP.join(',')}&station=${id}&mode=walk`);
    expect(route.status).toBe(200);
    expect(route.body.properties.distance_m).toBeGreaterThan(5000);
  });

  it('measures coverage at the parish level, one row per parish', async () => {
    const res = await server.get('/api/coverage?level=parish&rule=radius:500&at=2026-12-01T12:00');
    expect(res.status).toBe(200);
    const rows = res.body.areas;
    expect(res.body.instant.local).toBe("2026-12-01 12:00");
    expect(rows).toHaveLength(6);
    const vella = rows.find((r: any) => r.code === parishes.get('Andorra la Vella'));
    expect(vella.stations_total).toBe(1);
    expect(vella.covered_km2).toBeGreaterThan(0.5);
    const one = await server.get(
      `/api/coverage?level=parish&rule=radius:500&area=${parishes.get('Encamp')}&at=2026-12-01T12:00`,
    );
    expect(one.body.areas.map((r: any) => r.code)).toEqual([parishes.get('Encamp')]);
    const unknown = await server.get('/api/coverage?level=comarca&rule=radius:500');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toContain('parish');
  });

  it('filters and exports by the parishes’ own codes', async () => {
    const code = parishes.get('Encamp')!;
    const items = await server.get(`/api/collections/stations/items?area=${code}`);
    expect(items.body.features.map((f: any) => f.properties.name)).toEqual(['Punt Encamp']);
    const exported = await fetch(`${server.baseUrl}/api/stations/export?format=csv&area=${code}`, {
      headers: { cookie: admin.cookie },
    });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('x-station-count')).toBe('1');
    expect(await exported.text()).toContain('Punt Encamp');
    const summary = await fetch(`${server.baseUrl}/api/reports/summary?level=parish`, {
      headers: { cookie: admin.cookie },
    });
    expect(((await summary.json()) as any).areas).toHaveLength(6);
  });
});
