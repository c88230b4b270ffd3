/**
 * Demand layers on the map (issue 14): a population layer's people and an uploaded points layer
 * summed into grid squares for a viewport — totals checked against PostGIS sums over the same box,
 * the square cap, the slot chosen by the hour, errors in zh/en, access and ETag.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, sql, type AppDatabase } from '../../server/db/client.js';
import { importPopulationFiles } from '../../server/modules/demand/population/population-import.js';
import { createUser, loginAs, type LoggedIn } from '../setup/auth.js';
import { startTestServer, type TestServer } from '../setup/server.js';
import { syntheticWgs84Raster } from '../setup/synthetic-raster.js';

let server: TestServer;
let db: AppDatabase;
let planner: LoggedIn;
let tmp: string;
let layerId: number;
let pointsId: number;

// 0.01° cells over 东城区 / 西城区 (~0.6 × 0.4 km of Beijing each), 20 × 30 of them.
const WEST = 116.3;
const NORTH = 39.96;
const CELL = 0.01;
const ROWS = 20;
const COLS = 30;
const people = (r: number, c: number, hour: number) => (r * COLS + c) % 7 === 0 ? 0 : 10 + r + c + hour;

const plannerGet = (p: string, headers: Record<string, string> = {}) =>
  server.get(p, { headers: { cookie: planner.cookie, ...headers } });

/** PostGIS reference: the slot's people of cells whose centre lies in [w,e) × [s,n). */
async function referenceSum(bbox: number[], slot: number) {
  const [row] = await queryRows<{ total: number }>(
    db,
    sql`select coalesce(sum(weights[${slot}]::float8), 0)::float8 as total from demand_cells
        where layer_id = ${layerId} and geom && ST_MakeEnvelope(${bbox[0]}, ${bbox[1]}, ${bbox[2]}, ${bbox[3]}, 4326)
          and ST_X(geom) < ${bbox[2]} and ST_Y(geom) < ${bbox[3]}`,
  );
  return row!.total;
}

beforeAll(async () => {
  server = await startTestServer();
  db = server.database.handle.db;
  await createUser(db, { username: 'mapper', password: 'mapper-password-1', role: 'planner' });
  planner = await loginAs(server, 'mapper', 'mapper-password-1');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-demand-map-'));
  const files = [8, 20].map((hour) => {
    const file = path.join(tmp, `2026-03-04_h${hour}.tif`);
    const values = Array.from({ length: ROWS }, (_, r) => Array.from({ length: COLS }, (_, c) => people(r, c, hour)));
    fs.writeFileSync(file, Buffer.from(syntheticWgs84Raster({ west: WEST, north: NORTH, cellDeg: CELL, values })));
    return file;
  });
  layerId = (await importPopulationFiles(db, files, { name: 'Synthetic hourly', citation: 'Test data' })).layer.id;
  const upload = await server.request('/api/demand-layers', {
    method: 'POST',
    headers: planner.headers,
    body: JSON.stringify({ name: 'Depots', csv: 'lng,lat,weight\n116.401,39.901,5\n116.402,39.902,7\n116.5,39.8,1\n' }),
  });
  expect(upload.status).toBe(201);
  pointsId = upload.body.id;
}, 120_000);

