/**
 * Security suite: an authorisation matrix over every write route (anonymous → 401, manager of A on
 * B → 403, planner → 403, admin → allowed), CSRF-less cookie writes, hostile strings stored
 * verbatim, oversized bodies. A coverage check fails when a new write route is not in the matrix.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../server/db/client.js';
import { createUser, loginAs, type LoggedIn } from '../setup/auth.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;
let stationA: number;
const sessions: Record<'managerA' | 'planner' | 'admin', LoggedIn> = {} as never;
let reportIp = 0;

const db = () => server.database.handle.db;
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  server = await startTestServer();
  stationA = (await newStation(db(), { lng: 116.4015, lat: 39.9087, name: '甲站' })).id;
  await createUser(db(), { username: 'manager-a', password: 'manager-password-1', role: 'manager', stationIds: [stationA] });
  await createUser(db(), { username: 'planner', password: 'planner-password-1', role: 'planner' });
  await createUser(db(), { username: 'admin', password: 'admin-password-1', role: 'admin' });
  sessions.managerA = await loginAs(server, 'manager-a', 'manager-password-1');
  sessions.planner = await loginAs(server, 'planner', 'planner-password-1');
  sessions.admin = await loginAs(server, 'admin', 'admin-password-1');
});

afterAll(async () => {
  await server?.close();
});

/** A fresh station B that manager A does not keep, with one recorded change and one open report. */
async function freshStationB() {
  const station = await newStation(db(), { lng: 116.31, lat: 39.98, name: '乙站' });
  const edit = await server.request(`/api/stations/${station.id}`, {
    method: 'PATCH',
    headers: { ...sessions.admin.headers, 'if-match': `"${station.version}"` },
    body: JSON.stringify({ seats: 4 }),
  });
  reportIp += 1;
  const report = await server.request(`/api/stations/${station.id}/reports`, {
    method: 'POST',
    headers: { ...json, 'x-forwarded-for': `192.0.2.${reportIp}` },
    body: JSON.stringify({ category: 'no_water' }),
  });
  return { id: station.id, version: edit.body.station.version as number, changeId: edit.body.change_id as number, reportId: report.body.id as number };
}

type Fixture = Awaited<ReturnType<typeof freshStationB>> & { userId: number; layerId: number };
type Actor = 'anonymous' | 'managerA' | 'planner' | 'admin';

interface WriteRoute {
  method: 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  /** OpenAPI path, matched against /api/openapi.json for coverage. */
  path: string;
  url(f: Fixture): string;
  body?(f: Fixture): string;
  contentType?: string;
  /** Status expected per actor; admin's is the success status. */
  expect: Record<Actor, number>;
}

const STATION_RULE = { anonymous: 401, managerA: 403, planner: 403 } as const;

const MATRIX: WriteRoute[] = [
  { method: 'PATCH', path: '/api/stations/{id}', url: (f) => `/api/stations/${f.id}`, body: (f) => JSON.stringify({ version: f.version, phone: '010-12345678' }), expect: { ...STATION_RULE, admin: 200 } },
  { method: 'POST', path: '/api/stations/{id}/verify', url: (f) => `/api/stations/${f.id}/verify`, expect: { ...STATION_RULE, admin: 200 } },
  { method: 'POST', path: '/api/stations/{id}/revert/{changeId}', url: (f) => `/api/stations/${f.id}/revert/${f.changeId}`, body: (f) => JSON.stringify({ version: f.version }), expect: { ...STATION_RULE, admin: 200 } },
  { method: 'POST', path: '/api/stations', url: () => '/api/stations', body: () => JSON.stringify({ name: '新站', lng: 116.4, lat: 39.9 }), expect: { ...STATION_RULE, admin: 201 } },
  { method: 'DELETE', path: '/api/stations/{id}', url: (f) => `/api/stations/${f.id}`, expect: { ...STATION_RULE, admin: 204 } },
  // Past the access check a text body is refused as not an image (400), and no photo 999999 (404): who gets that far.
  { method: 'POST', path: '/api/stations/{id}/photos', url: (f) => `/api/stations/${f.id}/photos?kind=entrance`, contentType: 'image/jpeg', body: () => 'not a jpeg', expect: { ...STATION_RULE, admin: 400 } },
  { method: 'DELETE', path: '/api/stations/{id}/photos/{photoId}', url: (f) => `/api/stations/${f.id}/photos/999999`, expect: { ...STATION_RULE, admin: 404 } },
  { method: 'POST', path: '/api/reports/{id}/resolve', url: (f) => `/api/reports/${f.reportId}/resolve`, body: () => JSON.stringify({ resolution: '已修好' }), expect: { ...STATION_RULE, admin: 200 } },
  { method: 'POST', path: '/api/users', url: () => '/api/users', body: () => JSON.stringify({ username: `u${Math.random().toString(36).slice(2, 8)}`, password: 'new-user-password', role: 'planner' }), expect: { ...STATION_RULE, admin: 201 } },
  { method: 'PATCH', path: '/api/users/{id}', url: (f) => `/api/users/${f.userId}`, body: () => JSON.stringify({ role: 'planner' }), expect: { ...STATION_RULE, admin: 200 } },
  { method: 'POST', path: '/api/holidays/import', url: () => '/api/holidays/import?format=csv&dry_run=true', contentType: 'text/csv', body: () => 'date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n', expect: { ...STATION_RULE, admin: 200 } },
  { method: 'POST', path: '/api/areas/import', url: () => '/api/areas/import?level=district&dry_run=true', contentType: 'application/geo+json', body: () => JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '110101', name: '东城区' }, geometry: { type: 'Polygon', coordinates: [[[116.38, 39.87], [116.44, 39.87], [116.44, 39.97], [116.38, 39.87]]] } }] }), expect: { ...STATION_RULE, admin: 200 } },
  { method: 'POST', path: '/api/stations/import', url: () => '/api/stations/import?format=csv&dry_run=true', contentType: 'text/csv', body: () => 'name,lng,lat\n测试,116.4,39.9\n', expect: { ...STATION_RULE, admin: 200 } },
  // Planning data: planners are meant to write it.
  { method: 'POST', path: '/api/demand-layers', url: () => '/api/demand-layers', body: () => JSON.stringify({ name: '骑手', csv: 'lng,lat,weight\n116.4,39.9,3\n' }), expect: { anonymous: 401, managerA: 403, planner: 201, admin: 201 } },
  // Past the access check a text body is refused as not a GeoTIFF (400): what is checked here is who gets that far.
  { method: 'POST', path: '/api/demand-layers/rasters', url: () => '/api/demand-layers/rasters?name=x', contentType: 'image/tiff', body: () => 'not a tiff', expect: { anonymous: 401, managerA: 403, planner: 400, admin: 400 } },
  { method: 'DELETE', path: '/api/demand-layers/{id}', url: (f) => `/api/demand-layers/${f.layerId}`, expect: { anonymous: 401, managerA: 403, planner: 204, admin: 204 } },
];

