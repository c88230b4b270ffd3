import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  const db = server.database.handle.db;
  // 天安门 area (inside the box), 798 (outside: east of 116.5), and one across town.
  await newStation(db, {
    lng: 116.3975,
    lat: 39.9087,
    name: '天安门东暖心驿站',
    amenities: { hot_water: 'available', microwave: 'available' },
  });
  await newStation(db, {
    lng: 116.4958,
    lat: 39.9841,
    name: '酒仙桥骑手之家',
    kind: 'rider_home',
    amenities: { hot_water: 'available', microwave: 'out_of_order' },
  });
  await newStation(db, { lng: 116.35, lat: 39.9, name: '西城微波驿站', amenities: { microwave: 'available' } });
});

afterAll(async () => {
  await server?.close();
});

describe('GET /api/collections', () => {
  it('lists stations, every area and one collection per loaded level, titled from the data', async () => {
    const res = await server.get('/api/collections');
    expect(res.status).toBe(200);
    const ids = res.body.collections.map((c: { id: string }) => c.id);
    expect(ids.slice(0, 3)).toEqual(['stations', 'areas', 'city']);
    expect(ids).toContain('districts');
    expect(res.body.collections[0].links.some((l: { rel: string }) => l.rel === 'items')).toBe(true);
    const districts = res.body.collections.find((c: { id: string }) => c.id === 'districts');
    // Title and extent come from the loaded areas: 北京市 is the one top-level area.
    expect(districts.title).toContain('北京市');
    expect(districts.description).toContain('16 areas');
    const [minLng, minLat, maxLng, maxLat] = districts.extent.spatial.bbox[0];
    // Beijing's districts reach 117.5 E and 41.06 N.
    expect(maxLng).toBeGreaterThan(117.4);
    expect(minLng).toBeLessThan(115.5);
    expect(maxLat).toBeGreaterThan(40.9);
    expect(minLat).toBeLessThan(39.5);
  });

  it('serves every level through areas?level= and Beijing as the city above its districts', async () => {
    const city = await server.get('/api/collections/areas/items?level=city');
    expect(city.body.features.map((f: any) => f.id)).toEqual(['110000']);
    const children = await server.get('/api/collections/areas/items?level=district&parent=110000&limit=100');
    expect(children.body.features).toHaveLength(16);
    expect((await server.get('/api/collections/areas/items?level=county')).status).toBe(400);
  });

  it('404s an unknown collection with a message naming it', async () => {
    const res = await server.get('/api/collections/toilets/items');
    expect(res.status).toBe(404);
    expect(res.body.error).toContain('Collection not found: toilets');
  });
});

