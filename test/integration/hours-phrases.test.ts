/**
 * Hours in the words people use, through every door hours come in by: the live check, a
 * manager's save, and a bulk import. The stored value is the OSM form the phrase became.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationRecord } from '../../server/modules/stations/stations.repository.js';
import { createUser, loginAs, type LoggedIn } from '../setup/auth.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;
let station: StationRecord;
let manager: LoggedIn;
let admin: LoggedIn;

beforeAll(async () => {
  server = await startTestServer();
  const db = server.database.handle.db;
  station = await newStation(db, { lng: 116.4015, lat: 39.9087, name: '东华门暖心驿站' });
  await createUser(db, { username: 'phrase-manager', password: 'manager-password-1', role: 'manager', stationIds: [station.id] });
  await createUser(db, { username: 'phrase-admin', password: 'admin-password-1', role: 'admin' });
  manager = await loginAs(server, 'phrase-manager', 'manager-password-1');
  admin = await loginAs(server, 'phrase-admin', 'admin-password-1');
});

afterAll(async () => {
  await server?.close();
});

const check = (body: unknown) =>
  server.request('/api/hours/validate', { method: 'POST', headers: manager.headers, body: JSON.stringify(body) });

describe('hours phrases', () => {
  it('the live check answers with the OSM form a phrase becomes, and a preview of it', async () => {
    const res = await check({ opening_hours: '周一至周五 8:00-18:00，午休 12:00-13:00，节假日休息', at: '2026-12-01T10:00:00+08:00' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ok: true,
      from_phrase: true,
      normalized: 'Mo-Fr 08:00-12:00,13:00-18:00; PH off',
      unparsed: null,
    });
    expect(res.body.preview.now.open).toBe(true);
    const lunch = await check({ opening_hours: '周一至周五 8:00-18:00，午休 12:00-13:00', at: '2026-12-01T12:30:00+08:00' });
    expect(lunch.body.preview.now.open).toBe(false);
  });

  it('says which part of a phrase it did not understand (never a guess)', async () => {
    const res = await check({ opening_hours: '夏季 6:00-20:00 冬季 7:00-19:00' });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.unparsed).toContain('夏季');
    expect(res.body.preview).toBeNull();
  });

  it('keeps OSM values as they are (not a phrase)', async () => {
    const res = await check({ opening_hours: 'Mo-Fr 08:00-18:00; PH off' });
    expect(res.body).toMatchObject({ ok: true, from_phrase: false, normalized: 'Mo-Fr 08:00-18:00; PH off' });
  });

  it('a manager saves a phrase and the station stores its OSM form; a phrase override too', async () => {
    const before = (await server.get(`/api/stations/${station.id}`)).body.station as StationRecord;
    const res = await server.request(`/api/stations/${station.id}`, {
      method: 'PATCH',
      headers: { ...manager.headers, 'if-match': `"${before.version}"` },
      body: JSON.stringify({
        opening_hours: '每天 7:00-19:00，节假日照常',
        hours_overrides: [{ from: '2027-02-06', to: '2027-02-12', opening_hours: '全天24小时' }],
      }),
    });
    expect(res.status).toBe(200);
    expect(res.body.station.opening_hours).toBe('Mo-Su 07:00-19:00; PH 07:00-19:00');
    expect(res.body.station.hours_overrides[0].opening_hours).toBe('24/7');
    const refused = await server.request(`/api/stations/${station.id}`, {
      method: 'PATCH',
      headers: { ...manager.headers, 'if-match': `"${before.version + 1}"` },
      body: JSON.stringify({ opening_hours: '看情况开门' }),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain('看情况');
  });

  it('a bulk import reads the phrase, stores the OSM form and says how it read it', async () => {
    const csv = [
      '编号,名称,类型,地址,经度,纬度,开放时间',
      'PH-001,东单短语驿站,暖心驿站,,116.4177,39.9143,周一至周六 8:00-18:00；周日休息',
    ].join('\r\n');
    const res = await server.request('/api/stations/import?format=csv', {
      method: 'POST',
      headers: { 'content-type': 'text/csv', cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
      body: csv,
    });
    expect(res.status).toBe(200);
    expect(res.body.summary).toMatchObject({ inserted: 1, errors: 0 });
    const warnings = JSON.stringify(res.body.rows[0]);
    expect(warnings).toContain('read as');
    const listing = await server.get('/api/collections/stations/items?bbox=116.41,39.91,116.42,39.92&limit=100');
    const stored = listing.body.features.find((f: any) => f.properties.name === '东单短语驿站');
    expect(stored.properties.opening_hours).toBe('Mo-Sa 08:00-18:00; Su off');
  });
});
