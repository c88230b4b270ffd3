import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../server/db/client.js';
import { toWgs84 } from '../../server/geo/coords.js';
import { countStations } from '../../server/modules/stations/stations.repository.js';
import { createUser, loginAs, type LoggedIn } from '../setup/auth.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;
let admin: LoggedIn;
let planner: LoggedIn;
let manager: LoggedIn;

const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

beforeAll(async () => {
  server = await startTestServer();
  const db = server.database.handle.db;
  const own = await newStation(db, {
    lng: 116.3,
    lat: 39.9,
    name: '经理的驿站',
  });
  await createUser(db, {
    username: 'bulk-admin',
    password: 'admin-password-1',
    role: 'admin',
  });
  await createUser(db, {
    username: 'bulk-planner',
    password: 'planner-password-1',
    role: 'planner',
  });
  await createUser(db, {
    username: 'bulk-manager',
    password: 'manager-password-1',
    role: 'manager',
    stationIds: [own.id],
  });
  admin = await loginAs(server, 'bulk-admin', 'admin-password-1');
  planner = await loginAs(server, 'bulk-planner', 'planner-password-1');
  manager = await loginAs(server, 'bulk-manager', 'manager-password-1');
});

afterAll(async () => {
  await server?.close();
});

const db = () => server.database.handle.db;

function upload(query: string, body: BodyInit, contentType: string, who: LoggedIn | null = admin) {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (who)
    Object.assign(headers, {
      cookie: who.cookie,
      'x-csrf-token': who.csrfToken,
    });
  return server.request(`/api/stations/import?${query}`, {
    method: 'POST',
    headers,
    body,
  });
}