/** Writes open to everyone by design (no account), each with the reason. */
const PUBLIC_WRITES: Record<string, string> = {
  'POST /api/auth/login': 'signing in',
  'POST /api/auth/logout': 'ends the caller\'s own session only (CSRF-checked)',
  'POST /api/me/password': 'the caller\'s own password only, the current one required (accounts.test.ts)',
  'DELETE /api/me/sessions': 'the caller\'s own sessions only (accounts.test.ts)',
  'POST /api/stations/{id}/reports': 'workers report without an account (rate-limited)',
  'POST /api/stations/{id}/confirmations': 'workers confirm a station without an account (once a day per client and station)',
  'POST /api/hours/validate': 'pure computation, writes nothing',
};

async function fixture(): Promise<Fixture> {
  const b = await freshStationB();
  const [user] = await queryRows<{ id: number }>(
    db(),
    sql`insert into users (username, password_hash, role) values (${`x${b.id}`}, 'scrypt$1$1$1$x$y', 'manager') returning id`,
  );
  const layer = await server.request('/api/demand-layers', {
    method: 'POST',
    headers: sessions.admin.headers,
    body: JSON.stringify({ name: '样例', csv: 'lng,lat,weight\n116.4,39.9,3\n' }),
  });
  return { ...b, userId: user!.id, layerId: layer.body?.id };
}

function headersOf(actor: Actor, route: WriteRoute): Record<string, string> {
  const contentType = { 'content-type': route.contentType ?? 'application/json' };
  return actor === 'anonymous' ? contentType : { ...sessions[actor].headers, ...contentType };
}

describe('authorisation matrix over every write route', () => {
  it('covers every non-GET operation the API documents', async () => {
    const doc = await server.get('/api/openapi.json');
    const writes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) => Object.keys(ops).filter((m) => m !== 'get').map((m) => `${m.toUpperCase()} ${path}`),
    );
    const covered = new Set([...MATRIX.map((r) => `${r.method} ${r.path}`), ...Object.keys(PUBLIC_WRITES)]);
    expect(writes.filter((w) => !covered.has(w))).toEqual([]);
  });

  for (const route of MATRIX) {
    for (const actor of ['anonymous', 'managerA', 'planner', 'admin'] as const) {
      it(`${route.method} ${route.path} as ${actor} → ${route.expect[actor]}`, async () => {
        const f = await fixture();
        const res = await server.request(route.url(f), {
          method: route.method,
          headers: headersOf(actor, route),
          body: route.body?.(f),
        });
        expect(res.status, JSON.stringify(res.body)).toBe(route.expect[actor]);
        if (res.status >= 400) expect(typeof res.body.error).toBe('string');
        if (actor !== 'admin' && route.expect[actor] >= 400 && route.path.startsWith('/api/stations/{id}')) {
          // Refused means unchanged.
          const after = await server.get(`/api/stations/${f.id}`);
          expect(after.body.station.version).toBe(f.version);
        }
      });
    }
  }

  it('a manager may edit their own station A', async () => {
    const version = (await server.get(`/api/stations/${stationA}`)).body.station.version;
    const res = await server.request(`/api/stations/${stationA}`, {
      method: 'PATCH',
      headers: { ...sessions.managerA.headers, 'if-match': `"${version}"` },
      body: JSON.stringify({ seats: 6 }),
    });
    expect(res.status).toBe(200);
  });
});

