/**
 * `npm run import:osm -- FILE` as an operator runs it, in a child process: on a temporary PGlite
 * data directory by default, or on a clone of the test database on the PostgreSQL server when
 * TEST_DATABASE_URL is set. A good file prints progress and counts; a truncated one exits non-zero
 * with a message saying so and leaves the network imported before it in service.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import request from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { REPO_ROOT, loadConfig } from '../../server/config.js';
import { openDatabase, type DatabaseHandle } from '../../server/db/client.js';
import { createHttpServer } from '../../server/http/http-server.js';
import {
  findCurrentRoadNetwork,
  type RoadNetworkInfo,
} from '../../server/modules/routes/road-network.repository.js';
import { pointAtFraction } from '../../server/routing/edge-geometry.js';
import { createTestDatabase, type TestDatabase } from '../setup/database.js';
import { extractPath, loadRealNetwork } from '../unit/routing/real-networks.js';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

let scratch: string;
/** The server database (TEST_DATABASE_URL runs) or null for a PGlite data directory. */
let serverDb: TestDatabase | null = null;
let cliEnv: NodeJS.ProcessEnv;

function importOsm(...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'import:osm', '--', ...args], {
      cwd: REPO_ROOT,
      env: cliEnv,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Opens the database the CLI wrote to (PGlite: only once the CLI has exited). */
async function withDatabase<T>(work: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  if (serverDb) return work(serverDb.handle);
  const handle = await openDatabase({ pgliteDataDir: join(scratch, 'pgdata') });
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

function getJson(url: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    request
      .get(url, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      })
      .on('error', reject);
  });
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'import-osm-cli-'));
  const { DATABASE_URL: _ignored, ...env } = process.env;
  cliEnv = { ...env, LOG_LEVEL: 'silent', PGLITE_DATA_DIR: join(scratch, 'pgdata') };
  if (process.env.TEST_DATABASE_URL) {
    serverDb = await createTestDatabase();
    cliEnv.DATABASE_URL = serverDb.url;
  }
});

afterAll(async () => {
  await serverDb?.drop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// Each test runs the CLI as a user would: a process that opens the embedded database and imports a
// real extract (~20 s on a quiet 2-core machine, several times that while other suites run).
describe('npm run import:osm', { timeout: 240_000 }, () => {
  let imported: RoadNetworkInfo;

  it('imports a real extract, printing progress and the counts', async () => {
    const run = await importOsm(extractPath('andorra'), '--name', 'andorra-cli');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/reading ways: \d+ ways/);
    expect(run.stdout).toMatch(/built \d+ edges between \d+ nodes/);
    expect(run.stdout).toMatch(/writing edges: \d+\/\d+/);
    expect(run.stdout).toContain('new network in place');
    const andorra = await loadRealNetwork('andorra');
    const summary = run.stdout.match(/Imported .*: (\d+) edges, (\d+) nodes \(network (\d+)\)/);
    expect(summary, run.stdout).not.toBeNull();
    expect(Number(summary![1])).toBe(andorra.graph.edgeCount);
    expect(Number(summary![2])).toBe(andorra.graph.nodeCount);

    imported = (await withDatabase((handle) => findCurrentRoadNetwork(handle.db)))!;
    expect(imported).toMatchObject({
      id: Number(summary![3]),
      name: 'andorra-cli',
      edgeCount: andorra.graph.edgeCount,
    });
  });

  it('fails on a truncated file with a clear message and keeps the network in service', async () => {
    const truncated = join(scratch, 'bayfront-truncated.osm.pbf');
    const original = readFileSync(extractPath('bayfront_singapore'));
    writeFileSync(truncated, original.subarray(0, Math.floor(original.length * 0.6)));
    const run = await importOsm(truncated);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/^import-osm failed: .*truncated or corrupt/m);
    expect(run.stdout).not.toContain('Imported');

    const andorra = await loadRealNetwork('andorra');
    await withDatabase(async (handle) => {
      expect(await findCurrentRoadNetwork(handle.db)).toEqual(imported);
      // And the API still routes on it.
      const app = buildApp({
        database: handle,
        config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
        logger: pino({ level: 'silent' }),
      });
      const server = createHttpServer(app).listen(0, '127.0.0.1');
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      try {
        const { port } = server.address() as AddressInfo;
        const at = (edgeId: number) => pointAtFraction(andorra.graph, edgeId, 0.5).join(',');
        const res = await getJson(
          `http://127.0.0.1:${port}/api/route?from=${at(100)}&to=${at(900)}&mode=walk`,
        );
        expect(res.status).toBe(200);
        expect(res.body.properties.distance_m).toBeGreaterThan(0);
        expect(res.body.geometry.coordinates[0][0]).toBeCloseTo(1.5, 0);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });

  it('refuses a missing file and a bad --bbox with messages naming them', async () => {
    const missing = await importOsm(join(scratch, 'nowhere.osm.pbf'));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/import-osm failed: .*nowhere\.osm\.pbf/);
    const badBox = await importOsm(extractPath('andorra'), '--bbox', '1.6,42.4,1.4');
    expect(badBox.code).not.toBe(0);
    expect(badBox.stderr).toContain('--bbox must be minLng,minLat,maxLng,maxLat');
  });
});