describe('GET /api/collections/stations/items', () => {
  it('returns GeoJSON features inside the bbox only', async () => {
    const res = await server.get('/api/collections/stations/items?bbox=116.3,39.85,116.5,39.95');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/geo+json');
    expect(res.body.type).toBe('FeatureCollection');
    const names = res.body.features.map((f: any) => f.properties.name).sort();
    expect(names).toEqual(['天安门东暖心驿站', '西城微波驿站']);
    for (const f of res.body.features) {
      const [lng, lat] = f.geometry.coordinates;
      expect(lng).toBeGreaterThanOrEqual(116.3);
      expect(lng).toBeLessThanOrEqual(116.5);
      expect(lat).toBeGreaterThanOrEqual(39.85);
      expect(lat).toBeLessThanOrEqual(39.95);
    }
  });

  it('derives district and sub-district from the position', async () => {
    const res = await server.get('/api/collections/stations/items?bbox=116.39,39.90,116.40,39.91');
    const station = res.body.features[0].properties;
    expect(station.district_code).toBe('110101'); // 东城区
    expect(station.subdistrict_code === null || station.subdistrict_code.startsWith('110101')).toBe(true);
    // The whole path, top level first: the city, the district, then the sub-district if any.
    expect(station.area_codes.slice(0, 2)).toEqual(['110000', '110101']);
    const inArea = await server.get('/api/collections/stations/items?area=110101');
    expect(inArea.body.features.map((f: any) => f.id)).toContain(res.body.features[0].id);
    const inCity = await server.get('/api/collections/stations/items?area=110000&limit=1000');
    const all = await server.get('/api/collections/stations/items?limit=1000');
    expect(inCity.body.features.length).toBe(all.body.features.length);
  });

  it('filters by amenities: all required and available', async () => {
    const res = await server.get('/api/collections/stations/items?amenities=microwave');
    const names = res.body.features.map((f: any) => f.properties.name).sort();
    // 酒仙桥 has a microwave but it is out of order, so it does not count.
    expect(names).toEqual(['天安门东暖心驿站', '西城微波驿站']);
    const both = await server.get('/api/collections/stations/items?amenities=microwave,hot_water');
    expect(both.body.features.map((f: any) => f.properties.name)).toEqual(['天安门东暖心驿站']);
  });

  it('filters by kind and district', async () => {
    const byKind = await server.get('/api/collections/stations/items?kind=rider_home');
    expect(byKind.body.features.map((f: any) => f.properties.name)).toEqual(['酒仙桥骑手之家']);
    const byDistrict = await server.get('/api/collections/stations/items?district=110105');
    expect(byDistrict.body.features.map((f: any) => f.properties.name)).toEqual(['酒仙桥骑手之家']);
  });

  it('pages with limit/offset and next links', async () => {
    const first = await server.get('/api/collections/stations/items?limit=2');
    expect(first.body.features).toHaveLength(2);
    const next = first.body.links.find((l: any) => l.rel === 'next');
    expect(next.href).toContain('offset=2');
    const second = await server.get(new URL(next.href).pathname + new URL(next.href).search);
    expect(second.body.features).toHaveLength(1);
    expect(second.body.links.some((l: any) => l.rel === 'next')).toBe(false);
  });

  it.each([
    ['bbox=116.3,39.85,116.5', 'bbox must be four numbers'],
    ['bbox=116.3,39.95,116.5,39.85', 'bbox is inverted'],
    ['bbox=200,39,201,40', 'longitudes must be within'],
    ['bbox=a,b,c,d', 'bbox must be four numbers'],
    ['limit=abc', 'limit'],
    ['limit=100000', 'limit'],
    ['offset=-1', 'offset'],
    ['amenities=microwave,jacuzzi', 'unknown amenity "jacuzzi"'],
    ['kind=castle', 'kind'],
    ['colour=red', 'colour'],
  ])('rejects %s with a 400 naming the problem', async (query, message) => {
    const res = await server.get(`/api/collections/stations/items?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toContain(message);
  });

  it('accepts a bbox that crosses the antimeridian (and finds nothing in Beijing there)', async () => {
    const res = await server.get('/api/collections/stations/items?bbox=170,-10,-170,10');
    expect(res.status).toBe(200);
    expect(res.body.features).toEqual([]);
  });
});

describe('GET /api/collections/stations/items/{fid}', () => {
  it('returns one station with its hours state', async () => {
    const list = await server.get('/api/collections/stations/items?kind=rider_home');
    const id = list.body.features[0].id;
    const res = await server.get(`/api/collections/stations/items/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.properties.name).toBe('酒仙桥骑手之家');
    expect(res.body.properties.hours.always_open).toBe(true);
    expect(res.body.properties.hours.week).toHaveLength(7);
  });

  it('404s a missing station and 400s a non-numeric id', async () => {
    expect((await server.get('/api/collections/stations/items/999999')).status).toBe(404);
    expect((await server.get('/api/collections/stations/items/abc')).status).toBe(400);
  });
});

describe('boundaries', () => {
  it('serves the 16 districts with areas', async () => {
    const res = await server.get('/api/collections/districts/items?simplify=50');
    expect(res.status).toBe(200);
    expect(res.body.features).toHaveLength(16);
    const dongcheng = res.body.features.find((f: any) => f.id === '110101');
    expect(dongcheng.properties.name).toBe('东城区');
    // 东城区 is about 41.8 km².
    expect(dongcheng.properties.area_km2).toBeGreaterThan(38);
    expect(dongcheng.properties.area_km2).toBeLessThan(46);
    // Where the map writes its name: one point inside it (东城 spans ~116.37–116.45 E, 39.86–39.97 N).
    const [lng, lat] = dongcheng.properties.label_point;
    expect(lng).toBeGreaterThan(116.36);
    expect(lng).toBeLessThan(116.46);
    expect(lat).toBeGreaterThan(39.85);
    expect(lat).toBeLessThan(39.98);
  });

  it('serves one district by code and 404s an unknown code', async () => {
    expect((await server.get('/api/collections/districts/items/110108')).body.properties.name).toBe('海淀区');
    expect((await server.get('/api/collections/districts/items/999999')).status).toBe(404);
  });
});

describe('service endpoints', () => {
  it('health, readiness and the OpenAPI document answer', async () => {
    expect((await server.get('/healthz')).status).toBe(200);
    const ready = await server.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.database).toBe(server.database.kind);
    const doc = await server.get('/api/openapi.json');
    expect(doc.body.openapi).toMatch(/^3\.0\./);
    const params = doc.body.paths['/api/collections/stations/items'].get.parameters.map((p: any) => p.name);
    expect(params).toEqual(expect.arrayContaining(['bbox', 'limit', 'amenities', 'kind']));
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await server.get('/api/nope');
    expect(res.status).toBe(404);
    expect(res.body.error).toContain('No such endpoint');
  });
});

describe('compression', () => {
  it('gzips GeoJSON for clients that accept it', async () => {
    const res = await fetch(`${server.baseUrl}/api/collections/districts/items`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    // fetch decompresses transparently: the body is still the whole FeatureCollection.
    expect((await res.json()).features).toHaveLength(16);
  });
});