async function download(query: string, who: LoggedIn = admin) {
  const res = await fetch(`${server.baseUrl}/api/stations/export?${query}`, {
    headers: { cookie: who.cookie },
  });
  return {
    status: res.status,
    headers: res.headers,
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

interface StoredStation {
  id: number;
  external_id: string | null;
  name: string;
  kind: string;
  lng: number;
  lat: number;
  amenities: Record<string, string>;
  opening_hours: string | null;
  seats: number | null;
  version: number;
  district_code: string | null;
}

async function stationByExternalId(externalId: string): Promise<StoredStation | undefined> {
  const rows = await queryRows<StoredStation>(
    db(),
    sql`select id, external_id, name, kind, ST_X(geom) as lng, ST_Y(geom) as lat, amenities,
          opening_hours, seats, version, district_code
        from stations where external_id = ${externalId}`,
  );
  return rows[0];
}

/** Great-circle distance in metres, enough for "about 500 m" checks. */
function metresBetween([lng1, lat1]: [number, number], [lng2, lat2]: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 6_371_000 * 2 * Math.asin(Math.sqrt(a));
}

const HEADER = '编号,名称,类型,地址,经度,纬度,开放时间,电话,座位数,热水,微波炉,充电';

describe('POST /api/stations/import — CSV', () => {
  it('imports Chinese headers, amenity marks and kinds, and derives the district', async () => {
    const csv = [
      HEADER,
      'DC-001,东单暖心驿站,暖心驿站,"东城区东单北大街1号, 近地铁",116.4177,39.9143,Mo-Su 08:00-20:00,010-65000000,6,有,✓,故障',
      'DC-002,王府井骑手之家,rider_home,,116.4108,39.9151,24/7,,,是,,缺货',
    ].join('\r\n');
    const res = await upload('format=csv', csv, CSV);
    expect(res.status).toBe(200);
    expect(res.body.summary).toMatchObject({
      rows: 2,
      inserted: 2,
      updated: 0,
      errors: 0,
    });
    expect(res.body.rows.map((r: any) => [r.row, r.action])).toEqual([
      [2, 'insert'],
      [3, 'insert'],
    ]);
    const first = (await stationByExternalId('DC-001'))!;
    expect(first.name).toBe('东单暖心驿站');
    expect(first.kind).toBe('warm_post');
    expect(first.seats).toBe(6);
    expect(first.amenities).toEqual({
      hot_water: 'available',
      microwave: 'available',
      phone_charging: 'out_of_order',
    });
    expect(first.district_code).toBe('110101');
    expect(Math.abs(first.lng - 116.4177)).toBeLessThan(1e-9);
    const second = (await stationByExternalId('DC-002'))!;
    expect(second.kind).toBe('rider_home');
    expect(second.amenities).toEqual({
      hot_water: 'available',
      phone_charging: 'out_of_stock',
    });
  });

  it('reads a GBK-encoded CSV as Excel in China saves it', async () => {
    // "编号,名称,经度,纬度\r\nGBK-1,海淀黄庄驿站,116.3175,39.9760\r\n" encoded as GB18030 (GBK).
    const gbBytes = Buffer.from(
      'b1e0bac52cc3fbb3c62cbeadb6c82cceb3b6c80d0a47424b2d312cbaa3b5edbbc6d7afe6e4d5be2c3131362e333137352c33392e393736300d0a',
      'hex',
    );
    const res = await upload('format=csv&dry_run=true', gbBytes, CSV);
    expect(res.status).toBe(200);
    expect(res.body.notes.join(' ')).toContain('GB18030');
    expect(res.body.rows[0]).toMatchObject({
      external_id: 'GBK-1',
      action: 'insert',
    });
  });

  it('uses a column mapping for headers it does not know', async () => {
    const csv = '我们的编号,站名,东经,北纬,饮水机\nMAP-1,映射测试驿站,116.35,39.92,1\n';
    const mapping = encodeURIComponent(
      JSON.stringify({
        external_id: '我们的编号',
        name: '站名',
        lng: '东经',
        lat: '北纬',
        hot_water: '饮水机',
      }),
    );
    const res = await upload(`format=csv&mapping=${mapping}`, csv, CSV);
    expect(res.status).toBe(200);
    expect(res.body.columns.mapping).toMatchObject({
      name: '站名',
      lng: '东经',
      hot_water: '饮水机',
    });
    const stored = (await stationByExternalId('MAP-1'))!;
    expect(stored.name).toBe('映射测试驿站');
    expect(stored.amenities).toEqual({ hot_water: 'available' });
  });

  it('rejects a mapping naming an unknown field or a missing column', async () => {
    const csv = '名称,经度,纬度\n甲,116.3,39.9\n';
    const unknown = await upload(
      `format=csv&mapping=${encodeURIComponent('{"colour":"名称"}')}`,
      csv,
      CSV,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toContain('unknown field "colour"');
    const missing = await upload(
      `format=csv&mapping=${encodeURIComponent('{"name":"站名"}')}`,
      csv,
      CSV,
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error).toContain('"站名" (for name) is not in the file');
    const notJson = await upload('format=csv&mapping=name', csv, CSV);
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toContain('mapping must be JSON');
  });

  it('converts GCJ-02 input to WGS-84 (a shift of about 500 m in Beijing)', async () => {
    const gcj: [number, number] = [116.404, 39.915];
    const csv = `编号,名称,经度,纬度\nGCJ-1,火星坐标驿站,${gcj[0]},${gcj[1]}\n`;
    const res = await upload('format=csv&crs=GCJ02', csv, CSV);
    expect(res.status).toBe(200);
    const stored = (await stationByExternalId('GCJ-1'))!;
    const shift = metresBetween(gcj, [stored.lng, stored.lat]);
    expect(shift).toBeGreaterThan(300);
    expect(shift).toBeLessThan(800);
    const expected = toWgs84(gcj, 'GCJ02');
    expect(metresBetween(expected, [stored.lng, stored.lat])).toBeLessThan(0.05);
    // WGS-84 lies south-west of GCJ-02 in Beijing.
    expect(stored.lng).toBeLessThan(gcj[0]);
    expect(stored.lat).toBeLessThan(gcj[1]);
  });

  it('converts BD-09 input too', async () => {
    const csv = '编号,名称,经度,纬度\nBD-1,百度坐标驿站,116.410,39.921\n';
    expect((await upload('format=csv&crs=bd09', csv, CSV)).status).toBe(200);
    const stored = (await stationByExternalId('BD-1'))!;
    expect(metresBetween(toWgs84([116.41, 39.921], 'BD09'), [stored.lng, stored.lat])).toBeLessThan(
      0.05,
    );
    expect(metresBetween([116.41, 39.921], [stored.lng, stored.lat])).toBeGreaterThan(800);
  });

  it('dry run reports per-row actions and writes nothing', async () => {
    const before = await countStations(db());
    const csv = `${HEADER}\nDRY-1,试运行驿站,,,116.39,39.90,24/7,,,有,,\nDC-001,东单暖心驿站（改名）,,,116.4177,39.9143,,,,,,\n`;
    const res = await upload('format=csv&dry_run=true', csv, CSV);
    expect(res.status).toBe(200);
    expect(res.body.dry_run).toBe(true);
    expect(res.body.committed).toBe(false);
    expect(res.body.rows.map((r: any) => r.action)).toEqual(['insert', 'update']);
    expect(await countStations(db())).toBe(before);
    expect(await stationByExternalId('DRY-1')).toBeUndefined();
    expect((await stationByExternalId('DC-001'))!.name).toBe('东单暖心驿站');
  });

  it('a file with one bad row among good ones changes nothing and names the row and field', async () => {
    const before = await countStations(db());
    const csv = [
      HEADER,
      'BAD-1,好驿站一,,,116.39,39.90,24/7,,,有,,',
      'BAD-2,坏驿站,茶馆,,116.39,39.91,Mo-Fr 25:00-26:00,,-3,也许,,',
      'BAD-3,好驿站三,,,116.40,39.92,24/7,,,,,',
      'DC-002,王府井骑手之家（应不变）,,,116.4108,39.9151,,,,,,',
    ].join('\n');
    const res = await upload('format=csv', csv, CSV);
    expect(res.status).toBe(400);
    expect(res.body.error).toContain('nothing was imported');
    expect(res.body.committed).toBe(false);
    const bad = res.body.rows.find((r: any) => r.row === 3);
    expect(bad.action).toBe('error');
    const fields = bad.problems.map((p: any) => p.field).sort();
    expect(fields).toEqual(['hot_water', 'kind', 'opening_hours', 'seats']);
    expect(res.body.rows.filter((r: any) => r.action === 'error')).toHaveLength(1);
    expect(await countStations(db())).toBe(before);
    expect(await stationByExternalId('BAD-1')).toBeUndefined();
    expect((await stationByExternalId('DC-002'))!.name).toBe('王府井骑手之家');
  });

  it('an error found while matching (unknown station id) also writes nothing', async () => {
    const before = await countStations(db());
    const csv =
      '系统ID,编号,名称,经度,纬度\n,OK-1,好驿站,116.39,39.90\n999999,OK-2,不存在的站,116.39,39.91\n';
    const res = await upload('format=csv', csv, CSV);
    expect(res.status).toBe(400);
    expect(res.body.rows[1].problems).toEqual([
      { field: 'station_id', problem: 'there is no station 999999' },
    ]);
    expect(res.body.rows[0].action).toBe('insert');
    expect(await countStations(db())).toBe(before);
    expect(await stationByExternalId('OK-1')).toBeUndefined();
  });

  it('reports duplicate external ids, missing names and unreadable coordinates per row', async () => {
    const csv =
      '编号,名称,经度,纬度\nDUP,甲,116.3,39.9\nDUP,乙,116.3,39.9\nNEW-X,,116.3,39.9\nNEW-Y,丙,东经116,39.9\nNEW-Z,丁,39.9,116.3\nSH-1,上海的驿站,121.47,31.23\n';
    const res = await upload('format=csv&dry_run=true', csv, CSV);
    expect(res.status).toBe(200);
    const problems = Object.fromEntries(
      res.body.rows.map((r: any) => [
        r.row,
        r.problems.map((p: any) => `${p.field}: ${p.problem}`).join('; '),
      ]),
    );
    expect(problems[2]).toBe('');
    expect(problems[3]).toContain('also appears on row 2');
    expect(problems[4]).toContain('name');
    expect(problems[5]).toContain('lng: "东经116" is not a number');
    expect(problems[6]).toContain('look swapped');
    expect(problems[7]).toContain('is outside the region: not in or within 5 km of a loaded area (longitude 115.4');
  });

  it('warns, without rejecting, about a position outside every area but within the region margin', async () => {
    const csv = '编号,名称,经度,纬度\nTJ-1,北京南边界外2公里的驿站,116.4283,39.4235\n';
    const res = await upload('format=csv&dry_run=true', csv, CSV);
    expect(res.status).toBe(200);
    expect(res.body.rows[0].action).toBe('insert');
    expect(res.body.rows[0].warnings[0].problem).toContain('outside every loaded area');
    expect(res.body.summary.warnings).toBe(1);
    const real = await upload('format=csv', csv, CSV);
    expect(real.status).toBe(200);
    expect(real.body.rows[0].warnings[0].problem).toMatch(
      /outside every loaded area \(\d+\.\d km/,
    );
    expect((await stationByExternalId('TJ-1'))!.district_code).toBeNull();
  });

  it('upserts by external id: updates in place, bumps the version and records the change', async () => {
    const original = (await stationByExternalId('DC-001'))!;
    const csv = '编号,开放时间,微波炉\nDC-001,Mo-Fr 07:00-19:00,无\n';
    const res = await upload('format=csv', csv, CSV);
    expect(res.status).toBe(200);
    expect(res.body.rows[0]).toMatchObject({
      action: 'update',
      station_id: original.id,
    });
    const updated = (await stationByExternalId('DC-001'))!;
    expect(updated.id).toBe(original.id);
    expect(updated.version).toBe(original.version + 1);
    expect(updated.opening_hours).toBe('Mo-Fr 07:00-19:00');
    // Columns the file lacks are unchanged; the amenity column given clears microwave only.
    expect(updated.name).toBe(original.name);
    expect(updated.amenities).toEqual({
      hot_water: 'available',
      phone_charging: 'out_of_order',
    });
    const [change] = await queryRows<{
      action: string;
      username: string;
      changes: any;
      version: number;
    }>(
      db(),
      sql`select action, username, changes, version from station_changes
          where station_id = ${original.id} order by id desc limit 1`,
    );
    expect(change).toMatchObject({
      action: 'import',
      username: 'bulk-admin',
      version: updated.version,
    });
    expect(change!.changes.opening_hours).toEqual({
      before: 'Mo-Su 08:00-20:00',
      after: 'Mo-Fr 07:00-19:00',
    });
    expect(Object.keys(change!.changes).sort()).toEqual(['amenities', 'opening_hours']);
  });

  it("records a move in the editor's history form, so the editor can revert an import", async () => {
    const before = (await stationByExternalId('DC-002'))!;
    const csv = '编号,经度,纬度\nDC-002,116.3105,39.9925\n'; // to 中关村, 海淀
    const res = await upload('format=csv', csv, CSV);
    expect(res.status).toBe(200);
    const moved = (await stationByExternalId('DC-002'))!;
    expect(moved.district_code).toBe('110108');
    const history = await server.get(`/api/stations/${before.id}/history`, {
      headers: { cookie: admin.cookie },
    });
    expect(history.status).toBe(200);
    const entry = history.body.changes[0];
    expect(entry.action).toBe('import');
    expect(entry.changes.location.before).toEqual([before.lng, before.lat]);
    expect(entry.changes.location.after).toEqual([116.3105, 39.9925]);
    expect(entry.changes.district_code).toEqual({ before: '110101', after: '110108' });
    const revert = await server.request(`/api/stations/${before.id}/revert/${entry.id}`, {
      method: 'POST',
      headers: { ...admin.headers, 'if-match': `"${moved.version}"` },
    });
    expect(revert.status).toBe(200);
    const restored = (await stationByExternalId('DC-002'))!;
    expect([restored.lng, restored.lat]).toEqual([before.lng, before.lat]);
    expect(restored.district_code).toBe('110101');
  });

  it('a NUL in a cell or over-long hours are row problems in the dry run, and the commit is a 400', async () => {
    const csv = `编号,名称,经度,纬度,开放时间\nNUL-1,甲\u0000乙,116.3,39.9,24/7\nNUL-2,丙,116.3,39.9,${'Mo-Fr 08:00-18:00; '.repeat(10_000)}\n`;
    const dry = await upload('format=csv&dry_run=true', csv, CSV);
    expect(dry.status).toBe(200);
    expect(dry.body.rows.map((r: any) => [r.row, r.action, r.problems.map((p: any) => p.field)])).toEqual([
      [2, 'error', ['name']],
      [3, 'error', ['opening_hours']],
    ]);
    expect(dry.body.rows[1].problems[0].problem).toBe('longer than 1000 characters');
    const commit = await upload('format=csv', csv, CSV);
    expect(commit.status).toBe(400);
    expect(commit.body.summary.errors).toBe(2);
    const geojson = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [116.3, 39.9] },
          properties: { external_id: 'NUL-3', name: '丁', address: 'a\u0000' },
        },
      ],
    });
    const viaGeoJson = await upload('format=geojson', geojson, 'application/geo+json');
    expect(viaGeoJson.status).toBe(400);
    expect(viaGeoJson.body.rows[0].problems[0]).toMatchObject({ field: 'address' });
    expect(await stationByExternalId('NUL-1')).toBeUndefined();
  });

  it('rejects broken CSV quoting with the line it starts on', async () => {
    const res = await upload(
      'format=csv',
      '名称,经度,纬度\n"未闭合,116.3,39.9\n乙,116.3,39.9\n',
      CSV,
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toContain('line 2');
    const stray = await upload('format=csv', '名称,经度,纬度\n"甲"乙,116.3,39.9\n', CSV);
    expect(stray.status).toBe(400);
    expect(stray.body.error).toContain('after a closing quote');
  });

  it('says which columns are missing when nothing locates the stations', async () => {
    const res = await upload('format=csv', '名字,位置\n甲,东城\n', CSV);
    expect(res.status).toBe(400);
    expect(res.body.error).toContain('No longitude/latitude columns found');
    expect(res.body.error).toContain('名字, 位置');
  });
});

