/**
 * ≥ 10,000 generated malformed requests across every route in the OpenAPI document (so new routes are
 * fuzzed as soon as they are documented): no response may be ≥ 500, every 4xx must carry a JSON
 * message, and the stored data must be byte-for-byte unchanged afterwards.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/lib/sample-stations.js';
import { queryRows } from '../../server/db/client.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';

const TOTAL_REQUESTS = 10_000;
const CONCURRENCY = 8;

let server: TestServer;
let authHeaders: Record<string, string> = {};

/** Every table's content as one digest: any write the fuzzing got through changes it. */
async function dataDigest(): Promise<string> {
  const tables = await queryRows<{ table_name: string }>(
    server.database.handle.db,
    sql`select table_name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE'
          -- bookkeeping that refusals legitimately touch (rate-limit counters, sessions), and the
          -- results cache a well-formed public read fills (derived, never data)
          and table_name not in ('spatial_ref_sys', 'sessions', 'rate_limit_counters', '__drizzle_migrations', 'coverage_cache')
        order by table_name`,
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const [row] = await queryRows<{ digest: string | null }>(
      server.database.handle.db,
      sql`select md5(string_agg(t::text, '|' order by t::text)) as digest from ${sql.identifier(table_name)} t`,
    );
    parts.push(`${table_name}:${row?.digest ?? 'empty'}`);
  }
  return parts.join(',');
}

const seeded = (seed: number) => mulberry32(seed);

const NASTY_VALUES = [
  '',
  ' ',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1e309',
  '9'.repeat(400),
  '-0',
  '0x1F',
  '1,2',
  '1,2,3,4,5',
  '181,-91,182,92',
  '179,-10,-179,10', // crosses the antimeridian
  '116.5,39.95,116.3,39.85', // inverted
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '中文字符',
  '🚲🔥💧',
  '\u0000',
  '%00',
  "'; drop table stations; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'x'.repeat(10_000),
  'Mo-Fr 25:00-99:00',
  'PH off; SH on',
  '2026-02-30T25:61:00Z',
  'lng,lat',
  '116.4;39.9;116.5',
];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

/** A value of the wrong type for every property, so no generated body can be valid. */
function wrongTypedBody(random: () => number, schema: any): unknown {
  const properties = Object.keys(schema?.properties ?? {});
  const wrong = [
    { nested: { deep: [1, [2, [3]]] } },
    [1, 2, 3],
    -1e308,
    'x'.repeat(5000),
    true,
    { type: 'Feature', geometry: { type: 'Point', coordinates: ['a', 'b'] } },
  ];
  if (properties.length === 0)
    return pick(random, [[], 'string', 42, null, { junk: pick(random, wrong) }]);
  return Object.fromEntries(
    properties.map((name) => {
      const type = schema.properties[name]?.type;
      const candidates = wrong.filter((w) =>
        type === 'string'
          ? typeof w !== 'string'
          : type === 'array'
            ? !Array.isArray(w)
            : type === 'object'
              ? typeof w !== 'object' || Array.isArray(w)
              : typeof w !== type,
      );
      return [name, pick(random, candidates.length ? candidates : wrong)];
    }),
  );
}

function rawBodies(random: () => number): string {
  return pick(random, [
    '{',
    '{"a":',
    '[1,2',
    'not json at all',
    '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0]]]}}]}',
    '\u0000\u0001\u0002',
    '"just a string"',
    '{"__proto__":{"admin":true}}',
    '{"opening_hours":"Mo-Fr 25:00-99:00"}',
  ]);
}

interface Operation {
  method: string;
  path: string;
  parameters: Array<{ name: string; in: string; schema?: any }>;
  bodySchema?: unknown;
}

