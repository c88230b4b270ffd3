/**
 * OGC API – Features – Part 1: Core, as a client meets it: the requirements of the classes we claim
 * (core, geojson, oas30) walked over HTTP, then GDAL's OGC API driver (ogrinfo, ogr2ogr) reading
 * the collections from a real server. GDAL is skipped where it is not installed, except in CI
 * (CI=true or REQUIRE_BROWSER=1, as for the browser tests), where its absence is a failure.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../server/db/client.js';
import { insertStations } from '../../server/modules/stations/stations.repository.js';
import { startTestServer, type TestServer } from '../setup/server.js';

const exec = promisify(execFile);
let server: TestServer;
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
/** Part of central Beijing holding some, not all, of the stations. */
const BOX = [116.3, 39.85, 116.45, 39.95] as const;

beforeAll(async () => {
  server = await startTestServer();
  // 60 stations on a 10 × 6 grid over the city: more than GDAL's page of 10, some inside BOX.
  const stations = Array.from({ length: 60 }, (_, i) => ({
    name: `网格驿站 ${i}`,
    kind: (i % 7 === 0 ? 'rider_home' : 'warm_post') as 'rider_home' | 'warm_post',
    lng: 116.2 + (i % 10) * 0.04,
    lat: 39.8 + Math.floor(i / 10) * 0.04,
  }));
  await insertStations(server.database.handle.db, stations);
});

afterAll(async () => {
  await server?.close();
});

const db = () => server.database.handle.db;
const get = (p: string) => server.get(p);

async function stationIdsInDb(box?: readonly number[]): Promise<number[]> {
  const where = box ? sql`where geom && ST_MakeEnvelope(${box[0]}, ${box[1]}, ${box[2]}, ${box[3]}, 4326)` : sql``;
  const rows = await queryRows<{ id: number }>(db(), sql`select id from stations ${where} order by id`);
  return rows.map((r) => r.id);
}

/** Twice the signed area of a ring (shoelace): positive when counter-clockwise. */
function signedArea(ring: number[][]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return sum;
}

