/**
 * Issue 11, planner and hours endpoints: every request has a bounded cost (caps stated in the
 * OpenAPI document, impossible dates refused before any work, hours lengths checked before
 * parsing), suggestions / what-if / demand layers need a planner, answers are cached by data
 * version for every instance, and a kind past its limit answers 503 with Retry-After.
 */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createHttpServer } from '../../server/http/http-server.js';
import { createUser, loginAs, type LoggedIn } from '../setup/auth.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;
let planner: LoggedIn;
let admin: LoggedIn;
let manager: LoggedIn;
let stationId: number;
const NOON = '2026-03-04T12:00';
const json = { 'content-type': 'application/json' };

const asPlanner = (path: string) => server.get(path, { headers: { cookie: planner.cookie } });

beforeAll(async () => {
  // One computation per kind at a time and none waiting: the busy answer is easy to provoke.
  server = await startTestServer({ COVERAGE_CONCURRENCY: '1', COVERAGE_QUEUE: '0' });
  const db = server.database.handle.db;
  await createUser(db, { username: 'planner1', password: 'planner-password-1', role: 'planner' });
  await createUser(db, { username: 'admin1', password: 'admin-password-1', role: 'admin' });
  await createUser(db, { username: 'manager1', password: 'manager-password-1', role: 'manager' });
  planner = await loginAs(server, 'planner1', 'planner-password-1');
  admin = await loginAs(server, 'admin1', 'admin-password-1');
  manager = await loginAs(server, 'manager1', 'manager-password-1');
  stationId = (await newStation(db, { lng: 116.397, lat: 39.909 })).id;
  await newStation(db, { lng: 116.41, lat: 39.92, opening_hours: 'Mo-Fr 08:00-18:00' });
});

afterAll(async () => {
  await server?.close();
});

