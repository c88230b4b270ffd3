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
import { SHARED_DATA_DIR } from '../setup/template.js';

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

describe('raster upload', () => {
  const upload = (query: string, body: BodyInit, headers: Record<string, string> = {}) =>
    server.request(`/api/demand-layers/rasters?${query}`, {
      method: 'POST',
      headers: { cookie: planner.cookie, 'x-csrf-token': planner.csrfToken, 'content-type': 'image/tiff', ...headers },
      body,
    });
  async function loaded(id: number) {
    for (let i = 0; i < 600; i++) {
      const res = await plannerGet(`/api/demand-layers/${id}`);
      if (!res.body.loading || res.body.load_error) return res.body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`layer ${id} still loading`);
  }
  const tiny = (values: number[][]) =>
    Buffer.from(syntheticWgs84Raster({ west: 116.35, north: 39.95, cellDeg: CELL, values }));

  it('a GeoTIFF becomes a layer through a job: 202 loading, then loaded with its slot; coverage counts it', async () => {
    const res = await upload('name=Uploaded%20noon&day_type=workday&hour=12&citation=Test%20upload', tiny([[100, 200], [0, 50]]));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ loading: true, load_error: null, kind: 'population', name: 'Uploaded noon' });
    expect(res.headers.get('location')).toBe(`/api/demand-layers/${res.body.id}`);
    const layer = await loaded(res.body.id);
    expect(layer).toMatchObject({ loading: false, point_count: 3, total_weight: 350, citation: 'Test upload' });
    expect(layer.slots).toEqual([{ day_type: 'workday', hour: 12, total: 350, file: 'Uploaded noon' }]);
    const coverage = await plannerGet(`/api/coverage?level=district&demand=${layer.id}&at=2026-03-04T12:00`);
    expect(coverage.status).toBe(200);
    expect(coverage.body.totals.demand_total).toBe(350);
  });

  it('an upload left loading for 30 minutes (its instance stopped) reads as failed; coverage refuses it (422)', async () => {
    const res = await upload('name=Cut%20short', tiny([[5]]));
    await loaded(res.body.id);
    // As if the job had died before writing: loading again, and old.
    await db.execute(
      sql`update demand_layers set loaded_at = null, created_at = now() - interval '31 minutes' where id = ${res.body.id}`,
    );
    const layer = (await plannerGet(`/api/demand-layers/${res.body.id}`)).body;
    expect(layer.loading).toBe(true);
    expect(layer.load_error).toMatch(/^The upload was interrupted/);
    const coverage = await plannerGet(`/api/coverage?level=district&demand=${res.body.id}`);
    expect(coverage.status).toBe(422);
    expect(coverage.body.error).toMatch(/failed to load and holds no data/);
    expect((await server.request(`/api/demand-layers/${res.body.id}`, { method: 'DELETE', headers: planner.headers })).status).toBe(204);
  });

  it('the real Beijing file (1700×1900 Float32, Albers/Krasovsky): read in the pool; a third upload while two are read gets 503', async () => {
    const file = fs.readFileSync(path.join(SHARED_DATA_DIR, 'population', 'beijing-hourly', '2015-07-13_h10.tif'));
    const started = performance.now();
    // Three at once: whichever comes third finds two being read (counted from the first byte, so
    // no timing decides it; sent one after another, the first two could finish before the third).
    const answers = await Promise.all([
      upload('name=Beijing%2010h&day_type=workday&hour=10&aggregate=10', file),
      upload('name=Beijing%2010h%20again&aggregate=10', file),
      upload('name=third&aggregate=10&lang=en', file),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 202, 503]);
    const busy = answers.find((a) => a.status === 503)!;
    expect(busy.headers.get('retry-after')).toBe('30');
    expect(busy.body.error).toMatch(/^(Other raster uploads are being read \(2 at once|正在处理其他栅格上传)/);
    const accepted = answers.filter((a) => a.status === 202);
    const layers = await Promise.all(accepted.map((a) => loaded(a.body.id)));
    console.log(`two Beijing uploads (aggregate 10) loaded in ${Math.round(performance.now() - started)} ms`);
    for (const layer of layers) {
      expect(layer.load_error).toBeNull();
      expect(layer.total_weight).toBeGreaterThan(26.85e6);
      expect(layer.total_weight).toBeLessThan(26.95e6);
      expect(layer.cell_m).toBeCloseTo(1000, 0);
    }
  }, 120_000);

  it('refuses what is not a usable raster, in the page’s language, before any job', async () => {
    const notTiff = await upload('name=x', Buffer.from('lng,lat,weight\n116,39,1\n'));
    expect(notTiff.status).toBe(400);
    expect(notTiff.body.error).toMatch(/^不是可读取的 GeoTIFF 文件/);
    const noName = await upload('hour=3', tiny([[1]]), { 'accept-language': 'en' });
    expect(noName.status).toBe(400);
    expect(noName.body.error).toMatch(/^Raster upload: name: /);
    const badHour = await upload('name=x&hour=24', tiny([[1]]));
    expect(badHour.status).toBe(400);
    expect(badHour.body.error).toMatch(/^栅格上传参数有误（hour/);
    const csv = await upload('name=x', 'a,b', { 'content-type': 'text/csv', 'accept-language': 'en' });
    expect(csv.status).toBe(415);
    const empty = await upload('name=x', Buffer.alloc(0));
    expect(empty.status).toBe(400);
    const { writeArrayBuffer } = await import('geotiff');
    // A projected CRS the importer does not know (Lambert azimuthal by EPSG code): 422 naming crs=.
    const laea = Buffer.from(
      writeArrayBuffer(new Float32Array([1, 2, 3, 4]), {
        width: 2,
        height: 2,
        ModelPixelScale: [100, 100, 0],
        ModelTiepoint: [0, 0, 0, 4321000, 3210000, 0],
        GTModelTypeGeoKey: 1,
        ProjectedCSTypeGeoKey: 3035,
      } as never),
    );
    const unknownCrs = await upload('name=x&lang=en', laea);
    expect(unknownCrs.status).toBe(422);
    expect(unknownCrs.body.error).toMatch(/CRS is not understood.*crs=/);
    // Too many pixels: refused from the header (6000 × 4200 = 25.2 M > 25 M). A small file whose
    // header claims that size: only the header is read before the refusal.
    const big = Buffer.from(syntheticWgs84Raster({ west: 116, north: 40, cellDeg: 0.001, values: [[1, 2], [3, 4]] }));
    const le = big.toString('latin1', 0, 2) === 'II';
    const u16 = (at: number) => (le ? big.readUInt16LE(at) : big.readUInt16BE(at));
    const ifd = le ? big.readUInt32LE(4) : big.readUInt32BE(4);
    for (let i = 0, n = u16(ifd); i < n; i++) {
      const entry = ifd + 2 + i * 12;
      const tag = u16(entry);
      const short = u16(entry + 2) === 3;
      const write = (v: number) =>
        short
          ? le ? big.writeUInt16LE(v, entry + 8) : big.writeUInt16BE(v, entry + 8)
          : le ? big.writeUInt32LE(v, entry + 8) : big.writeUInt32BE(v, entry + 8);
      if (tag === 256) write(6000);
      if (tag === 257) write(4200);
    }
    const tooMany = await upload('name=x&lang=en', big);
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error).toMatch(/6000×4200 pixels, more than 25000000/);
    // None of these left a layer behind.
    const names = (await plannerGet('/api/demand-layers')).body.layers.map((l: { name: string }) => l.name);
    expect(names).not.toContain('x');
  }, 60_000);

  it('stops reading a body past 100 MB (declared or streamed): 413, nothing kept', async () => {
    const http = await import('node:http');
    const send = (declared: number | null) =>
      new Promise<{ status: number; sent: number; body: string }>((resolve, reject) => {
        const url = new URL(`${server.baseUrl}/api/demand-layers/rasters?name=huge&lang=en`);
        const req = http.request(url, {
          method: 'POST',
          headers: {
            cookie: planner.cookie,
            'x-csrf-token': planner.csrfToken,
            'content-type': 'image/tiff',
            ...(declared === null ? {} : { 'content-length': String(declared) }),
          },
        });
        let sent = 0;
        let done = false;
        const chunk = Buffer.alloc(1024 * 1024, 7);
        const pump = () => {
          while (!done && sent < 120 * 1024 * 1024) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          if (!done) req.end();
        };
        req.on('response', (res) => {
          done = true;
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => {
            resolve({ status: res.statusCode!, sent, body });
            req.destroy();
          });
        });
        req.on('error', (e) => (done ? undefined : reject(e)));
        pump();
      });
    const declared = await send(200 * 1024 * 1024);
    expect(declared.status).toBe(413);
    expect(declared.sent).toBeLessThan(100 * 1024 * 1024);
    const streamed = await send(null);
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error).toMatch(/larger than 100 MB/);
    expect(streamed.sent).toBeGreaterThan(100 * 1024 * 1024);
    const names = (await plannerGet('/api/demand-layers')).body.layers.map((l: { name: string }) => l.name);
    expect(names).not.toContain('huge');
  }, 60_000);
});