describe('OGC API Features Core requirements', () => {
  it('landing page links the API definition, its documentation, conformance and data', async () => {
    for (const url of ['/api', '/api/', '/api?f=json']) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
    }
    const landing = (await get('/api')).body;
    const byRel = Object.fromEntries(landing.links.map((l: any) => [l.rel, l]));
    expect(Object.keys(byRel)).toEqual(expect.arrayContaining(['self', 'service-desc', 'service-doc', 'conformance', 'data']));
    expect(byRel['service-desc'].type).toBe('application/vnd.oai.openapi+json;version=3.0');
    for (const link of landing.links) {
      const res = await fetch(link.href);
      expect(res.status, link.href).toBe(200);
      expect(res.headers.get('content-type')!.replace(/;\s*charset=utf-8/, '')).toBe(link.type);
    }
  });

  it('declares core, geojson and oas30 conformance', async () => {
    const res = await get('/api/conformance?f=json');
    expect(res.body.conformsTo).toEqual(
      expect.arrayContaining(['core', 'geojson', 'oas30'].map((c) => `http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/${c}`)),
    );
    expect((await get('/api/conformance?f=html')).status).toBe(400);
  });

  it('describes each collection with links, a CRS84 extent computed from the data, crs and storageCrs', async () => {
    const { collections, links } = (await get('/api/collections')).body;
    expect(links.some((l: any) => l.rel === 'self')).toBe(true);
    for (const c of collections) {
      expect(c.links.map((l: any) => l.rel)).toEqual(expect.arrayContaining(['self', 'items']));
      expect(c.crs).toContain(CRS84);
      expect(c.storageCrs).toBe(CRS84);
      expect(c.extent.spatial.crs).toBe(CRS84);
      expect((await get(`/api/collections/${c.id}`)).body.id).toBe(c.id);
    }
    // The stations' extent is the stations' own: the grid spans 116.2–116.56 E, 39.8–40.0 N.
    const stations = collections.find((c: any) => c.id === 'stations');
    const [minLng, minLat, maxLng, maxLat] = stations.extent.spatial.bbox[0];
    expect([minLng, minLat]).toEqual([116.2, 39.8]);
    expect(maxLng).toBeCloseTo(116.56, 6);
    expect(maxLat).toBeCloseTo(40.0, 6);
  });

  it('pages items with limit/offset, numberMatched/numberReturned and next links that reach every feature', async () => {
    const all = await stationIdsInDb();
    const seen: number[] = [];
    let url: string | undefined = '/api/collections/stations/items?limit=25';
    let pages = 0;
    while (url) {
      const res = await get(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/geo+json');
      expect(res.body.numberMatched).toBe(all.length);
      expect(res.body.numberReturned).toBe(res.body.features.length);
      expect(res.body.features.length).toBeLessThanOrEqual(25);
      seen.push(...res.body.features.map((f: any) => f.id));
      const next = res.body.links.find((l: any) => l.rel === 'next');
      url = next ? new URL(next.href).pathname + new URL(next.href).search : undefined;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(all);
  });

  it('keeps limit within its documented bounds (1..1000)', async () => {
    expect((await get('/api/collections/stations/items?limit=0')).status).toBe(400);
    expect((await get('/api/collections/stations/items?limit=1001')).status).toBe(400);
    expect((await get('/api/collections/stations/items?limit=1000')).body.features).toHaveLength(60);
    expect((await get('/api/collections/stations/items?limit=1')).body.features).toHaveLength(1);
  });

  it('filters by bbox of four or six numbers, and counts the matches', async () => {
    const inBox = await stationIdsInDb(BOX);
    expect(inBox.length).toBeGreaterThan(0);
    expect(inBox.length).toBeLessThan(60);
    const four = await get(`/api/collections/stations/items?limit=1000&bbox=${BOX.join(',')}`);
    const six = await get(`/api/collections/stations/items?limit=1000&bbox=${BOX[0]},${BOX[1]},-100,${BOX[2]},${BOX[3]},100`);
    expect(four.body.features.map((f: any) => f.id)).toEqual(inBox);
    expect(six.body.features.map((f: any) => f.id)).toEqual(inBox);
    expect(four.body.numberMatched).toBe(inBox.length);
    expect((await get(`/api/collections/districts/items?bbox=${BOX.join(',')}`)).body.numberMatched).toBeGreaterThan(1);
  });

  it('filters stations by datetime (updated_at) and lets areas ignore it', async () => {
    const items = (q: string) => get(`/api/collections/stations/items?limit=1000&datetime=${encodeURIComponent(q)}`);
    expect((await items('2000-01-01T00:00:00Z/..')).body.numberMatched).toBe(60);
    expect((await items('../2000-01-01T00:00:00Z')).body.numberMatched).toBe(0);
    expect((await items('2024-01-01T00:00:00Z')).body.numberMatched).toBe(0);
    expect((await items('2000-01-01/2999-12-31')).body.numberMatched).toBe(60);
    expect((await items('2024-02-30T00:00:00Z')).status).toBe(400);
    expect((await items('2025-01-01T00:00:00Z/2024-01-01T00:00:00Z')).status).toBe(400);
    const districts = await get('/api/collections/districts/items?datetime=2024-01-01T00:00:00Z');
    expect(districts.status).toBe(200);
    expect(districts.body.numberMatched).toBe(16);
  });

  it('refuses unknown parameters and formats other than json with a 400', async () => {
    expect((await get('/api/collections/stations/items?f=json')).status).toBe(200);
    expect((await get('/api/collections/stations/items?f=html')).status).toBe(400);
    expect((await get('/api/collections/stations/items?colour=red')).status).toBe(400);
  });

  it('serves a single feature with self and collection links; a missing one is a JSON 404', async () => {
    const [id] = await stationIdsInDb();
    const res = await get(`/api/collections/stations/items/${id}`);
    expect(res.headers.get('content-type')).toContain('application/geo+json');
    const rels = Object.fromEntries(res.body.links.map((l: any) => [l.rel, l.href]));
    expect(rels.self).toBe(`${server.baseUrl}/api/collections/stations/items/${id}`);
    expect(rels.collection).toBe(`${server.baseUrl}/api/collections/stations`);
    const area = await get('/api/collections/districts/items/110101');
    expect(area.body.links.find((l: any) => l.rel === 'collection').href).toMatch(/\/collections\/districts$/);
    const missing = await get('/api/collections/stations/items/999999');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/json');
    expect(missing.body.error).toContain('999999');
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const res = await server.request('/api/collections/stations/items', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('GET');
  });

  it('winds outer rings counter-clockwise and holes clockwise (RFC 7946 §3.1.6)', async () => {
    const wrong: string[] = [];
    // Every district; the sub-districts of central Beijing (all 426 are slow on PGlite).
    for (const url of ['districts/items', `subdistricts/items?bbox=${BOX.join(',')}`]) {
      const res = await get(`/api/collections/${url}${url.includes('?') ? '&' : '?'}limit=1000`);
      expect(res.body.features.length).toBeGreaterThan(10);
      for (const f of res.body.features) {
        const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
        for (const [outer, ...holes] of polygons) {
          if (signedArea(outer) <= 0) wrong.push(`${f.id} outer`);
          for (const hole of holes) if (signedArea(hole) >= 0) wrong.push(`${f.id} hole`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

// ---- GDAL, the OGC API client most GIS tools are built on -------------------------------------

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

const OGRINFO = findOnPath('ogrinfo');
const OGR2OGR = findOnPath('ogr2ogr');
const GDAL_REQUIRED = process.env.CI === 'true' || process.env.REQUIRE_BROWSER === '1';

it.runIf(GDAL_REQUIRED)('GDAL (ogrinfo, ogr2ogr) is installed where CI requires it', () => {
  expect(OGRINFO && OGR2OGR, 'GDAL is missing: apt-get install gdal-bin').toBeTruthy();
});

describe.skipIf(!OGRINFO || !OGR2OGR)("GDAL's OGC API driver", () => {
  let scratch: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-gdal-'));
  });
  afterAll(() => {
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** Runs a GDAL tool asynchronously (the server answers from this same process), with its HTTP log. */
  async function gdal(tool: string, args: string[]) {
    const { stdout, stderr } = await exec(tool, args, {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, CPL_DEBUG: 'ON', GDAL_HTTP_TIMEOUT: '30' },
    });
    const fetches = stderr.split('\n').filter((l) => l.startsWith('HTTP: Fetch('));
    return { stdout, fetches };
  }
  const source = () => `OAPIF:${server.baseUrl}/api`;
  const readGeoJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

  it('ogrinfo on the landing page lists the collections', async () => {
    const { stdout } = await gdal(OGRINFO!, ['-ro', '-q', source()]);
    for (const id of ['stations', 'areas', 'districts', 'subdistricts']) {
      expect(stdout).toMatch(new RegExp(`^\\d+: ${id} \\(`, 'm'));
    }
  });

  it("counts the stations as the database does, from numberMatched in one request", async () => {
    const { stdout, fetches } = await gdal(OGRINFO!, ['-ro', '-so', source(), 'stations']);
    const count = Number(/Feature Count: (\d+)/.exec(stdout)?.[1]);
    expect(count).toBe((await stationIdsInDb()).length);
    expect(fetches.filter((f) => f.includes('/items')).length).toBeLessThanOrEqual(2);
    expect(stdout).toMatch(/Extent: \(116\.200000, 39\.800000\) - \(116\.560000, 40\.000000\)/);
  });

  it('ogr2ogr with a bbox filter gets exactly the stations the database has in it', async () => {
    const out = path.join(scratch, 'stations-box.geojson');
    const { fetches } = await gdal(OGR2OGR!, [
      '-f', 'GeoJSON', out, source(), 'stations',
      '-spat', ...BOX.map(String),
      '-oo', 'PAGE_SIZE=1000',
    ]);
    const ids = readGeoJson(out).features.map((f: any) => f.properties.id).sort((a: number, b: number) => a - b);
    expect(ids).toEqual(await stationIdsInDb(BOX));
    // The box went to the server (bbox=), not filtered client-side after reading everything.
    expect(fetches.some((f) => /[?&]bbox=/.test(f))).toBe(true);
  });

  it('ogr2ogr reads every station through the next links (GDAL pages by 10 by default)', async () => {
    const out = path.join(scratch, 'stations-all.geojson');
    const { fetches } = await gdal(OGR2OGR!, ['-f', 'GeoJSON', out, source(), 'stations']);
    const ids = readGeoJson(out).features.map((f: any) => f.properties.id).sort((a: number, b: number) => a - b);
    expect(ids).toEqual(await stationIdsInDb());
    expect(fetches.filter((f) => f.includes('/items')).length).toBeGreaterThanOrEqual(6);
  });

  it('districts (all) and sub-districts (in the box) round-trip: the same codes and outlines as the API', async () => {
    // Sub-districts in the box only: 426 full-detail outlines cost half a minute on PGlite in CI.
    for (const [collection, box] of [['districts', null], ['subdistricts', BOX]] as const) {
      const out = path.join(scratch, `${collection}.geojson`);
      const spat = box ? ['-spat', ...box.map(String)] : [];
      await gdal(OGR2OGR!, ['-f', 'GeoJSON', out, source(), collection, ...spat, '-oo', 'PAGE_SIZE=1000']);
      const fromGdal = readGeoJson(out).features;
      const api = (await get(`/api/collections/${collection}/items?limit=1000${box ? `&bbox=${box.join(',')}` : ''}`)).body;
      expect(fromGdal.length).toBe(api.numberMatched);
      expect(fromGdal.length).toBeGreaterThan(box ? 5 : 15);
      const codes = (features: any[]) => features.map((f) => f.properties.code).sort();
      expect(codes(fromGdal)).toEqual(codes(api.features));
      const positions = (features: any[]) => features.reduce((n, f) => n + f.geometry.coordinates.flat(Infinity).length, 0);
      expect(positions(fromGdal)).toBe(positions(api.features));
    }
  });
});