describe('POST /api/stations/import — xlsx and GeoJSON', () => {
  it('imports an .xlsx workbook with Chinese headers', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('驿站');
    sheet.addRow(['站点编号', '站点名称', '经度', '纬度', '开放时间', '座位数', '热水', '充电']);
    sheet.addRow(['XL-1', '朝阳门驿站', 116.4346, 39.9244, 'Mo-Sa 09:00-18:00', 4, '有', 1]);
    sheet.addRow([]);
    sheet.addRow([
      'XL-2',
      { richText: [{ text: '建国门' }, { text: '驿站' }] },
      116.4357,
      39.9087,
      '24/7',
      null,
      '√',
      '',
    ]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await upload('format=xlsx', bytes, XLSX);
    expect(res.status).toBe(200);
    expect(res.body.rows.map((r: any) => [r.row, r.action])).toEqual([
      [2, 'insert'],
      [4, 'insert'],
    ]);
    const first = (await stationByExternalId('XL-1'))!;
    expect(first.seats).toBe(4);
    expect(first.amenities).toEqual({
      hot_water: 'available',
      phone_charging: 'available',
    });
    expect((await stationByExternalId('XL-2'))!.name).toBe('建国门驿站');
  });

  it('rejects bytes that are not an xlsx workbook', async () => {
    const res = await upload('format=xlsx', Buffer.from('名称,经度\n甲,1\n'), XLSX);
    expect(res.status).toBe(400);
    expect(res.body.error).toContain('not an .xlsx workbook');
    const zipButBroken = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04]),
      Buffer.alloc(64, 7),
    ]);
    const broken = await upload('format=xlsx', zipButBroken, XLSX);
    expect(broken.status).toBe(400);
    expect(broken.body.error).toContain('could not be read');
  });

  it('imports a GeoJSON FeatureCollection with an amenities object', async () => {
    const collection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [116.3105, 39.9925] },
          properties: {
            external_id: 'GJ-1',
            name: '中关村驿站',
            kind: 'smart_24h',
            amenities: { hot_water: 'available', microwave: 'out_of_order' },
          },
        },
        {
          type: 'Feature',
          geometry: { type: 'LineString', coordinates: [] },
          properties: { name: '线' },
        },
      ],
    };
    const dry = await upload(
      'format=geojson&dry_run=true',
      JSON.stringify(collection),
      'application/geo+json',
    );
    expect(dry.status).toBe(200);
    expect(dry.body.rows[1].problems[0]).toMatchObject({ field: 'geometry' });
    collection.features.pop();
    const res = await upload('', JSON.stringify(collection), 'application/geo+json');
    expect(res.status).toBe(200);
    const stored = (await stationByExternalId('GJ-1'))!;
    expect(stored.kind).toBe('smart_24h');
    expect(stored.amenities).toEqual({
      hot_water: 'available',
      microwave: 'out_of_order',
    });
  });

  it('rejects invalid GeoJSON with a message', async () => {
    const notJson = await upload(
      'format=geojson',
      '{"type": "FeatureCollection", "features": [',
      'application/geo+json',
    );
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toContain('not valid JSON');
    const notCollection = await upload(
      'format=geojson',
      '{"type":"Point","coordinates":[1,2]}',
      'application/geo+json',
    );
    expect(notCollection.status).toBe(400);
    expect(notCollection.body.error).toContain('must be a FeatureCollection');
  });

  it('refuses a body over the size limit with a 413 JSON message', async () => {
    const big = Buffer.alloc(21 * 1024 * 1024, 0x41);
    const res = await upload('format=csv', big, CSV);
    expect(res.status).toBe(413);
    expect(res.body.error).toContain('20 MB');
  });
});

