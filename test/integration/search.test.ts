import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toWgs84 } from '../../server/geo/coords.js';
import { geodesicDistanceM } from '../../server/geo/geodesic.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;
/** Near 东华门 in 东城 (WGS-84). */
const HERE: [number, number] = [116.3975, 39.9145];

beforeAll(async () => {
  server = await startTestServer();
  const db = server.database.handle.db;
  await newStation(db, {
    name: '东华门暖心驿站',
    address: '东城区东华门大街 1 号',
    lng: 116.398,
    lat: 39.914,
  });
  // Same words, farther away: ranked after the near one.
  await newStation(db, { name: '东华门社区服务站', lng: 116.45, lat: 39.95 });
  await newStation(db, {
    name: '王府井户外劳动者港湾',
    name_en: 'Wangfujing Outdoor Workers Haven',
    address: '东城区王府井大街 88 号',
    lng: 116.41,
    lat: 39.915,
  });
  await newStation(db, { name: '绿色家园驿站', lng: 116.3, lat: 39.95 });
  // Read in context: 什 is shen alone but shi in 什刹海, 行 xing alone but hang in 银行.
  await newStation(db, { name: '什刹海银行网点驿站', lng: 116.385, lat: 39.94 });
});

afterAll(async () => {
  await server?.close();
});

const find = (query: string, init?: RequestInit) => server.get(`/api/search?${query}`, init);
const names = (body: any) => body.results.map((r: any) => r.name);

