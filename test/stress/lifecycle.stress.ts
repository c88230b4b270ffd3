/**
 * Process lifecycle: SIGTERM drains in-flight requests and exits cleanly; the embedded database
 * survives kill -9 of the process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../server/db/client.js';
import { startE2eServer } from '../e2e/setup.js';

describe('SIGTERM', () => {
  it('answers the requests already accepted, then exits 0 after closing the database', async () => {
    const server = await startE2eServer({ LOG_LEVEL: 'info' });
    const inFlight = Array.from({ length: 40 }, (_, i) =>
      fetch(`${server.baseUrl}/api/collections/stations/items?limit=500&offset=${i}`)
        .then(async (res) => ({ status: res.status, bytes: (await res.text()).length }))
        .catch((error: Error) => ({ status: 0, error: error.message, bytes: 0 })),
    );
    await new Promise((r) => setTimeout(r, 30));
    server.process.kill('SIGTERM');
    const results = await Promise.all(inFlight);
    const exitCode = await new Promise<number | null>((resolve) => {
      if (server.process.exitCode !== null) resolve(server.process.exitCode);
      else server.process.once('exit', (code) => resolve(code));
    });
    const answered = results.filter((r) => r.status === 200);
    // Requests either got a full answer or were never accepted; none got an error status.
    expect(results.every((r) => r.status === 200 || r.status === 0)).toBe(true);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.every((r) => r.bytes > 1000)).toBe(true);
    expect(exitCode).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
    await server.stop();
  });
});

describe('kill -9 on the embedded database', () => {
  it('restarts on the same data directory with every committed row intact', async () => {
    if (process.env.TEST_DATABASE_URL) return; // the embedded database only
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warm-posts-kill-'));
    try {
      const first = await startE2eServer({}, { dataDir });
      const before = await (
        await fetch(`${first.baseUrl}/api/collections/stations/items?limit=1000`)
      ).json();
      const stationId = before.features[0].id;
      // A committed write (an anonymous worker report) just before the kill.
      const report = await fetch(`${first.baseUrl}/api/stations/${stationId}/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ category: 'no_water', note: 'kill -9 test' }),
      });
      first.process.kill('SIGKILL');
      await new Promise((r) => first.process.once('exit', r));

      const second = await startE2eServer({}, { dataDir });
      const after = await (
        await fetch(`${second.baseUrl}/api/collections/stations/items?limit=1000`)
      ).json();
      expect(after.features.map((f: any) => f.id)).toEqual(before.features.map((f: any) => f.id));
      const districts = await (
        await fetch(`${second.baseUrl}/api/collections/districts/items`)
      ).json();
      expect(districts.features).toHaveLength(16);
      await second.stop();
      // The report committed just before the kill is in the data directory.
      expect(report.status).toBe(201);
      const handle = await openDatabase({ pgliteDataDir: dataDir });
      const rows = await queryRows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from station_reports where note = 'kill -9 test'`,
      );
      await handle.close();
      expect(rows[0]!.n).toBe(1);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