describe('caps on what multiplies work', () => {
  it('refuses the issue’s 44-second suggestion at once, naming the smallest cell that fits', async () => {
    const res = await asPlanner('/api/coverage/suggest?k=50&rule=radius:5000&cell=321');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/cell 321 m is too fine .* use cell ≥ \d+/);
  });

  it.each([
    ['cell=60', /cell/],
    ['k=51', /k/],
    ['max_candidates=2001', /max_candidates/],
    ['rule=radius:5001', /rule radius must be 50\.\.5000/],
  ])('suggest %s → 400', async (query, message) => {
    const res = await asPlanner(`/api/coverage/suggest?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(message);
  });

  it('states each cap in the OpenAPI document', async () => {
    const doc = await server.get('/api/openapi.json');
    const param = (path: string, name: string) =>
      doc.body.paths[path].get.parameters.find((p: any) => p.name === name)?.description ?? '';
    expect(param('/api/coverage/suggest', 'cell')).toMatch(/100\.\.5000.*40000 cells.*5000000/);
    expect(param('/api/coverage/suggest', 'k')).toContain('1..50');
    expect(param('/api/coverage/suggest', 'max_candidates')).toContain('5..2000');
    expect(param('/api/coverage', 'with')).toContain('up to 50');
    expect(param('/api/coverage', 'without')).toContain('up to 1000');
    expect(param('/api/coverage', 'rule')).toContain('50..5000');
    expect(param('/api/coverage/timeline', 'date')).toContain('24 hourly');
  });
});

describe('impossible dates are 400 before any work', () => {
  it.each([
    '/api/coverage/timeline?date=2026-02-30',
    '/api/coverage/timeline?date=2025-02-29',
    `/api/coverage?at=2026-02-30T10:00`,
    `/api/coverage/gaps?at=2026-04-31T10:00%2B08:00`,
    `/api/coverage?at=2026-03-04T24:30`,
    '/api/nearest?lng=116.4&lat=39.9&at=2026-02-30T10:00:00%2B08:00',
  ])('%s', async (path) => {
    const res = await server.get(path);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/date|time|at/);
  });

  it('a real leap day is fine', async () => {
    expect((await server.get('/api/coverage/timeline?date=2028-02-29&area=110101')).status).toBe(
      200,
    );
  });

  it('a closure on 30 February is refused by the hours check', async () => {
    const res = await server.request('/api/hours/validate', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        opening_hours: '24/7',
        closures: [{ from: '2026-02-30T09:00+08:00', to: '2026-03-02T09:00+08:00', reason: '维修' }],
      }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toContain('closures');
  });
});

describe('hours text is measured before it is parsed', () => {
  // Not hours at all: were it parsed, the error would also say "not understood".
  const long = 'Mo-Fr 08:00-12:00 junk; '.repeat(700);

  it('an over-long override in the live check: 400 on length alone', async () => {
    const res = await server.request('/api/hours/validate', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        opening_hours: '24/7',
        hours_overrides: [{ from: '2026-03-01', to: '2026-03-02', opening_hours: long }],
      }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/3000 characters|1000 characters/);
    expect(res.body.error).not.toContain('not understood');
  });

  it('a 100 KB value through PATCH: 400 on length alone', async () => {
    const before = await server.get(`/api/collections/stations/items/${stationId}`);
    const res = await server.request(`/api/stations/${stationId}`, {
      method: 'PATCH',
      headers: { ...admin.headers, 'if-match': `"${before.body.properties.version}"` },
      body: JSON.stringify({ opening_hours: long.repeat(6) }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/3000 characters|1000 characters/);
    expect(res.body.error).not.toContain('not understood');
  });

  it('all hours of one request together stay within 3000 characters', async () => {
    const value = 'Mo-Fr 08:00-18:00; '.repeat(52).slice(0, 990).replace(/[; ]+$/, '');
    const res = await server.request('/api/hours/validate', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        opening_hours: value,
        hours_overrides: [1, 2, 3].map((d) => ({
          from: `2026-03-0${d}`,
          to: `2026-03-0${d}`,
          opening_hours: value,
        })),
      }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toContain('at most 3000 characters');
  });

  it('a good value still gets its preview (parsed in a worker thread)', async () => {
    const res = await server.request('/api/hours/validate', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        opening_hours: 'Mo-Fr 08:00-18:00',
        hours_overrides: [{ from: '2026-03-04', to: '2026-03-04', opening_hours: 'off' }],
        at: '2026-03-04T10:00:00+08:00',
      }),
    });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.preview.now.open).toBe(false);
    const badOverride = await server.request('/api/hours/validate', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        opening_hours: '24/7',
        hours_overrides: [{ from: '2026-03-04', to: '2026-03-04', opening_hours: 'Mo-Fr 25:00' }],
      }),
    });
    expect(badOverride.status).toBe(400);
    expect(badOverride.body.error).toContain('hours_overrides.0.opening_hours');
  });
});

describe('who may run what', () => {
  it('coverage, gaps and the 24-hour curve stay public', async () => {
    expect((await server.get(`/api/coverage?area=110101&at=${NOON}`)).status).toBe(200);
    expect((await server.get(`/api/coverage/gaps?area=110101&at=${NOON}`)).status).toBe(200);
    expect((await server.get('/api/coverage/timeline?date=2026-03-04&area=110101')).status).toBe(
      200,
    );
  });

  it.each([
    ['/api/coverage/suggest?k=1&area=110101', /Sign in as a planner or admin to use site suggestions/],
    ['/api/coverage?area=110101&with=116.4,39.9', /what-if/],
    ['/api/coverage/gaps?area=110101&without=1', /what-if/],
    ['/api/coverage?area=110101&demand=1', /demand layers/],
    ['/api/coverage/timeline?date=2026-03-04&demand=1', /demand layers/],
    ['/api/demand-layers', /Sign in/],
  ])('anonymous %s → 401', async (path, message) => {
    const res = await server.get(path);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatch(message);
  });

  it('a manager gets 403; a planner gets the suggestion', async () => {
    const path = `/api/coverage/suggest?k=1&area=110101&at=${NOON}`;
    const refused = await server.get(path, { headers: { cookie: manager.cookie } });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain('planner or admin');
    expect((await server.get('/api/demand-layers', { headers: { cookie: manager.cookie } })).status).toBe(403);
    expect((await asPlanner(path)).status).toBe(200);
  });
});

describe('answers cached by data version', () => {
  const path = `/api/coverage?level=subdistrict&district=110101&rule=radius:700&at=${NOON}`;

  it('the same question is answered from the cache, by this and by another instance', async () => {
    const first = await server.get(path);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toBe('miss');
    const second = await server.get(path);
    expect(second.headers.get('x-cache')).toBe('hit');
    expect(second.body).toEqual(first.body);
    // Parameters in another order and another instant with the same open stations: same question.
    const reordered = await server.get(
      `/api/coverage?rule=radius:700&at=2026-03-04T13:00&district=110101&level=subdistrict`,
    );
    expect(reordered.headers.get('x-cache')).toBe('hit');
    expect(reordered.body.instant.local).toBe('2026-03-04 13:00');
    expect(reordered.body.totals).toEqual(first.body.totals);

    // A second instance on the same database (a fresh process's memory): still a hit.
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const app = buildApp({ database: server.database.handle, config, logger: pino({ level: 'silent' }) });
    const other = createHttpServer(app).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => other.once('listening', () => resolve()));
    try {
      const res = await fetch(`http://127.0.0.1:${(other.address() as AddressInfo).port}${path}`);
      expect(res.headers.get('x-cache')).toBe('hit');
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it('an edit of a station makes the next answer a fresh one', async () => {
    const before = await server.get(`/api/collections/stations/items/${stationId}`);
    const edit = await server.request(`/api/stations/${stationId}`, {
      method: 'PATCH',
      headers: { ...admin.headers, 'if-match': `"${before.body.properties.version}"` },
      body: JSON.stringify({ lng: 116.4075, lat: 39.9045 }),
    });
    expect(edit.status).toBe(200);
    const after = await server.get(path);
    expect(after.headers.get('x-cache')).toBe('miss');
    expect((await server.get(path)).headers.get('x-cache')).toBe('hit');
  });

  it('identical questions arriving together are computed once', async () => {
    const fresh = `/api/coverage?level=district&area=110102&rule=radius:900&at=${NOON}`;
    const answers = await Promise.all([1, 2, 3].map(() => server.get(fresh)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.filter((a) => a.headers.get('x-cache') === 'miss')).toHaveLength(1);
  });
});

describe('busy', () => {
  it('past its kind’s limit a computation is refused with 503 and Retry-After', async () => {
    // Different questions (no sharing), one slot, no queue: all but the running one are refused.
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map((k) => asPlanner(`/api/coverage/suggest?k=${k}&area=110105&rule=radius:600&at=${NOON}`)),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses).toContain(200);
    const busy = answers.filter((a) => a.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(Number(busy[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(busy[0]!.body.error).toMatch(/busy.*retry/i);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
  });
});