afterAll(async () => {
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('demand layers on the map', () => {
  it('sums the hour’s people into squares; the box total equals PostGIS over the snapped box', async () => {
    const res = await plannerGet(`/api/demand-layers/${layerId}/squares?bbox=116.3,39.76,116.6,39.96&zoom=11&at=2026-03-04T20:00`);
    expect(res.status).toBe(200);
    expect(res.body.estimate).toBe(true);
    expect(res.body.layer).toMatchObject({ id: layerId, kind: 'population', citation: 'Test data' });
    expect(res.body.slot).toMatchObject({ hour: 20, exact: true });
    // Zoom 11 at 16 px wants 360/2^15 ≈ 0.011°, coarser than the 0.01° cells: that grid.
    expect(res.body.step_deg).toBe(360 / 2 ** 15);
    const sum = res.body.squares.reduce((s: number, q: number[]) => s + q[2]!, 0);
    const reference = await referenceSum(res.body.bbox, 2);
    expect(Math.abs(sum - reference)).toBeLessThan(0.5 * res.body.squares.length);
    expect(Math.abs(res.body.total - reference)).toBeLessThanOrEqual(1);
    // Every square lies on the global grid.
    for (const [w, s] of res.body.squares) {
      expect(Math.abs((w + 180) / res.body.step_deg - Math.round((w + 180) / res.body.step_deg))).toBeLessThan(1e-4);
      expect(Math.abs((s + 90) / res.body.step_deg - Math.round((s + 90) / res.body.step_deg))).toBeLessThan(1e-4);
    }
    // 08:00 is the other slot, with fewer people.
    const morning = await plannerGet(`/api/demand-layers/${layerId}/squares?bbox=116.3,39.76,116.6,39.96&zoom=11&at=2026-03-04T08:00`);
    expect(morning.body.slot).toMatchObject({ hour: 8, exact: true });
    expect(morning.body.total).toBeLessThan(res.body.total);
    expect(Math.abs(morning.body.total - (await referenceSum(morning.body.bbox, 1)))).toBeLessThanOrEqual(1);
  });

  it('a zoomed-out view gets fewer, larger squares with the same people; the cap coarsens, never truncates', async () => {
    const city = await plannerGet(`/api/demand-layers/${layerId}/squares?bbox=115.4,39.4,117.5,41.1&zoom=8`);
    const street = await plannerGet(`/api/demand-layers/${layerId}/squares?bbox=116.3,39.76,116.6,39.96&zoom=16`);
    // Street zoom never draws squares finer than the layer's 0.01° cells.
    expect(street.body.step_deg).toBe(360 / 2 ** 15);
    expect(city.status).toBe(200);
    expect(city.body.step_deg).toBeGreaterThan(street.body.step_deg);
    expect(city.body.squares.length).toBeLessThan(street.body.squares.length);
    expect(city.body.total).toBe(street.body.total);
    expect(city.body.max_squares).toBe(6000);
    expect(street.body.squares.length).toBeLessThanOrEqual(6000);
  });

  it('draws an uploaded points layer the same way (weights summed)', async () => {
    const res = await plannerGet(`/api/demand-layers/${pointsId}/squares?bbox=116.3,39.7,116.6,40&zoom=12`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ estimate: false, slot: null, total: 13 });
    expect(res.body.squares.find((q: number[]) => q[2] === 12)).toEqual([expect.any(Number), expect.any(Number), 12, 2]);
  });

  it('answers 304 to its own ETag; refuses bad input in the page’s language; needs a planner', async () => {
    const url = `/api/demand-layers/${layerId}/squares?bbox=116.3,39.76,116.6,39.96&zoom=11&at=2026-03-04T20:00`;
    const first = await plannerGet(url);
    const again = await plannerGet(url, { 'if-none-match': first.headers.get('etag')! });
    expect(again.status).toBe(304);

    const zh = await plannerGet(`/api/demand-layers/${layerId}/squares?bbox=116.6,39.76,116.3,39.96&zoom=11`);
    expect(zh.status).toBe(400);
    expect(zh.body.error).toMatch(/需求分布图参数有误.*bbox/);
    const en = await plannerGet(`/api/demand-layers/${layerId}/squares?bbox=100,20,150,60&zoom=11`, { 'accept-language': 'en-GB,en' });
    expect(en.status).toBe(400);
    expect(en.body.error).toMatch(/^Demand map: bbox: bbox must be at most 40°/);
    const missing = await plannerGet(`/api/demand-layers/999999/squares?bbox=116,39,117,40&zoom=10&lang=en`);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('Demand layer not found: 999999');
    const zoom = await plannerGet(`/api/demand-layers/${layerId}/squares?bbox=116,39,117,40&zoom=30`);
    expect(zoom.status).toBe(400);

    const anonymous = await server.get(url);
    expect(anonymous.status).toBe(401);
  });
});
