/**
 * A deployment that is only Andorra, set up without stopping the service: its parishes loaded by an
 * admin through POST /api/areas/import (no Beijing areas at all), then everything that used to
 * assume Beijing takes Andorra from the data: the maps' default view, the default area level of
 * coverage and report summaries, and sunrise/sunset at the station's own position.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoundarySource } from '../../server/modules/boundaries/boundary-import.js';
import { createUser, loginAs, type LoggedIn } from '../setup/auth.js';
import { startTestServer, type TestServer } from '../setup/server.js';
import { extractPath } from '../unit/routing/real-networks.js';

let server: TestServer;
let admin: LoggedIn;
let parishes: { type: 'FeatureCollection'; features: unknown[] };

// Andorra la Vella, on a street in the capital.
const VELLA: [number, number] = [1.5215, 42.5075];
const ANDORRA_BOX = { minLng: 1.4, maxLng: 1.8, minLat: 42.42, maxLat: 42.66 };

beforeAll(async () => {
  server = await startTestServer({ TIME_ZONE: 'Europe/Andorra', HOLIDAY_CALENDAR: 'none' });
  const db = server.database.handle.db;
  // A new deployment: no areas yet (the test template holds Beijing's).
  await db.execute(sql`delete from areas`);
  await db.execute(sql`delete from area_levels`);
  await createUser(db, { username: 'ad-admin', password: 'admin-password-1', role: 'admin' });
  admin = await loginAs(server, 'ad-admin', 'admin-password-1');
  // The parishes as `osmium export` would write them (code and name properties).
  const parsed = await readBoundarySource(extractPath('andorra'), { adminLevel: '7', level: 'parish' });
  parishes = {
    type: 'FeatureCollection',
    features: parsed.records.map((r) => ({
      type: 'Feature',
      properties: { ref: r.code, name: r.name },
      geometry: r.geometry,
    })),
  };
});

afterAll(async () => {
  await server?.close();
});

const importAreas = (query: string, body: unknown, headers: Record<string, string> = admin.headers) =>
  server.request(`/api/areas/import?${query}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/geo+json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** A small hand-drawn square, e.g. for a dry run. */
const square = (code: string | null, name: string | null) => ({
  type: 'Feature',
  properties: { ...(code ? { ref: code } : {}), ...(name ? { name } : {}) },
  geometry: {
    type: 'Polygon',
    coordinates: [[[1.5, 42.5], [1.52, 42.5], [1.52, 42.52], [1.5, 42.52], [1.5, 42.5]]],
  },
});

/**
 * Sunset (sun's upper limb at −0.833°) by the sunrise equation, to within about a minute: an
 * independent computation for a place and a UTC date.
 */
function sunsetUtc(date: string, [lng, lat]: [number, number]): Date {
  const rad = Math.PI / 180;
  const jdNoon = Date.parse(`${date}T12:00:00Z`) / 86_400_000 + 2440587.5;
  const n = Math.round(jdNoon - 2451545.0 + 0.0008);
  const jStar = n - lng / 360;
  const m = (357.5291 + 0.98560028 * jStar) % 360;
  const c = 1.9148 * Math.sin(m * rad) + 0.02 * Math.sin(2 * m * rad) + 0.0003 * Math.sin(3 * m * rad);
  const lambda = (m + c + 180 + 102.9372) % 360;
  const transit = 2451545.0 + jStar + 0.0053 * Math.sin(m * rad) - 0.0069 * Math.sin(2 * lambda * rad);
  const sinDec = Math.sin(lambda * rad) * Math.sin(23.4397 * rad);
  const cosDec = Math.cos(Math.asin(sinDec));
  const cosOmega = (Math.sin(-0.833 * rad) - Math.sin(lat * rad) * sinDec) / (Math.cos(lat * rad) * cosDec);
  const set = transit + Math.acos(cosOmega) / rad / 360;
  return new Date((set - 2440587.5) * 86_400_000);
}

/** HH:MM on Andorra's wall clock. */
const andorraTime = (instant: Date) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Andorra', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

describe('boundaries imported by an admin through the API', () => {
  it('is for a signed-in admin with the CSRF token only', async () => {
    const collection = { type: 'FeatureCollection', features: [square('AD-T', 'Test')] };
    expect((await importAreas('level=parish&code_field=ref&dry_run=true', collection, {})).status).toBe(401);
    const noCsrf = await importAreas('level=parish&code_field=ref&dry_run=true', collection, {
      cookie: admin.cookie,
    });
    expect(noCsrf.status).toBe(403);
  });

  it('checks a small file in a dry run without loading it, and names a feature missing its name', async () => {
    const dry = await importAreas('level=parish&code_field=ref&dry_run=true', {
      type: 'FeatureCollection',
      features: [square('AD-T', 'Test')],
    });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dry_run: true, level: 'parish', areas: 1, codes: ['AD-T'] });
    const meta = await server.get('/api/meta');
    expect(meta.body.region.levels).toEqual([]);

    const bad = await importAreas('level=parish&code_field=ref', {
      type: 'FeatureCollection',
      features: [square('AD-T', 'Test'), square('AD-U', null)],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('Feature 1');
    expect(bad.body.error).toContain('property "name"');
    const notJson = await importAreas('level=parish', '{"type":"FeatureCollection","features":[');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toContain('not valid JSON');
  });

  it("loads Andorra's parishes as the deployment's only level, all in one go", async () => {
    const res = await importAreas('level=parish&code_field=ref&label=教区&label_en=Parish', parishes);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body).toMatchObject({ dry_run: false, level: 'parish', loaded: 6 });
    const items = await server.get('/api/collections/parish/items');
    expect(items.body.features).toHaveLength(6);
  });

  it('lets the admin create a manager through the API, who then signs in', async () => {
    const created = await server.request('/api/users', {
      method: 'POST',
      headers: admin.headers,
      body: JSON.stringify({ username: 'ad-manager', password: 'manager-password-1', role: 'manager' }),
    });
    expect(created.status).toBe(201);
    const manager = await loginAs(server, 'ad-manager', 'manager-password-1');
    const me = await server.get('/api/me', { headers: { cookie: manager.cookie } });
    expect(me.body.user).toMatchObject({ username: 'ad-manager', role: 'manager', mustChangePassword: true });
  });
});

