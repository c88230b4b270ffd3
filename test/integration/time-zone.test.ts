/**
 * A deployment in another zone (TIME_ZONE=Europe/Andorra, UTC+1, DST in summer): hours, coverage
 * instants and exports read the deployment's wall clock, never Beijing's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;
let stationId: number;

beforeAll(async () => {
  server = await startTestServer({ TIME_ZONE: 'Europe/Andorra' });
  const station = await newStation(server.database.handle.db, {
    lng: 116.4015,
    lat: 39.9087,
    opening_hours: 'Mo-Su 09:00-17:00',
  });
  stationId = station.id;
});

afterAll(async () => {
  await server?.close();
});

describe('TIME_ZONE=Europe/Andorra', () => {
  it('tells the client its zone', async () => {
    expect((await server.get('/api/meta')).body.time_zone).toBe('Europe/Andorra');
  });

  it('evaluates hours on Andorra wall clocks (12:00 UTC is 13:00 there, 20:00 in Beijing)', async () => {
    const res = await server.get(
      `/api/nearest?lng=116.4015&lat=39.9087&k=1&open=any&at=2026-03-04T12:00:00Z`,
    );
    const item = res.body.features.find((f: any) => (f.id ?? f.properties.id) === stationId).properties;
    expect(item.open_now).toBe(true);
    expect(item.next_change).toBe('2026-03-04T16:00:00.000Z');
  });

  it("reads coverage's local times in Andorra, winter and summer", async () => {
    const winter = await server.get('/api/coverage?level=subdistrict&district=110101&at=2026-03-04T12:00');
    expect(winter.status).toBe(200);
    expect(winter.body.instant).toMatchObject({
      at: '2026-03-04T11:00:00.000Z',
      local: '2026-03-04 12:00',
      time_zone: 'Europe/Andorra',
    });
    const summer = await server.get('/api/coverage?level=subdistrict&district=110101&at=2026-07-01T10:00:00Z');
    expect(summer.body.instant.local).toBe('2026-07-01 12:00');
  });

  it('exports coverage with Andorra local times', async () => {
    const res = await fetch(
      `${server.baseUrl}/api/coverage?level=subdistrict&district=110101&at=2026-03-04T22:00&format=csv`,
    );
    const lines = (await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[1]).toContain('2026-03-04T21:00:00.000Z,2026-03-04 22:00');
  });

  it('refuses an unknown zone at start, naming the variable', async () => {
    const { loadConfig } = await import('../../server/config.js');
    expect(() => loadConfig({ TIME_ZONE: 'Mars/Olympus' })).toThrow(/TIME_ZONE: must be an IANA time zone/);
  });
});
