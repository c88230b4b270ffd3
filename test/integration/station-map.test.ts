import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { mulberry32 } from '../../scripts/lib/sample-stations.js';
import { insertStations } from '../../server/modules/stations/stations.repository.js';
import { createUser, loginAs } from '../setup/auth.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;
const random = mulberry32(3);
/** Everything inserted lies inside this box (central Beijing). */
const CITY = [116.2, 39.8, 116.6, 40.05];
const STATIONS = 600;

beforeAll(async () => {
  server = await startTestServer();
  await insertStations(
    server.database.handle.db,
    Array.from({ length: STATIONS }, (_, i) => ({
      name: `地图测试驿站 ${i}`,
      kind: i % 7 === 0 ? ('smart_24h' as const) : ('warm_post' as const),
      lng: CITY[0]! + 0.01 + random() * 0.38,
      lat: CITY[1]! + 0.01 + random() * 0.23,
      amenities: { hot_water: 'available' as const },
    })),
  );
});

afterAll(async () => {
  await server?.close();
});

const view = (bbox: number[], zoom: number) =>
  server.get(`/api/map/stations?bbox=${bbox.join(',')}&zoom=${zoom}`);

describe('GET /api/map/stations', () => {
  it('zoomed out: counted clusters that add up to every station, each with the zoom it splits at', async () => {
    const res = await view([115, 39, 118, 41], 9);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/geo+json');
    const clusters = res.body.features.filter((f: any) => f.properties.cluster);
    expect(clusters.length).toBeGreaterThan(0);
    expect(res.body.features.length).toBeLessThan(100);
    expect(res.body.stations_in_view).toBe(STATIONS);
    const total = res.body.features.reduce(
      (n: number, f: any) => n + (f.properties.point_count ?? 1),
      0,
    );
    expect(total).toBe(STATIONS);
    for (const c of clusters) expect(c.properties.expansion_zoom).toBeGreaterThan(9);
    expect(res.body.clusters_version).toBe(res.body.stations_version);
  });

  it('zoomed in: the stations in the box one by one, the same as the listing', async () => {
    const box = [116.35, 39.88, 116.4, 39.92];
    const res = await view(box, 15);
    expect(res.status).toBe(200);
    expect(res.body.clusters_version).toBeNull();
    const listing = await server.get(
      `/api/collections/stations/items?bbox=${box.join(',')}&limit=1000`,
    );
    const ids = (fc: any) =>
      fc.features.map((f: any) => f.id).sort((a: number, b: number) => a - b);
    expect(ids(res.body)).toEqual(ids(listing.body));
    expect(ids(res.body).length).toBeGreaterThan(0);
    expect(Object.keys(res.body.features[0].properties).sort()).toEqual([
      'id',
      'is_sample',
      'kind',
      'name',
    ]);
  });

  it('a country-wide box at street zoom is answered as the overview it is (bounded cost)', async () => {
    const res = await view([73, 18, 135, 53], 20);
    expect(res.status).toBe(200);
    expect(res.body.zoom).toBeLessThan(8);
    expect(res.body.stations_in_view).toBe(STATIONS);
    expect(res.body.features.length).toBeLessThan(50);
  });

  it('sees a deletion through the API on the very next read up close, and in the clusters once they are rebuilt', async () => {
    const admin = await createUser(server.database.handle.db, {
      username: 'map-admin',
      password: 'map-admin-password',
      role: 'admin',
    });
    const session = await loginAs(server, admin.username, admin.password);
    const before = await view([115, 39, 118, 41], 9);
    const victim = (await view([116.35, 39.88, 116.4, 39.92], 15)).body.features[0].id as number;
    const deleted = await server.request(`/api/stations/${victim}`, {
      method: 'DELETE',
      headers: session.headers,
    });
    expect(deleted.status).toBeLessThan(300);
    // Read-your-writes: no wait for the change notification (PostgreSQL delivers it a moment later).
    const near = await view([116.35, 39.88, 116.4, 39.92], 15);
    expect(near.body.features.map((f: any) => f.id)).not.toContain(victim);
    await expect
      .poll(async () => {
        const after = (await view([115, 39, 118, 41], 9)).body;
        return after.clusters_version === after.stations_version ? after.stations_in_view : null;
      })
      .toBe(STATIONS - 1);
    expect(before.body.stations_version).toBeLessThan(near.body.stations_version);
  });

  it('sees a write made outside the service (a script) once its change notification arrives', async () => {
    const victim = (await view([116.35, 39.88, 116.4, 39.92], 15)).body.features[0].id as number;
    await server.database.handle.db.execute(sql`delete from stations where id = ${victim}`);
    await expect
      .poll(async () => (await view([116.35, 39.88, 116.4, 39.92], 15)).body.features.map((f: any) => f.id), {
        timeout: 2_000,
      })
      .not.toContain(victim);
  });

  it.each([
    ['no bbox', '/api/map/stations?zoom=3'],
    ['no zoom', '/api/map/stations?bbox=116,39,117,40'],
    ['zoom out of range', '/api/map/stations?bbox=116,39,117,40&zoom=99'],
    ['bad bbox', '/api/map/stations?bbox=116,39,117&zoom=3'],
  ])('%s → 400 with a message', async (_name, path) => {
    const res = await server.get(path);
    expect(res.status).toBe(400);
    expect(res.body.error).toBeTruthy();
  });
});