describe('GET /api/stations/export and the round trip', () => {
  // TAB/CR-leading cells are covered by the unit tests (an import trims cells, so they cannot round-trip).
  it('escapes formula-leading text in CSV and xlsx, keeps numbers numeric, and round-trips', async () => {
    const evil = '-1+HYPERLINK("http://evil.example","点此核对")';
    await newStation(db(), {
      lng: 116.40001,
      lat: 39.90001,
      name: evil,
      external_id: 'FX-1',
      address: '=1+1',
      location_note: '@SUM(A1)',
    });
    const csv = (await download('format=csv')).bytes.toString('utf8');
    const line = csv.split('\r\n').find((l) => l.includes('FX-1'))!;
    expect(line).toContain(`"'-1+HYPERLINK(""http://evil.example"",""点此核对"")"`);
    expect(line).toContain(`,'=1+1,`);
    expect(line).toContain(`,'@SUM(A1),`);
    expect(line).toContain(',116.40001,39.90001,'); // numbers stay numbers
    const xlsx = await download('format=xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    let found = false;
    sheet.eachRow((row) => {
      if (row.getCell(header.indexOf('编号')).value !== 'FX-1') return;
      found = true;
      expect(row.getCell(header.indexOf('名称')).value).toBe(`'${evil}`);
      expect(row.getCell(header.indexOf('地址')).value).toBe(`'=1+1`);
      expect(row.getCell(header.indexOf('经度')).value).toBe(116.40001);
      expect(typeof row.getCell(header.indexOf('系统ID')).value).toBe('number');
    });
    expect(found).toBe(true);
    for (const [body, type, format] of [
      [Buffer.from(csv), CSV, 'csv'],
      [xlsx.bytes, XLSX, 'xlsx'],
    ] as const) {
      const res = await upload(`format=${format}&dry_run=true`, body, type);
      expect(res.status).toBe(200);
      const row = res.body.rows.find((r: any) => r.external_id === 'FX-1');
      expect(row.action).toBe('unchanged');
    }
  });

  it('exports CSV with a UTF-8 BOM and the import headers', async () => {
    const res = await download('format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(
      /attachment; filename="stations-\d{8}-WGS84\.csv"/,
    );
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = res.bytes.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toContain(
      '系统ID,编号,名称,英文名称,类型,地址,经度,纬度,开放时间',
    );
    expect(text).toContain('东单暖心驿站');
    expect(text).toContain('"东城区东单北大街1号, 近地铁"');
  });

  it('filters by district', async () => {
    const dongcheng = (await download('format=geojson&district=110101')).bytes.toString('utf8');
    const features = JSON.parse(dongcheng).features as any[];
    expect(features.length).toBeGreaterThan(0);
    expect(features.every((f) => f.properties.district_code === '110101')).toBe(true);
    expect(features.some((f) => f.properties.external_id === 'GJ-1')).toBe(false); // 海淀
  });

  for (const [format, type] of [
    ['csv', CSV],
    ['xlsx', XLSX],
    ['geojson', 'application/geo+json'],
  ] as const) {
    it(`re-imports its own ${format} export unchanged`, async () => {
      const before = await countStations(db());
      const exported = await download(`format=${format}`);
      expect(exported.status).toBe(200);
      const res = await upload(`format=${format}`, exported.bytes, type);
      expect(res.status).toBe(200);
      expect(res.body.summary).toMatchObject({
        rows: before,
        inserted: 0,
        updated: 0,
        errors: 0,
      });
      expect(res.body.summary.unchanged).toBe(before);
      expect(await countStations(db())).toBe(before);
    });
  }

  it('round-trips through GCJ-02 when exported and imported with the same crs', async () => {
    const exported = await download('format=csv&crs=GCJ02');
    const res = await upload('format=csv&crs=GCJ02', exported.bytes, CSV);
    expect(res.status).toBe(200);
    expect(res.body.summary.updated).toBe(0);
    expect(res.body.summary.errors).toBe(0);
  });

  it('applies an edited export: changed cells update, the rest stay', async () => {
    const exported = (await download('format=csv')).bytes.toString('utf8');
    const edited = exported.replace('东单暖心驿站', '东单暖心驿站（新址）');
    const res = await upload('format=csv', edited, CSV);
    expect(res.status).toBe(200);
    expect(res.body.summary.updated).toBe(1);
    expect((await stationByExternalId('DC-001'))!.name).toBe('东单暖心驿站（新址）');
  });
});

describe('re-importing an old export (optimistic concurrency)', () => {
  async function managerSetsHours(hours: string) {
    const [own] = await queryRows<{ id: number; version: number }>(
      db(),
      sql`select id, version from stations where name = '经理的驿站'`,
    );
    const res = await server.request(`/api/stations/${own!.id}`, {
      method: 'PATCH',
      headers: { ...manager.headers, 'if-match': `"${own!.version}"` },
      body: JSON.stringify({ opening_hours: hours }),
    });
    expect(res.status).toBe(200);
    return own!.id;
  }
  const hoursOf = async (id: number) =>
    (await queryRows<{ h: string }>(db(), sql`select opening_hours as h from stations where id = ${id}`))[0]!.h;

  it("is a conflict naming the field and both values; applied only with on_conflict=overwrite", async () => {
    const old = (await download('format=csv')).bytes;
    expect(old.toString('utf8').split('\r\n')[0]).toContain('版本');
    const id = await managerSetsHours('Mo-Fr 09:00-17:00');
    const dry = await upload('format=csv&dry_run=true', old, CSV);
    expect(dry.status).toBe(200);
    expect(dry.body.summary.conflicts).toBe(1);
    expect(dry.body.summary.updated).toBe(0);
    const row = dry.body.rows.find((r: any) => r.station_id === id);
    expect(row.action).toBe('conflict');
    expect(row.problems).toHaveLength(1);
    expect(row.problems[0].field).toBe('opening_hours');
    expect(row.problems[0].problem).toContain('"24/7"');
    expect(row.problems[0].problem).toContain('"Mo-Fr 09:00-17:00"');
    const refused = await upload('format=csv', old, CSV);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain('on_conflict=overwrite');
    expect(await hoursOf(id)).toBe('Mo-Fr 09:00-17:00');
    const forced = await upload('format=csv&on_conflict=overwrite', old, CSV);
    expect(forced.status).toBe(200);
    expect(forced.body.summary.updated).toBe(1);
    expect(await hoursOf(id)).toBe('24/7');
  });

  it('a file without a version column keeps the old behaviour (last write wins)', async () => {
    const id = await managerSetsHours('Mo-Sa 10:00-16:00');
    const res = await upload('format=csv', `系统ID,开放时间\n${id},24/7\n`, CSV);
    expect(res.status).toBe(200);
    expect(res.body.summary.updated).toBe(1);
    expect(await hoursOf(id)).toBe('24/7');
  });
});

describe('authorisation', () => {
  const csv = '名称,经度,纬度\n甲,116.3,39.9\n';

  it('anonymous requests get 401', async () => {
    expect((await upload('format=csv', csv, CSV, null)).status).toBe(401);
    const res = await server.get('/api/stations/export?format=csv');
    expect(res.status).toBe(401);
    expect(res.body.error).toBeTruthy();
  });

  it('managers get 403 on import and export; planners may export only', async () => {
    expect((await upload('format=csv', csv, CSV, manager)).status).toBe(403);
    expect((await download('format=csv', manager)).status).toBe(403);
    expect((await upload('format=csv', csv, CSV, planner)).status).toBe(403);
    expect((await download('format=csv', planner)).status).toBe(200);
  });

  it('a cookie-authenticated import without the CSRF token is refused', async () => {
    const res = await server.request('/api/stations/import?format=csv', {
      method: 'POST',
      headers: { 'content-type': CSV, cookie: admin.cookie },
      body: csv,
    });
    expect(res.status).toBe(403);
  });
});
