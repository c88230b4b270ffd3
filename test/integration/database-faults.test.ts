/**
 * A database that cannot write (read-only here; disk full is classified the same way, see
 * test/unit/database-errors.test.ts) makes writes answer 503 with Retry-After, never 500, and
 * /readyz say "not ready" while reads and /healthz keep answering. Both engines.
 */
import express from 'express';
import pg from 'pg';
import pino from 'pino';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFaults } from '../../server/db/database-errors.js';
import { errorHandler } from '../../server/http/errors.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;
let stationId: number;

/** Makes every new transaction read-only (PGlite: its one session; a server: the database). */
async function setReadOnly(on: boolean) {
  const handle = server.database.handle;
  if (handle.pglite) {
    await handle.pglite.exec(`set default_transaction_read_only = ${on ? 'on' : 'off'}`);
    return;
  }
  const admin = new pg.Client({ connectionString: server.database.url });
  await admin.connect();
  try {
    await admin.query('begin');
    await admin.query('set transaction read write');
    const name = (await admin.query('select current_database() as n')).rows[0].n;
    await admin.query(`alter database "${name}" ${on ? 'set default_transaction_read_only = on' : 'reset default_transaction_read_only'}`);
    await admin.query('commit');
    // Pooled connections keep their settings: end them, so the pool opens new ones.
    await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
  } finally {
    await admin.end();
  }
}

const report = () =>
  server.request(`/api/stations/${stationId}/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category: 'no_water', note: 'read-only check' }),
  });

beforeAll(async () => {
  server = await startTestServer();
  stationId = (await newStation(server.database.handle.db, { lng: 116.4, lat: 39.9 })).id;
  writeFaults.clear();
});

afterAll(async () => {
  writeFaults.clear();
  await server?.close();
});

describe('a database that cannot write', () => {
  it('answers writes 503 with Retry-After, keeps reads, and is not ready until it can write', async () => {
    expect((await server.get('/readyz')).status).toBe(200);
    await setReadOnly(true);
    try {
      // The first request after the pool lost its connections may be refused as unavailable;
      // either way a 503 with Retry-After, and once connected the read-only answer.
      let res = await report();
      if (res.status === 503 && !/read-only/.test(res.body.error)) res = await report();
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(res.body.error).toMatch(/read-only/);

      const ready = await server.get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await server.get('/healthz')).status).toBe(200);
      expect((await server.get('/api/collections/stations/items?limit=5')).status).toBe(200);
    } finally {
      await setReadOnly(false);
    }
    // Writable again: the fault memory lapses (30 s in service; cleared here) and writes work.
    writeFaults.clear();
    let res = await report();
    if (res.status === 503) res = await report();
    expect(res.status).toBe(201);
    expect((await server.get('/readyz')).status).toBe(200);
  });
});

describe('a statement past the server’s statement_timeout', () => {
  // PGlite does not enforce statement_timeout (its watchdog restarts it instead: a 57P01, see
  // pglite-watchdog.test.ts); a server cancels the statement with 57014.
  it.runIf(!!process.env.TEST_DATABASE_URL)('is a 503 with Retry-After, not a 500', async () => {
    const app = express();
    app.get('/slow', async (_req, res, next) => {
      try {
        await server.database.handle.db.transaction(async (tx) => {
          await tx.execute(sql`set local statement_timeout = 50`);
          await tx.execute(sql`select pg_sleep(2)`);
        });
        res.json({ ok: true });
      } catch (error) {
        next(error);
      }
    });
    app.use(errorHandler(pino({ level: 'silent' })));
    const listener = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => listener.once('listening', () => resolve()));
    try {
      const { port } = listener.address() as import('node:net').AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/slow`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await res.json()).error).toMatch(/too long/);
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
  });
});