describe('GET /api/search: stations', () => {
  it('finds a station by its name, nearest first among equally relevant ones', async () => {
    const res = await find(`q=${encodeURIComponent('东华门')}&near=${HERE.join(',')}`);
    expect(res.status).toBe(200);
    const stations = res.body.results.filter((r: any) => r.type === 'station');
    expect(stations.map((s: any) => s.name)).toEqual(['东华门暖心驿站', '东华门社区服务站']);
    expect(stations[0]).toMatchObject({ match: 'name', lng: 116.398, lat: 39.914 });
    expect(stations[0].distance_m).toBe(
      Math.round(geodesicDistanceM(HERE[0], HERE[1], 116.398, 39.914)),
    );
    expect(stations[0].distance_m).toBeLessThan(stations[1].distance_m);
    expect(typeof res.body.stations_version).toBe('number');
  });

  it('finds it by pinyin initials (dhm) and by full pinyin, spaces and case ignored', async () => {
    const initials = await find(`q=dhm&near=${HERE.join(',')}`);
    expect(initials.status).toBe(200);
    const first = initials.body.results.find((r: any) => r.type === 'station');
    expect(first).toMatchObject({ name: '东华门暖心驿站', match: 'initials' });
    const full = await find(`q=${encodeURIComponent('Dong Hua Men')}`);
    expect(names(full.body)).toContain('东华门暖心驿站');
    expect(full.body.results.find((r: any) => r.name === '东华门暖心驿站').match).toBe('pinyin');
    // ü is typed as v.
    const lv = await find('q=lvse');
    expect(names(lv.body)).toContain('绿色家园驿站');
  });

  it('finds a name with polyphonic characters by its reading in context', async () => {
    for (const q of ['shichahai', 'yinhang', 'schyh']) {
      expect(names((await find(`q=${q}`)).body), q).toContain('什刹海银行网点驿站');
    }
  });

  it('finds by address and by English name; a whole-name match ranks first', async () => {
    const address = await find(`q=${encodeURIComponent('王府井大街')}`);
    expect(address.body.results[0]).toMatchObject({ name: '王府井户外劳动者港湾', match: 'address' });
    const english = await find('q=wangfujing%20outdoor');
    expect(english.body.results[0]).toMatchObject({ name: '王府井户外劳动者港湾', match: 'name' });
    const exact = await find(`q=${encodeURIComponent('东华门社区服务站')}&near=${HERE.join(',')}`);
    expect(exact.body.results[0].name).toBe('东华门社区服务站');
  });

  it('keeps to the limit', async () => {
    const res = await find(`q=${encodeURIComponent('驿站')}&limit=1`);
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(1);
  });

  it('sees a station added after the first search (a new snapshot, a new index)', async () => {
    expect(names((await find(`q=${encodeURIComponent('新开张')}`)).body)).toEqual([]);
    await newStation(server.database.handle.db, { name: '新开张驿站', lng: 116.39, lat: 39.92 });
    let found: string[] = [];
    for (let i = 0; i < 40 && found.length === 0; i++) {
      found = names((await find(`q=xkz`)).body).filter((n: string) => n === '新开张驿站');
      if (found.length === 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(found).toEqual(['新开张驿站']);
  });
});

describe('GET /api/search: areas', () => {
  it('finds a district by its name and by initials, with its extent to fit the map to', async () => {
    const res = await find(`q=${encodeURIComponent('东城区')}`);
    expect(res.status).toBe(200);
    const area = res.body.results[0];
    expect(area).toMatchObject({ type: 'area', code: '110101', level: 'district', name: '东城区' });
    const [x0, y0, x1, y1] = area.bbox;
    expect(x0).toBeLessThan(116.4);
    expect(x1).toBeGreaterThan(116.4);
    expect(y0).toBeLessThan(39.92);
    expect(y1).toBeGreaterThan(39.92);
    const initials = await find('q=dcq');
    expect(initials.body.results.some((r: any) => r.code === '110101')).toBe(true);
    // An area picker asks for areas only: stations named after the district do not crowd them out.
    const areasOnly = await find(`q=${encodeURIComponent('东城')}&type=area`);
    expect(areasOnly.body.results.length).toBeGreaterThan(0);
    expect(areasOnly.body.results.every((r: any) => r.type === 'area')).toBe(true);
    expect(areasOnly.body.results[0]).toMatchObject({ code: '110101' });
    const stationsOnly = await find(`q=${encodeURIComponent('东城')}&type=station`);
    expect(stationsOnly.body.results.every((r: any) => r.type === 'station')).toBe(true);
  });

  it('finds a sub-district when they are loaded (shared boundary files)', async (ctx) => {
    const res = await find(`q=${encodeURIComponent('东华门街道')}`);
    const area = res.body.results.find((r: any) => r.type === 'area');
    if (!area) ctx.skip();
    expect(area).toMatchObject({ level: 'subdistrict', code: '110101001000', parent_code: '110101' });
    expect(res.body.results[0]).toEqual(area);
  });
});

describe('GET /api/search: coordinates', () => {
  it('reads GCJ-02 as copied from Amap and converts it to WGS-84 within a metre of coords.ts', async () => {
    const typed: [number, number] = [116.404, 39.915];
    const expected = toWgs84(typed, 'GCJ02');
    for (const q of ['gcj:116.404,39.915', '高德：116.404，39.915', 'GCJ-02 116.404 39.915']) {
      const res = await find(`q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
      expect(res.body.results).toHaveLength(1);
      const c = res.body.results[0];
      expect(c).toMatchObject({ type: 'coordinate', datum: 'GCJ02', input: typed });
      expect(geodesicDistanceM(c.lng, c.lat, expected[0], expected[1])).toBeLessThan(1);
      // The shift is real (hundreds of metres), so a wrong datum would show.
      expect(geodesicDistanceM(c.lng, c.lat, typed[0], typed[1])).toBeGreaterThan(100);
    }
  });

  it('reads BD-09, WGS-84, lat-first pairs and the apps’ links', async () => {
    const bd = (await find(`q=${encodeURIComponent('bd:116.41,39.92')}`)).body.results[0];
    const bdExpected = toWgs84([116.41, 39.92], 'BD09');
    expect(bd.datum).toBe('BD09');
    expect(geodesicDistanceM(bd.lng, bd.lat, bdExpected[0], bdExpected[1])).toBeLessThan(1);
    const wgs = (await find('q=116.39,39.91')).body.results[0];
    expect(wgs).toMatchObject({ datum: 'WGS84', lng: 116.39, lat: 39.91, lat_first: false });
    const latFirst = (await find(`q=${encodeURIComponent('39.91, 116.39')}`)).body.results[0];
    expect(latFirst).toMatchObject({ lng: 116.39, lat: 39.91, lat_first: true });
    const amap = (
      await find(`q=${encodeURIComponent('https://uri.amap.com/marker?position=116.404,39.915')}`)
    ).body.results[0];
    expect(amap).toMatchObject({ datum: 'GCJ02', input: [116.404, 39.915] });
  });
});

describe('GET /api/search: bad input is a 400 in the page’s language', () => {
  it('caps limit and q length, checks near and coordinates', async () => {
    const cases: Array<[string, string]> = [
      ['q=abc&limit=51', 'limit'],
      ['q=abc&limit=0', 'limit'],
      [`q=${'a'.repeat(65)}`, '64'],
      ['limit=5', '请输入'],
      ['q=abc&near=abc', 'near'],
      ['q=abc&near=190,40', 'near'],
      [`q=${encodeURIComponent('gcj:200,39.9')}`, '坐标超出范围'],
      [`q=${encodeURIComponent('gcj:abc')}`, '无法识别坐标'],
      ['q=%20%20', '空格'],
      ['q=abc&k=3', '不支持的参数'],
      ['q=abc&type=poi', 'type'],
    ];
    for (const [query, fragment] of cases) {
      const res = await find(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error, query).toContain(fragment);
    }
    // The longest accepted query is fine.
    expect((await find(`q=${'a'.repeat(64)}`)).status).toBe(200);
    expect((await find('q=abc&limit=50')).status).toBe(200);
  });

  it('answers in English for lang=en or an English browser', async () => {
    const byParam = await find('q=abc&limit=99&lang=en');
    expect(byParam.body.error).toBe('limit must be a whole number from 1 to 50');
    const byHeader = await find('q=abc&limit=99', { headers: { 'Accept-Language': 'en-GB,en;q=0.9' } });
    expect(byHeader.body.error).toBe('limit must be a whole number from 1 to 50');
    const chinese = await find('q=abc&limit=99', { headers: { 'Accept-Language': 'zh-CN,zh;q=0.9' } });
    expect(chinese.body.error).toBe('limit 应为 1 到 50 之间的整数');
  });

  it('is documented in the OpenAPI document with its caps', async () => {
    const doc = (await server.get('/api/openapi.json')).body;
    const params = doc.paths['/api/search'].get.parameters;
    const byName = Object.fromEntries(params.map((p: any) => [p.name, p]));
    expect(byName.limit.schema.maximum).toBe(50);
    expect(byName.q.schema.maxLength).toBe(64);
    expect(byName.q.description).toMatch(/gcj/);
  });
});