describe('defaults taken from the loaded areas', () => {
  it('opens the maps on Andorra: the default view is inside it and fits its parishes', async () => {
    const { region } = (await server.get('/api/meta')).body;
    const view = region.default_view;
    const [lng, lat] = view.center;
    expect(lng).toBeGreaterThan(ANDORRA_BOX.minLng);
    expect(lng).toBeLessThan(ANDORRA_BOX.maxLng);
    expect(lat).toBeGreaterThan(ANDORRA_BOX.minLat);
    expect(lat).toBeLessThan(ANDORRA_BOX.maxLat);
    expect(view.zoom).toBeNull();
    expect(view.bounds).toEqual(region.extent);
    expect(view.source).toBe('areas');
  });

  it("uses 'parish' when coverage and the report summary name no level", async () => {
    const coverage = await server.get('/api/coverage?rule=radius:500&at=2026-12-01T12:00');
    expect(coverage.status, JSON.stringify(coverage.body).slice(0, 300)).toBe(200);
    expect(coverage.body.areas).toHaveLength(6);
    expect(coverage.body.level).toBe('parish');
    const summary = await server.get('/api/reports/summary', { headers: { cookie: admin.cookie } });
    expect(summary.status).toBe(200);
    expect(summary.body.level).toBe('parish');
    expect((await server.get('/api/meta')).body.region.default_level).toBe('parish');
  });
});

describe('bulk import in a deployment without districts', () => {
  it('does not warn that a station inside a parish is outside every district', async () => {
    const res = await server.request('/api/stations/import?format=csv&dry_run=true', {
      method: 'POST',
      headers: { ...admin.headers, 'content-type': 'text/csv' },
      body: `编号,名称,经度,纬度\nAD-W,Punt Vella,${VELLA[0]},${VELLA[1]}\n`,
    });
    expect(res.status).toBe(200);
    expect(res.body.rows[0].problems).toEqual([]);
    expect(res.body.rows[0].warnings).toEqual([]);
  });
});

describe('sunrise and sunset where the station is', () => {
  it("gives a station's sunset at its own position, in Andorra's time", async () => {
    const created = await server.request('/api/stations', {
      method: 'POST',
      headers: admin.headers,
      body: JSON.stringify({ name: 'Punt de sol', lng: VELLA[0], lat: VELLA[1], opening_hours: 'Mo-Su 08:00-sunset' }),
    });
    expect(created.status).toBe(201);
    const item = await server.get(`/api/collections/stations/items/${created.body.station.id}`);
    const today = item.body.properties.hours.week[0];
    const expected = andorraTime(sunsetUtc(today.date, VELLA));
    expect(today.intervals).toHaveLength(1);
    expect(today.intervals[0].from).toBe('08:00');
    // Computed at Beijing, this read about 09:50 in winter; within 2 min of the sunrise equation here.
    expect(Math.abs(minutesOf(today.intervals[0].to) - minutesOf(expected))).toBeLessThanOrEqual(2);
  });

  it("previews sunset hours at the given position, else at the deployment's centre", async () => {
    const at = '2026-12-01T12:00:00+01:00';
    const expected = sunsetUtc('2026-12-01', VELLA).getTime();
    // Andorra la Vella's published sunset that day is 17:21.
    expect(andorraTime(new Date(expected))).toMatch(/^17:(19|2\d)$/);
    const check = (extra: object) =>
      server.request('/api/hours/validate', {
        method: 'POST',
        headers: admin.headers,
        body: JSON.stringify({ opening_hours: 'Mo-Su 08:00-sunset', at, ...extra }),
      });
    const placed = await check({ lng: VELLA[0], lat: VELLA[1] });
    expect(placed.status).toBe(200);
    const placedChange = Date.parse(placed.body.preview.now.next_change);
    expect(Math.abs(placedChange - expected)).toBeLessThanOrEqual(120_000);
    // The parishes' centre is a few km away: the same minute or two.
    const unplaced = await check({});
    expect(Math.abs(Date.parse(unplaced.body.preview.now.next_change) - expected)).toBeLessThanOrEqual(180_000);
  });
});
