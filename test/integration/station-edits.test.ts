import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationRecord } from '../../server/modules/stations/stations.repository.js';
import { createUser, loginAs, type LoggedIn } from '../setup/auth.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;
let station: StationRecord;
let manager: LoggedIn;
let planner: LoggedIn;

beforeAll(async () => {
  server = await startTestServer();
  const db = server.database.handle.db;
  // 天安门东 (东城区 110101).
  station = await newStation(db, { lng: 116.4015, lat: 39.9087, name: '东华门暖心驿站' });
  await createUser(db, { username: 'wang', password: 'manager-password-1', role: 'manager', stationIds: [station.id] });
  await createUser(db, { username: 'li', password: 'planner-password-1', role: 'planner' });
  manager = await loginAs(server, 'wang', 'manager-password-1');
  planner = await loginAs(server, 'li', 'planner-password-1');
});

afterAll(async () => {
  await server?.close();
});

const patch = (id: number, body: unknown, headers: Record<string, string> = {}) =>
  server.request(`/api/stations/${id}`, {
    method: 'PATCH',
    headers: { ...manager.headers, ...headers },
    body: JSON.stringify(body),
  });

const current = async (id = station.id) => (await server.get(`/api/stations/${id}`)).body.station as StationRecord;

describe('PATCH /api/stations/:id', () => {
  it('saves fields with If-Match, bumps the version, returns the ETag and hours warnings', async () => {
    const before = await current();
    const res = await patch(
      station.id,
      {
        phone: '010-6512 3456',
        seats: 8,
        amenities: { hot_water: 'available', microwave: 'out_of_order', phone_charging: 'out_of_stock' },
        opening_hours: 'Mo-Fr 08:00-20:00; Sa,Su 09:00-17:00; PH off',
      },
      { 'if-match': `"${before.version}"` },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${before.version + 1}"`);
    expect(res.body.station).toMatchObject({ phone: '010-6512 3456', seats: 8, version: before.version + 1 });
    expect(res.body.station.amenities.microwave).toBe('out_of_order');
    expect(Array.isArray(res.body.warnings)).toBe(true);
    // Workers see it on the next fetch of the public collection.
    const item = await server.get(`/api/collections/stations/items/${station.id}`);
    expect(item.body.properties.seats).toBe(8);
    expect(item.body.properties.amenities.phone_charging).toBe('out_of_stock');
  });

  it('accepts the version in the body instead of If-Match', async () => {
    const before = await current();
    const res = await patch(station.id, { version: before.version, address: '东城区东华门大街 1 号' });
    expect(res.status).toBe(200);
    expect(res.body.station.address).toBe('东城区东华门大街 1 号');
  });

  it('gives 409 with the current station and version to a concurrent edit, never overwriting', async () => {
    const before = await current();
    const first = await patch(station.id, { name: '东华门驿站（新）' }, { 'if-match': `"${before.version}"` });
    expect(first.status).toBe(200);
    const second = await patch(station.id, { name: '另一个名字' }, { 'if-match': `"${before.version}"` });
    expect(second.status).toBe(409);
    expect(second.body.error).toContain('changed by someone else');
    expect(second.body.details.version).toBe(before.version + 1);
    expect(second.body.details.station.name).toBe('东华门驿站（新）');
    expect((await current()).name).toBe('东华门驿站（新）');
  });

  it('serialises simultaneous edits of one version: exactly one wins', async () => {
    const before = await current();
    const results = await Promise.all(
      ['并发甲', '并发乙', '并发丙'].map((name) => patch(station.id, { name }, { 'if-match': `"${before.version}"` })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect((await current()).version).toBe(before.version + 1);
  });

  it('requires a version (428) and a well-formed If-Match (400)', async () => {
    const none = await patch(station.id, { seats: 3 });
    expect(none.status).toBe(428);
    expect(none.body.error).toContain('If-Match');
    const bad = await patch(station.id, { seats: 3 }, { 'if-match': 'yesterday' });
    expect(bad.status).toBe(400);
  });

  it('re-derives district and sub-district when the station moves', async () => {
    const before = await current();
    expect(before.district_code).toBe('110101');
    // 中关村 (海淀区 110108).
    const res = await patch(station.id, { version: before.version, lng: 116.3105, lat: 39.9834 });
    expect(res.status).toBe(200);
    expect(res.body.station.district_code).toBe('110108');
    const history = await server.get(`/api/stations/${station.id}/history`, { headers: manager.headers });
    const moved = history.body.changes[0];
    expect(moved.changes.location.after).toEqual([116.3105, 39.9834]);
    expect(moved.changes.district_code).toEqual({ before: '110101', after: '110108' });
  });

  it('previews the areas of a new position exactly as the move then derives them, changing nothing', async () => {
    const before = await current();
    const changesBefore = (await server.get(`/api/stations/${station.id}/history`, { headers: manager.headers })).body.changes.length;
    // 国贸 (朝阳区 110105), typed as Amap shows it (GCJ-02).
    const preview = await server.get(`/api/stations/${station.id}/placement?lng=116.4670&lat=39.9105&datum=GCJ02`, { headers: manager.headers });
    expect(preview.status).toBe(200);
    expect(preview.body.lng).toBeLessThan(116.467);
    const codes = preview.body.areas.map((a: { code: string }) => a.code);
    expect(preview.body.areas.find((a: { level: string }) => a.level === 'district')).toMatchObject({ code: '110105', name: '朝阳区' });
    expect(preview.body.areas.some((a: { level: string }) => a.level === 'subdistrict')).toBe(true);
    // Nothing moved, no version, no history entry; the mirror's listing still has the old place.
    const after = await current();
    expect([after.lng, after.lat, after.version, after.district_code]).toEqual([before.lng, before.lat, before.version, before.district_code]);
    expect((await server.get(`/api/stations/${station.id}/history`, { headers: manager.headers })).body.changes.length).toBe(changesBefore);
    // Saving the same move derives the same areas.
    const moved = await patch(station.id, { version: before.version, lng: 116.467, lat: 39.9105, datum: 'GCJ02' });
    expect(moved.status).toBe(200);
    expect(moved.body.station.area_codes).toEqual(codes);
    // Far from every area: none; another manager's station, or none signed in: refused.
    const nowhere = await server.get(`/api/stations/${station.id}/placement?lng=100&lat=30`, { headers: manager.headers });
    expect(nowhere.body.areas).toEqual([]);
    expect((await server.get(`/api/stations/${station.id}/placement?lng=116.4&lat=39.9`)).status).toBe(401);
    expect((await server.get(`/api/stations/${station.id}/placement?lng=39.9&lat=116.4`, { headers: manager.headers })).body.error).toContain('did you swap');
  });

  it('converts GCJ-02 positions to WGS-84 before storing', async () => {
    const before = await current();
    // GCJ-02 is offset by a few hundred metres in Beijing; the stored point must move back.
    const res = await patch(station.id, { version: before.version, lng: 116.4076, lat: 39.9101, datum: 'GCJ02' });
    expect(res.status).toBe(200);
    expect(res.body.station.lng).toBeLessThan(116.4076 - 0.004);
    expect(res.body.station.lat).toBeLessThan(39.9101);
  });

  it.each([
    [{ opening_hours: 'Mo-Fr 25:00-26:00' }, 'opening hours not understood'],
    [{ amenities: { jacuzzi: 'available' } }, 'amenities'],
    [{ amenities: { microwave: 'broken' } }, 'amenities'],
    [{ lng: 39.9, lat: 116.4 }, 'did you swap lng and lat'],
    // Shanghai: outside the loaded areas (Beijing) and their 5 km margin; the message says where they are.
    [{ lng: 121.47, lat: 31.23 }, 'is outside the region: not in or within 5 km of a loaded area (longitude 115.4'],
    [{ lng: 116.4 }, 'send lng and lat together'],
    [{ seats: -1 }, 'seats'],
    [{ name: '   ' }, 'name must not be blank'],
    [{ phone: 'call me' }, 'phone may contain digits'],
    [{ district_code: '110105' }, 'district_code'],
    [{ closures: [{ from: '2026-02-10T00:00+08:00', to: '2026-02-01T00:00+08:00', reason: '装修' }] }, 'end after it starts'],
    [{ hours_overrides: [{ from: '2026-02-16', to: '2026-02-31', opening_hours: 'off' }] }, 'not a calendar date'],
  ])('rejects %j with a 400 naming the problem', async (body, message) => {
    const before = await current();
    const res = await patch(station.id, { ...body, version: before.version });
    expect(res.status).toBe(400);
    expect(res.body.error).toContain(message);
    expect((await current()).version).toBe(before.version);
  });

  it('stores holiday overrides (春节) and closures and reports them in the hours state', async () => {
    const before = await current();
    const res = await patch(station.id, {
      version: before.version,
      opening_hours: '24/7',
      hours_overrides: [{ from: '2026-02-16', to: '2026-02-22', opening_hours: '10:00-16:00', note: '春节' }],
      closures: [{ from: '2030-03-01T00:00+08:00', to: '2030-03-05T00:00+08:00', reason: '设备检修' }],
    });
    expect(res.status).toBe(200);
    expect(res.body.station.hours_overrides[0].note).toBe('春节');
    expect(res.body.station.closures[0].reason).toBe('设备检修');
  });

  it('404s a missing station for an admin and 400s a malformed id', async () => {
    await createUser(server.database.handle.db, { username: 'root', password: 'admin-password-1', role: 'admin' });
    const admin = await loginAs(server, 'root', 'admin-password-1');
    const missing = await server.request('/api/stations/999999', {
      method: 'PATCH',
      headers: { ...admin.headers, 'if-match': '"1"' },
      body: JSON.stringify({ seats: 1 }),
    });
    expect(missing.status).toBe(404);
    const malformed = await server.request('/api/stations/abc', {
      method: 'PATCH',
      headers: admin.headers,
      body: JSON.stringify({ seats: 1 }),
    });
    expect(malformed.status).toBe(400);
  });
});

describe('history and revert', () => {
  it('records who, when and before/after per field; reverting restores and is itself recorded', async () => {
    const before = await current();
    const edit = await patch(station.id, { version: before.version, seats: 42, phone: '13800000000' });
    expect(edit.status).toBe(200);
    const history = await server.get(`/api/stations/${station.id}/history`, { headers: manager.headers });
    expect(history.status).toBe(200);
    const change = history.body.changes[0];
    expect(change).toMatchObject({ id: edit.body.change_id, username: 'wang', action: 'update' });
    expect(change.changes.seats).toEqual({ before: before.seats, after: 42 });
    expect(change.changes.phone).toEqual({ before: before.phone, after: '13800000000' });
    expect(Date.parse(change.created_at)).toBeGreaterThan(Date.now() - 60_000);

    const revert = await server.request(`/api/stations/${station.id}/revert/${change.id}`, {
      method: 'POST',
      headers: { ...manager.headers, 'if-match': `"${edit.body.station.version}"` },
    });
    expect(revert.status).toBe(200);
    expect(revert.body.station.seats).toBe(before.seats);
    expect(revert.body.station.phone).toBe(before.phone);
    const after = await server.get(`/api/stations/${station.id}/history`, { headers: manager.headers });
    expect(after.body.changes[0]).toMatchObject({ action: 'revert', revert_of: change.id, username: 'wang' });
    expect(after.body.changes[0].changes.seats).toEqual({ before: 42, after: before.seats });
  });

  it('a revert with a stale version gets 409; an unknown change 404', async () => {
    const history = await server.get(`/api/stations/${station.id}/history`, { headers: manager.headers });
    const stale = await server.request(`/api/stations/${station.id}/revert/${history.body.changes[1].id}`, {
      method: 'POST',
      headers: { ...manager.headers, 'if-match': '"1"' },
    });
    expect(stale.status).toBe(409);
    const unknown = await server.request(`/api/stations/${station.id}/revert/999999`, {
      method: 'POST',
      headers: { ...manager.headers, 'if-match': `"${(await current()).version}"` },
    });
    expect(unknown.status).toBe(404);
  });

  it('"still correct" stamps verified_at and records it', async () => {
    const res = await server.request(`/api/stations/${station.id}/verify`, { method: 'POST', headers: manager.headers });
    expect(res.status).toBe(200);
    expect(Date.parse(res.body.station.verified_at)).toBeGreaterThan(Date.now() - 60_000);
    const history = await server.get(`/api/stations/${station.id}/history`, { headers: manager.headers });
    expect(history.body.changes[0].action).toBe('verify');
  });

  it('planners may read history; anonymous may not', async () => {
    expect((await server.get(`/api/stations/${station.id}/history`, { headers: planner.headers })).status).toBe(200);
    expect((await server.get(`/api/stations/${station.id}/history`)).status).toBe(401);
  });
});

describe('my stations', () => {
  it('lists only the manager\'s stations', async () => {
    const other = await newStation(server.database.handle.db, { lng: 116.35, lat: 39.9, name: '别人的驿站' });
    const res = await server.get('/api/me/stations', { headers: manager.headers });
    expect(res.status).toBe(200);
    const ids = res.body.stations.map((s: { id: number }) => s.id);
    expect(ids).toEqual([station.id]);
    expect(ids).not.toContain(other.id);
  });
});

describe('POST /api/hours/validate', () => {
  it('checks the text and previews open now / next change', async () => {
    const res = await server.request('/api/hours/validate', {
      method: 'POST',
      headers: manager.headers,
      body: JSON.stringify({ opening_hours: 'Mo-Fr 08:00-18:00; PH off', at: '2026-03-04T10:00:00+08:00' }),
    });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.preview.now.open).toBe(true);
    expect(res.body.preview.now.next_change).toBe('2026-03-04T10:00:00.000Z');
    expect(res.body.preview.week).toHaveLength(7);
  });

  it('answers ok=false with the library message for text it cannot read', async () => {
    const res = await server.request('/api/hours/validate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ opening_hours: 'Mo-Fr 25:00-26:00' }),
    });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.error).toContain('outside of the current day');
    expect(res.body.preview).toBeNull();
  });

  it('passes on the library warnings for text it can read but doubts', async () => {
    const res = await server.request('/api/hours/validate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ opening_hours: 'Mo-Fr 8 to 6' }),
    });
    expect(res.body.ok).toBe(true);
    expect(res.body.warnings.join(' ')).toContain('Single-digit hour');
    expect(res.body.normalized).toBe('Mo-Fr 08:00-06:00');
  });
});
