/**
 * What a stranger can send at the edge: text PostgreSQL cannot store, deeply nested JSON and wrong
 * methods are refused with a 4xx that says what is wrong, before any work and on every route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, loginAs, type LoggedIn } from '../setup/auth.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;
let admin: LoggedIn;
let stationId: number;
let reportId: number;
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  server = await startTestServer();
  const db = server.database.handle.db;
  stationId = (await newStation(db, { lng: 116.3975, lat: 39.9087 })).id;
  await createUser(db, { username: 'edge-admin', password: 'edge-admin-password', role: 'admin' });
  admin = await loginAs(server, 'edge-admin', 'edge-admin-password');
  const report = await server.request(`/api/stations/${stationId}/reports`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ category: 'other', note: 'tap broken' }),
  });
  expect(report.status).toBe(201);
  reportId = report.body.id ?? report.body.report?.id;
  expect(reportId).toBeGreaterThan(0);
});

afterAll(async () => {
  await server?.close();
});

const NUL = '\u0000';

describe('text PostgreSQL cannot store is a 400 naming the field', () => {
  // Raw JSON text, so lone surrogates reach the server as the escapes a client would send.
  const cases: Array<{ what: string; path: () => string; method: string; body: string; field: RegExp; auth?: boolean }> = [
    {
      what: 'login username',
      path: () => '/api/auth/login',
      method: 'POST',
      body: JSON.stringify({ username: `ad${NUL}min`, password: 'whatever-password' }),
      field: /username/,
    },
    {
      what: 'report note',
      path: () => `/api/stations/${stationId}/reports`,
      method: 'POST',
      body: JSON.stringify({ category: 'other', note: `broken${NUL}` }),
      field: /note/,
    },
    {
      what: 'report note with a lone surrogate',
      path: () => `/api/stations/${stationId}/reports`,
      method: 'POST',
      body: '{"category":"other","note":"half a pair \\ud83d here"}',
      field: /note/,
    },
    {
      what: 'station name',
      path: () => `/api/stations/${stationId}`,
      method: 'PATCH',
      body: JSON.stringify({ version: 1, name: `站${NUL}名` }),
      field: /name/,
      auth: true,
    },
    {
      what: 'closure reason',
      path: () => `/api/stations/${stationId}`,
      method: 'PATCH',
      body: JSON.stringify({
        version: 1,
        closures: [{ from: '2026-12-01T08:00+08:00', to: '2026-12-02T08:00+08:00', reason: `repairs${NUL}` }],
      }),
      field: /closures\.0\.reason/,
      auth: true,
    },
    {
      what: 'demand layer name',
      path: () => '/api/demand-layers',
      method: 'POST',
      body: JSON.stringify({ name: `riders${NUL}`, csv: 'lng,lat,weight\n116.4,39.9,1\n' }),
      field: /name/,
      auth: true,
    },
    {
      what: 'report resolution',
      path: () => `/api/reports/${reportId}/resolve`,
      method: 'POST',
      body: JSON.stringify({ resolution: `fixed${NUL}` }),
      field: /resolution/,
      auth: true,
    },
    {
      what: 'a GeoJSON property in an import (JSON body)',
      path: () => '/api/stations/import?format=geojson&dry_run=false',
      method: 'POST',
      body: JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            geometry: { type: 'Point', coordinates: [116.4, 39.9] },
            properties: { name: `导入${NUL}站` },
          },
        ],
      }),
      field: /features\.0\.properties\.name/,
      auth: true,
    },
    {
      what: 'an object key',
      path: () => `/api/stations/${stationId}/reports`,
      method: 'POST',
      body: '{"category":"other","no\\u0000te":"x"}',
      field: /no\\u0000te|key/,
    },
  ];

  for (const c of cases) {
    it(`${c.what}`, async () => {
      const res = await server.request(c.path(), {
        method: c.method,
        headers: c.auth ? admin.headers : json,
        body: c.body,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error).toMatch(c.field);
      expect(res.body.error).toMatch(/cannot be stored/);
    });
  }

  it('in the query too: /api/me/stations?q=%00 and a station search', async () => {
    const mine = await server.get('/api/me/stations?q=%00', { headers: admin.headers });
    expect(mine.status).toBe(400);
    expect(mine.body.error).toMatch(/q\b/);
    const nearest = await server.get('/api/nearest?lng=116.4&lat=39.9&kind=%00');
    expect(nearest.status).toBe(400);
    expect(nearest.body.error).toMatch(/kind/);
  });

  it('ordinary text, Chinese and emoji included, still passes', async () => {
    const res = await server.request(`/api/stations/${stationId}/reports`, {
      method: 'POST',
      headers: { ...json, 'x-forwarded-for': '203.0.113.200' },
      body: JSON.stringify({ category: 'other', note: '热水器坏了 🔥 tab\tok' }),
    });
    expect(res.status).toBe(201);
  });
});

describe('deeply nested JSON is a 400 before it is parsed', () => {
  const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

  it('100,000 levels to the import route as application/json', async () => {
    const res = await server.request('/api/stations/import?format=geojson', {
      method: 'POST',
      headers: admin.headers,
      body: deep(100_000),
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/nested more than \d+ levels/);
  });

  it('100,000 levels to an anonymous route', async () => {
    const res = await server.request('/api/hours/validate', {
      method: 'POST',
      headers: json,
      body: `{"opening_hours":${deep(100_000)}}`,
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/nested more than \d+ levels/);
  });

  it('20,000 levels inside a GeoJSON property of an uploaded file', async () => {
    const file =
      '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[116.4,39.9]},' +
      `"properties":{"name":"深","extra":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}}]}`;
    const res = await server.request('/api/stations/import?format=geojson', {
      method: 'POST',
      headers: { ...admin.headers, 'content-type': 'application/geo+json' },
      body: file,
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/nested more than \d+ levels/);
  });

  it('brackets inside strings do not count', async () => {
    const res = await server.request('/api/hours/validate', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ opening_hours: '['.repeat(500) + '"{\\' }),
    });
    expect(res.status).toBeLessThan(500);
    expect(res.body.error ?? '').not.toMatch(/nested/);
  });
});

describe('a wrong method on a known path is 405 with Allow', () => {
  const cases: Array<[string, string, string[]]> = [
    ['POST', '/api/nearest?lng=116.4&lat=39.9', ['GET']],
    ['DELETE', '/api/collections/stations/items', ['GET']],
    ['PUT', '/api/stations/1', ['GET', 'PATCH', 'DELETE']],
    ['GET', '/api/auth/login', ['POST']],
    ['PATCH', '/api/coverage/suggest', ['GET']],
    ['POST', '/healthz', ['GET']],
  ];
  for (const [method, path, allowed] of cases) {
    it(`${method} ${path}`, async () => {
      const res = await server.request(path, { method, headers: admin.headers });
      expect(res.status).toBe(405);
      const allow = (res.headers.get('allow') ?? '').split(/,\s*/);
      for (const m of allowed) expect(allow).toContain(m);
      expect(allow).not.toContain(method);
      expect(res.body.error).toContain(method);
    });
  }

  it('an unknown path is still 404', async () => {
    expect((await server.request('/api/nothing-here', { method: 'POST', headers: json })).status).toBe(404);
    expect((await server.get('/api/nothing-here')).status).toBe(404);
  });
});

describe('private answers are never kept by a cache', () => {
  it('every signed-in answer says Cache-Control: no-store; public ones may be kept', async () => {
    const privatePaths = [
      '/api/me',
      '/api/me/stations',
      '/api/users',
      '/api/reports',
      `/api/stations/${stationId}`,
      `/api/stations/${stationId}/history`,
      '/api/stations/export?format=csv',
      '/api/reports/summary',
    ];
    for (const path of privatePaths) {
      const res = await server.get(path, { headers: admin.headers });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toMatch(/no-store/);
    }
    const anonymous = await server.get('/api/meta');
    expect(anonymous.headers.get('cache-control') ?? '').not.toMatch(/no-store/);
  });
});
