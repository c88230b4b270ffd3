/** Crowd confirmation ("信息准确" in one tap, no account) and the freshness a station's sheet shows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationRecord } from '../../server/modules/stations/stations.repository.js';
import { createUser, loginAs } from '../setup/auth.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;
let station: StationRecord;

beforeAll(async () => {
  server = await startTestServer();
  station = await newStation(server.database.handle.db, { lng: 116.4015, lat: 39.9087 });
});
afterAll(async () => {
  await server?.close();
});

const post = (path: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  server.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('crowd confirmation', () => {
  it('counts a confirmation without an account, once a day per client and station, and shows it as freshness', async () => {
    const fresh = await server.get(`/api/stations/${station.id}/freshness`);
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ confirmations: 0, last_confirmed_at: null, open_reports: 0, days: 30 });

    const first = await post(`/api/stations/${station.id}/confirmations`);
    expect(first.status).toBe(201);
    expect(first.body.confirmations).toBe(1);
    expect(Date.now() - Date.parse(first.body.last_confirmed_at)).toBeLessThan(60_000);

    const again = await post(`/api/stations/${station.id}/confirmations`);
    expect(again.status).toBe(429);
    expect(again.headers.get('retry-after')).toBeTruthy();
    expect((await server.get(`/api/stations/${station.id}/freshness`)).body.confirmations).toBe(1);
  });

  it('a worker saying something is wrong is an open report until a manager resolves it', async () => {
    const other = await newStation(server.database.handle.db, { lng: 116.41, lat: 39.91 });
    const report = await post(`/api/stations/${other.id}/reports`, { category: 'no_water' });
    expect(report.status).toBe(201);
    const disputed = (await server.get(`/api/stations/${other.id}/freshness`)).body;
    expect(disputed.open_reports).toBe(1);
    expect(disputed.last_reported_at).toBeTruthy();

    await createUser(server.database.handle.db, { username: 'fresh-admin', password: 'fresh-admin-password', role: 'admin' });
    const admin = await loginAs(server, 'fresh-admin', 'fresh-admin-password');
    const resolved = await post(`/api/reports/${report.body.id}/resolve`, {}, { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken });
    expect(resolved.status).toBe(200);
    expect((await server.get(`/api/stations/${other.id}/freshness`)).body.open_reports).toBe(0);
  });

  it('refuses an unknown station (404) and a body with fields (400)', async () => {
    expect((await post('/api/stations/999999/confirmations')).status).toBe(404);
    expect((await server.get('/api/stations/999999/freshness')).status).toBe(404);
    expect((await post(`/api/stations/${station.id}/confirmations`, { count: 100 })).status).toBe(400);
  });
});