describe('CSRF', () => {
  it('rejects every cookie-authenticated write without the token, and with a wrong one', async () => {
    for (const route of MATRIX) {
      const f = await fixture();
      for (const token of [undefined, 'not-the-token-at-all-xxxxxxxxxxxx']) {
        const headers: Record<string, string> = { cookie: sessions.admin.cookie, 'content-type': route.contentType ?? 'application/json' };
        if (token) headers['x-csrf-token'] = token;
        const res = await server.request(route.url(f), { method: route.method, headers, body: route.body?.(f) });
        expect(res.status, `${route.method} ${route.path}`).toBe(403);
        expect(res.body.error).toContain('X-CSRF-Token');
      }
    }
  });
});

describe('hostile strings', () => {
  const HOSTILE = [
    "'); DROP TABLE stations; --",
    '<script>alert("x")</script>',
    '" onmouseover="alert(1)',
    "Robert'); DELETE FROM users WHERE ('1'='1",
    '${7*7} {{7*7}} %s %n \\x00',
  ];

  it('stores them verbatim in every text field and leaves the tables intact', async () => {
    for (const text of HOSTILE) {
      const version = (await server.get(`/api/stations/${stationA}`)).body.station.version;
      const res = await server.request(`/api/stations/${stationA}`, {
        method: 'PATCH',
        headers: { ...sessions.managerA.headers, 'if-match': `"${version}"` },
        body: JSON.stringify({
          name: text,
          name_en: text,
          address: text,
          location_note: text,
          closures: [{ from: '2031-01-01T00:00+08:00', to: '2031-01-02T00:00+08:00', reason: text }],
          hours_overrides: [{ from: '2031-02-01', to: '2031-02-02', opening_hours: 'off', note: text }],
        }),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const stored = (await server.get(`/api/stations/${stationA}`)).body.station;
      expect([stored.name, stored.name_en, stored.address, stored.location_note, stored.closures[0].reason, stored.hours_overrides[0].note]).toEqual(Array(6).fill(text));
      reportIp += 1;
      const report = await server.request(`/api/stations/${stationA}/reports`, {
        method: 'POST',
        headers: { ...json, 'x-forwarded-for': `198.18.0.${reportIp}` },
        body: JSON.stringify({ category: 'other', note: text }),
      });
      expect(report.status).toBe(201);
    }
    const reports = await server.get('/api/reports?status=open', { headers: sessions.managerA.headers });
    const notes = reports.body.reports.map((r: { note: string }) => r.note);
    for (const text of HOSTILE) expect(notes).toContain(text);
    const [counts] = await queryRows<{ stations: number; users: number }>(
      db(),
      sql`select (select count(*)::int from stations) as stations, (select count(*)::int from users) as users`,
    );
    expect(counts!.stations).toBeGreaterThan(0);
    expect(counts!.users).toBeGreaterThanOrEqual(3);
  });

  it('treats hostile ids and queries as bad input, not SQL', async () => {
    const res = await server.request(`/api/stations/${encodeURIComponent('1 or 1=1')}`, {
      method: 'PATCH',
      headers: sessions.admin.headers,
      body: JSON.stringify({ seats: 1, version: 1 }),
    });
    expect(res.status).toBe(400);
    const search = await server.get(`/api/me/stations?q=${encodeURIComponent("%' or '1'='1")}`, { headers: sessions.admin.headers });
    expect(search.status).toBe(200);
    expect(search.body.stations).toEqual([]);
  });
});

describe('oversized bodies', () => {
  it('answers 413 JSON to a body over the 1 MB limit', async () => {
    const res = await server.request(`/api/stations/${stationA}`, {
      method: 'PATCH',
      headers: { ...sessions.managerA.headers, 'if-match': '"1"' },
      body: JSON.stringify({ address: 'x'.repeat(1_100_000) }),
    });
    expect(res.status).toBe(413);
    expect(res.body.error).toContain('too large');
  });

  it('answers 400 to fields over their own limits', async () => {
    const version = (await server.get(`/api/stations/${stationA}`)).body.station.version;
    const res = await server.request(`/api/stations/${stationA}`, {
      method: 'PATCH',
      headers: { ...sessions.managerA.headers, 'if-match': `"${version}"` },
      body: JSON.stringify({ address: 'x'.repeat(5000) }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toContain('at most 500');
    const note = await server.request(`/api/stations/${stationA}/reports`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ category: 'other', note: 'x'.repeat(501) }),
    });
    expect(note.status).toBe(400);
  });
});
