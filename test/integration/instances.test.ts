/**
 * Two instances of the service on one PostgreSQL database behave as one: an edit through one is
 * seen through the other, and a session made on one works on the other (nothing lives in process).
 * Server only: PGlite is one process per data directory by design.
 */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase, type DatabaseHandle } from '../../server/db/client.js';
import { createHttpServer } from '../../server/http/http-server.js';
import { createUser, loginAs } from '../setup/auth.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';

const onServer = Boolean(process.env.TEST_DATABASE_URL);

let first: TestServer;
let secondHandle: DatabaseHandle;
let secondUrl: string;
let closeSecond: () => Promise<void>;

beforeAll(async () => {
  if (!onServer) return;
  first = await startTestServer();
  // A second, independent instance: its own pool, its own app, the same database.
  secondHandle = await openDatabase({ databaseUrl: first.database.url! });
  const app = buildApp({
    database: secondHandle,
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
    logger: pino({ level: 'silent' }),
  });
  const server = createHttpServer(app).listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  secondUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeSecond = async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await secondHandle.close();
  };
});

afterAll(async () => {
  await closeSecond?.();
  await first?.close();
});

describe.runIf(onServer)('two instances on one database', () => {
  it('an edit through one is seen through the other, with the session made on the first', async () => {
    const db = first.database.handle.db;
    const station = await newStation(db, { lng: 116.41, lat: 39.93, name: '双实例测试驿站' });
    await createUser(db, { username: 'admin-two', password: 'two-instances-pw-1', role: 'admin' });
    const login = await loginAs(first, 'admin-two', 'two-instances-pw-1');

    // The session cookie and CSRF token from instance 1 are accepted by instance 2.
    const me = await fetch(`${secondUrl}/api/me`, { headers: login.headers });
    expect(me.status).toBe(200);
    expect((await me.json()).user.username).toBe('admin-two');

    const patch = await fetch(`${secondUrl}/api/stations/${station.id}`, {
      method: 'PATCH',
      headers: { ...login.headers, 'if-match': `"${station.version}"` },
      body: JSON.stringify({ name: '双实例测试驿站（已改）' }),
    });
    expect(patch.status).toBe(200);

    const seen = await first.get(`/api/collections/stations/items/${station.id}`);
    expect(seen.body.properties.name).toBe('双实例测试驿站（已改）');
    expect(seen.body.properties.version).toBe(station.version + 1);

    // A stale write through instance 1 is refused: the version lives in the database.
    const stale = await fetch(`${first.baseUrl}/api/stations/${station.id}`, {
      method: 'PATCH',
      headers: { ...login.headers, 'if-match': `"${station.version}"` },
      body: JSON.stringify({ name: 'stale' }),
    });
    expect(stale.status).toBe(409);

    // Logging out on instance 2 ends the session on instance 1 too.
    const logout = await fetch(`${secondUrl}/api/auth/logout`, {
      method: 'POST',
      headers: login.headers,
    });
    expect(logout.status).toBeLessThan(300);
    const after = await fetch(`${first.baseUrl}/api/me`, { headers: login.headers });
    expect(after.status).toBe(401);
  });

  it('an amenity edit through one reaches the other\'s nearest search and listing (station mirrors)', async () => {
    const db = first.database.handle.db;
    const at = { lng: 116.52, lat: 39.81 };
    const station = await newStation(db, { ...at, name: '镜像双实例', amenities: { hot_water: 'available' } });
    await createUser(db, { username: 'admin-mirror', password: 'two-instances-pw-2', role: 'admin' });
    const login = await loginAs(first, 'admin-mirror', 'two-instances-pw-2');
    const nearestWithMicrowave = async (base: string) => {
      const res = await fetch(`${base}/api/nearest?lng=${at.lng}&lat=${at.lat}&k=1&radius=50&amenities=microwave`);
      return ((await res.json()).features as any[]).map((f) => f.properties.name);
    };
    // Both instances have read their mirrors before the edit.
    expect(await nearestWithMicrowave(first.baseUrl)).toEqual([]);
    expect(await nearestWithMicrowave(secondUrl)).toEqual([]);

    const patch = await fetch(`${first.baseUrl}/api/stations/${station.id}`, {
      method: 'PATCH',
      headers: { ...login.headers, 'if-match': `"${station.version}"` },
      body: JSON.stringify({ amenities: { hot_water: 'available', microwave: 'available' } }),
    });
    expect(patch.status).toBe(200);
    // The other instance learns of it by notification: well within a second.
    const deadline = Date.now() + 1_000;
    let seen: string[] = [];
    while (Date.now() < deadline) {
      seen = await nearestWithMicrowave(secondUrl);
      if (seen.length) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(seen).toEqual(['镜像双实例']);
    const listed = await fetch(`${secondUrl}/api/collections/stations/items?amenities=microwave&bbox=116.51,39.80,116.53,39.82`);
    expect(((await listed.json()).features as any[]).map((f) => f.properties.name)).toEqual(['镜像双实例']);
  });
});
