import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, loginAs, type LoggedIn } from '../setup/auth.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;
let mine: number;
let other: number;
let manager: LoggedIn;
let planner: LoggedIn;
let admin: LoggedIn;

const report = (stationId: number, body: unknown, ip = '192.0.2.10') =>
  server.request(`/api/stations/${stationId}/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  server = await startTestServer();
  const db = server.database.handle.db;
  mine = (await newStation(db, { lng: 116.4015, lat: 39.9087, name: '东城站' })).id; // 110101
  other = (await newStation(db, { lng: 116.3105, lat: 39.9834, name: '海淀站' })).id; // 110108
  await createUser(db, { username: 'wang', password: 'manager-password-1', role: 'manager', stationIds: [mine] });
  await createUser(db, { username: 'li', password: 'planner-password-1', role: 'planner' });
  await createUser(db, { username: 'root', password: 'admin-password-1', role: 'admin' });
  manager = await loginAs(server, 'wang', 'manager-password-1');
  planner = await loginAs(server, 'li', 'planner-password-1');
  admin = await loginAs(server, 'root', 'admin-password-1');
});

afterAll(async () => {
  await server?.close();
});

describe('worker reports', () => {
  it('accepts a report without login and puts it in the station manager\'s queue only', async () => {
    const a = await report(mine, { category: 'amenity_broken', note: '微波炉坏了' });
    expect(a.status).toBe(201);
    const b = await report(other, { category: 'closed_when_listed_open' }, '192.0.2.11');
    expect(b.status).toBe(201);
    const queue = await server.get('/api/reports?status=open', { headers: manager.headers });
    expect(queue.status).toBe(200);
    expect(queue.body.reports.map((r: { id: number }) => r.id)).toEqual([a.body.id]);
    expect(queue.body.reports[0]).toMatchObject({ station_name: '东城站', category: 'amenity_broken', note: '微波炉坏了', status: 'open' });
    const all = await server.get('/api/reports', { headers: admin.headers });
    expect(all.body.reports).toHaveLength(2);
    const counts = await server.get('/api/me/stations', { headers: manager.headers });
    expect(counts.body.stations[0].open_reports).toBe(1);
  });

  it('rejects unknown categories, long notes and missing stations clearly', async () => {
    const bad = await report(mine, { category: 'too_cold' });
    expect(bad.status).toBe(400);
    // A worker reads it in the sheet: in Chinese unless the page (Accept-Language, lang=) is English.
    expect(bad.body.error).toMatch(/^反馈内容有误（category: 无效选项/);
    const badEn = await server.request(`/api/stations/${mine}/reports?lang=en`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.12' },
      body: JSON.stringify({ category: 'too_cold' }),
    });
    expect(badEn.body.error).toMatch(/^Invalid report: category/);
    expect((await report(mine, { category: 'other', note: 'x'.repeat(501) })).status).toBe(400);
    const missing = await report(999999, { category: 'other' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('没有编号为 999999 的驿站');
  });

  it('resolving takes it out of the open queue; a second resolve is a 409; another manager\'s report a 403', async () => {
    const queue = await server.get('/api/reports?status=open', { headers: manager.headers });
    const id = queue.body.reports[0].id;
    const res = await server.request(`/api/reports/${id}/resolve`, {
      method: 'POST',
      headers: manager.headers,
      body: JSON.stringify({ resolution: '已更换' }),
    });
    expect(res.status).toBe(200);
    expect((await server.get('/api/reports?status=open', { headers: manager.headers })).body.reports).toEqual([]);
    const resolved = await server.get('/api/reports?status=resolved', { headers: manager.headers });
    expect(resolved.body.reports[0]).toMatchObject({ id, status: 'resolved', resolved_by: 'wang', resolution: '已更换' });
    const again = await server.request(`/api/reports/${id}/resolve`, { method: 'POST', headers: manager.headers });
    expect(again.status).toBe(409);
    const others = await server.get('/api/reports?status=open', { headers: admin.headers });
    const foreign = await server.request(`/api/reports/${others.body.reports[0].id}/resolve`, { method: 'POST', headers: manager.headers });
    expect(foreign.status).toBe(403);
  });

  it('shows planners counts per district and sub-district', async () => {
    const res = await server.get('/api/reports/summary?level=district', { headers: planner.headers });
    expect(res.status).toBe(200);
    expect(res.body.areas).toHaveLength(16);
    const byCode = Object.fromEntries(res.body.areas.map((a: { code: string }) => [a.code, a]));
    expect(byCode['110101']).toMatchObject({ name: '东城区', open: 0, resolved: 1, total: 1 });
    expect(byCode['110108']).toMatchObject({ name: '海淀区', open: 1, resolved: 0, total: 1 });
    const sub = await server.get('/api/reports/summary?level=subdistrict&status=open', { headers: planner.headers });
    expect(sub.status).toBe(200);
    expect(sub.body.areas.reduce((n: number, a: { total: number }) => n + a.total, 0)).toBeLessThanOrEqual(1);
    expect((await server.get('/api/reports/summary', { headers: manager.headers })).status).toBe(403);
    expect((await server.get('/api/reports/summary?level=county', { headers: planner.headers })).status).toBe(400);
  });

  it('limits reports per client address (10 an hour), counted in the database', async () => {
    const ip = '203.0.113.77';
    const stations = [mine, other];
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      // At most 3 per station, so the per-station limit (3) is not what stops the 11th.
      const id = i < 6 ? stations[i % 2]! : (await newStation(server.database.handle.db, { lng: 116.4, lat: 39.9 })).id;
      statuses.push((await report(id, { category: 'dirty' }, ip)).status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201));
    expect(statuses[10]).toBe(429);
    // Another client is not affected.
    expect((await report(mine, { category: 'dirty' }, '203.0.113.78')).status).toBe(201);
  });

  it('limits one client to 3 reports per station an hour', async () => {
    const ip = '203.0.113.90';
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await report(other, { category: 'no_water' }, ip)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const again = await report(other, { category: 'no_water' }, ip);
    expect(again.body.error).toMatch(/^您一小时内已对这个驿站提交过反馈。请 \d+ 分钟后再试。$/);
  });
});

describe('answers to reporters', () => {
  it('the reporter follows the answer with a receipt code: handed to the union with a reply, then not a problem', async () => {
    const sent = await report(mine, { category: 'no_water', note: '饮水机没水' }, '192.0.2.77');
    expect(sent.status).toBe(201);
    expect(sent.body.receipt).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    const receipt = sent.body.receipt as string;
    const read = (code: string) => server.get(`/api/reports/receipt/${code}`);
    expect((await read(receipt)).body).toMatchObject({ station_name: '东城站', category: 'no_water', status: 'open', outcome: null, reply: null });
    // Typed without the dash and in lower case, as a worker might.
    expect((await read(receipt.replace('-', '').toLowerCase())).status).toBe(200);

    const handOn = await server.request(`/api/reports/${sent.body.id}/resolve`, {
      method: 'POST',
      headers: manager.headers,
      body: JSON.stringify({ outcome: 'needs_union', reply: '饮水机需要工会采购，已上报' }),
    });
    expect(handOn.body).toMatchObject({ status: 'open', outcome: 'needs_union' });
    expect((await read(receipt)).body).toMatchObject({ status: 'open', outcome: 'needs_union', reply: '饮水机需要工会采购，已上报' });
    // Still in the open queue, marked as handed on.
    const open = await server.get('/api/reports?status=open', { headers: admin.headers });
    expect(open.body.reports.find((r: { id: number }) => r.id === sent.body.id)).toMatchObject({ outcome: 'needs_union' });

    const closed = await server.request(`/api/reports/${sent.body.id}/resolve`, {
      method: 'POST',
      headers: admin.headers,
      body: JSON.stringify({ outcome: 'not_a_problem', reply: '已核实：饮水机有水' }),
    });
    expect(closed.body).toMatchObject({ status: 'resolved', outcome: 'not_a_problem' });
    expect((await read(receipt)).body).toMatchObject({ status: 'resolved', outcome: 'not_a_problem', reply: '已核实：饮水机有水' });

    expect((await read('NOT-A-CODE')).status).toBe(400);
    expect((await read('00000-00000')).status).toBe(404);
    // A receipt is not a key to anything else: no note, no other report.
    expect((await read(receipt)).body).not.toHaveProperty('note');
  });
});