function operationsOf(doc: any): Operation[] {
  const ops: Operation[] = [];
  for (const [p, methods] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(methods)) {
      ops.push({
        method: method.toUpperCase(),
        path: p,
        parameters: op.parameters ?? [],
        bodySchema: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return ops;
}

function buildRequest(random: () => number, op: Operation, stationId: number) {
  // A write needs no body to be valid (DELETE /api/stations/{id}, POST …/verify): with an admin
  // session and a real id it would be a real write, not a malformed one, so writes get an id that
  // names no station.
  const realId = op.method === 'GET' ? String(stationId) : String(stationId + 1_000_000);
  const pathValue = (name: string) =>
    random() < 0.3
      ? name === 'collectionId'
        ? pick(random, ['stations', 'districts', 'subdistricts'])
        : realId
      : encodeURIComponent(pick(random, NASTY_VALUES)).slice(0, 2000);
  const urlPath = op.path.replace(/\{(\w+)\}/g, (_, name) => pathValue(name) || 'x');
  const query = new URLSearchParams();
  for (const param of op.parameters.filter((p) => p.in === 'query')) {
    if (random() < 0.6) query.append(param.name, pick(random, NASTY_VALUES));
    if (random() < 0.05) query.append(param.name, pick(random, NASTY_VALUES)); // repeated key
  }
  if (random() < 0.2) query.append(pick(random, ['unknown', 'bbox[]', '__proto__', '']), '1');
  let body: string | undefined;
  let contentType = 'application/json';
  if (op.method !== 'GET' && op.method !== 'DELETE') {
    const r = random();
    if (r < 0.45) body = JSON.stringify(wrongTypedBody(random, op.bodySchema));
    else if (r < 0.85) body = rawBodies(random);
    else {
      body = 'x=1&y=2';
      contentType = pick(random, ['text/plain', 'application/x-www-form-urlencoded', 'text/csv']);
    }
  }
  const qs = query.toString();
  return { url: urlPath + (qs ? `?${qs}` : ''), method: op.method, body, contentType };
}

beforeAll(async () => {
  server = await startTestServer();
  const db = server.database.handle.db;
  await newStation(db, { lng: 116.4, lat: 39.91, opening_hours: 'Mo-Fr 08:00-18:00' });
  await newStation(db, { lng: 116.3, lat: 39.95, kind: 'rider_home' });
  // Fuzz the write routes past authentication too, when accounts exist.
  const authHelper = path.join(import.meta.dirname, '..', 'setup', 'auth.ts');
  if (fs.existsSync(authHelper)) {
    const { createUser, loginAs } = await import(authHelper);
    await createUser(db, {
      username: 'fuzz-admin',
      password: 'fuzz-admin-password-1',
      role: 'admin',
    });
    authHeaders = (await loginAs(server, 'fuzz-admin', 'fuzz-admin-password-1')).headers;
  }
});

afterAll(async () => {
  await server?.close();
});

describe('fuzzing every documented route', () => {
  it(`answers ${TOTAL_REQUESTS} malformed requests without a 5xx, with JSON messages, changing nothing`, async () => {
    const doc = (await server.get('/api/openapi.json')).body;
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThan(4);
    const stationId = (await server.get('/api/collections/stations/items?limit=1')).body.features[0]
      .id;
    const before = await dataDigest();
    const random = seeded(20261122);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    const worker = async () => {
      while (sent < TOTAL_REQUESTS) {
        sent += 1;
        const op = ops[sent % ops.length]!;
        const req = buildRequest(random, op, stationId);
        // Half of the writes go anonymous (must be 401), half as admin (must fail validation).
        const asAdmin = req.method !== 'GET' && random() < 0.5;
        const res = await fetch(server.baseUrl + req.url, {
          method: req.method,
          headers: {
            ...(asAdmin ? authHeaders : {}),
            ...(req.body !== undefined ? { 'content-type': req.contentType } : {}),
          },
          body: req.body,
        });
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500)
          failures.push(
            `${req.method} ${req.url.slice(0, 200)} → ${res.status} ${text.slice(0, 200)}`,
          );
        else if (res.status >= 400) {
          let message: unknown;
          try {
            message = JSON.parse(text).error;
          } catch {
            message = undefined;
          }
          if (typeof message !== 'string' || message.length === 0)
            failures.push(
              `${req.method} ${req.url.slice(0, 200)} → ${res.status} without a JSON error: ${text.slice(0, 120)}`,
            );
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(failures.slice(0, 20)).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(
      TOTAL_REQUESTS,
    );
    // Most answers must be refusals: the generator only makes malformed requests.
    const refused = [...statuses].filter(([s]) => s >= 400).reduce((a, [, n]) => a + n, 0);
    expect(refused / TOTAL_REQUESTS).toBeGreaterThan(0.5);
    expect(await dataDigest()).toBe(before);
  }, 600_000);
});

/**
 * The classes outside testing found (issue 11), each sent to every documented route: text
 * PostgreSQL cannot store, impossible dates, JSON nested 100k deep, wrong methods, and parameters
 * set to their documented maximum (the most work a request may ask for). None may be a 5xx, and the
 * stored data must not change.
 */
describe('fuzzing by class', () => {

  it('NUL, impossible dates, deep JSON, wrong methods and maximum-cost parameters: no 5xx', async () => {
    const doc = (await server.get('/api/openapi.json')).body;
    const ops = operationsOf(doc);
    const stationId = (await server.get('/api/collections/stations/items?limit=1')).body.features[0]
      .id;
    // Writes name a station that does not exist: a write whose body may be empty (a confirmation,
    // a verify) is a real write when well-formed, and this test must change nothing.
    const fill = (path: string, method = 'GET') =>
      path.replace(/\{(\w+)\}/g, (_, name) =>
        name === 'collectionId' ? 'stations' : String(method === 'GET' ? stationId : stationId + 1_000_000),
      );
    const before = await dataDigest();
    const failures: string[] = [];
    const counts: Record<string, Map<number, number>> = {};
    const send = async (
      kind: string,
      method: string,
      url: string,
      init: { body?: string; auth?: boolean; contentType?: string } = {},
    ) => {
      const res = await fetch(server.baseUrl + url, {
        method,
        headers: {
          ...(init.auth ? authHeaders : {}),
          ...(init.body !== undefined ? { 'content-type': init.contentType ?? 'application/json' } : {}),
        },
        body: init.body,
      });
      const text = await res.text();
      (counts[kind] ??= new Map()).set(res.status, (counts[kind].get(res.status) ?? 0) + 1);
      if (res.status >= 500) failures.push(`${kind}: ${method} ${url.slice(0, 160)} → ${res.status} ${text.slice(0, 160)}`);
      return { status: res.status, headers: res.headers, text };
    };
    const queryWith = (op: Operation, value: (p: { name: string; schema?: any }) => string | null) => {
      const query = new URLSearchParams();
      for (const p of op.parameters.filter((x) => x.in === 'query')) {
        const v = value(p);
        if (v !== null) query.append(p.name, v);
      }
      const qs = query.toString();
      return fill(op.path) + (qs ? `?${qs}` : '');
    };

    for (const op of ops) {
      // NUL and a lone surrogate: in every query parameter of reads, in every body property of writes.
      if (op.method === 'GET') {
        await send('nul', 'GET', queryWith(op, () => 'a\u0000b'), { auth: true });
        await send('nul', 'GET', fill(op.path) + '?q=%00&name=%ED%A0%80', { auth: true });
      } else {
        const properties = Object.keys((op.bodySchema as any)?.properties ?? { note: {} });
        await send('nul', op.method, fill(op.path, op.method), {
          auth: true,
          body: JSON.stringify(Object.fromEntries(properties.map((name) => [name, 'x\u0000y']))),
        });
        await send('nul', op.method, fill(op.path, op.method), {
          auth: true,
          body: `{${properties.map((name) => `"${name}":"\\ud800"`).join(',')}}`,
        });
      }
      // Impossible dates and times in every query parameter.
      if (op.method === 'GET') {
        for (const date of ['2026-02-30', '2026-13-01T25:61:00Z', '0000-00-00', '+275760-09-14']) {
          await send('date', 'GET', queryWith(op, () => date), { auth: true });
        }
      }
      // JSON nested 100,000 deep, to reads and writes alike.
      await send('deep', op.method === 'GET' ? 'POST' : op.method, fill(op.path, 'POST'), {
        auth: op.method !== 'GET',
        body: '['.repeat(100_000) + ']'.repeat(100_000),
      });
      // Every parameter at its documented maximum (or its longest allowed text).
      if (op.method === 'GET') {
        await send(
          'cost',
          'GET',
          queryWith(op, ({ schema }) =>
            schema?.maximum !== undefined
              ? String(schema.maximum)
              : schema?.maxLength !== undefined
                ? '9'.repeat(Math.min(schema.maxLength, 4000))
                : schema?.enum?.length
                  ? String(schema.enum[schema.enum.length - 1])
                  : null,
          ),
          { auth: true },
        );
      }
    }

    // Wrong methods on every documented path, anonymously (so a method the doc forgot but a route
    // serves can only be refused): 405 with Allow, never a 5xx.
    const documented = new Map<string, Set<string>>();
    for (const op of ops) (documented.get(op.path) ?? documented.set(op.path, new Set()).get(op.path)!).add(op.method);
    for (const [path, methods] of documented) {
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        if (methods.has(method)) continue;
        const res = await send('method', method, fill(path, method), method === 'GET' ? {} : { body: '{}' });
        if (res.status === 405 && !res.headers.get('allow'))
          failures.push(`method: ${method} ${path} → 405 without Allow`);
      }
    }

    expect(failures.slice(0, 20)).toEqual([]);
    expect(counts.method?.get(405) ?? 0).toBeGreaterThan(10);
    expect(counts.deep?.get(400) ?? 0).toBeGreaterThan(0);
    expect(counts.nul?.get(400) ?? 0).toBeGreaterThan(10);
    expect(await dataDigest()).toBe(before);
  }, 600_000);
});
