/**
 * A crash (kill -9) in the middle of an OSM import leaves the previous road network intact and the
 * database usable: the import writes staging tables and swaps them in one transaction, so a crash
 * before the commit leaves nothing of the new network behind.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../../scripts/lib/scratch-database.js';
import { REPO_ROOT } from '../../server/config.js';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows } from '../../server/db/client.js';
import { findCurrentRoadNetwork } from '../../server/modules/routes/road-network.repository.js';

const OSM_DIR = path.join(
  process.env.SHARED_DATA_DIR ?? path.resolve(REPO_ROOT, '..', 'shared', 'data'),
  'osm',
);
const ANDORRA = path.join(OSM_DIR, 'andorra.osm.pbf');
const BAYFRONT = path.join(OSM_DIR, 'bayfront_singapore.osm.pbf');

let scratch: string;
let env: NodeJS.ProcessEnv;
let dropServerDb: (() => Promise<void>) | null = null;

/** Runs the import CLI; with killAfterMs, sends SIGKILL that long after the start. */
function importOsm(file: string, killAfterMs?: number) {
  return new Promise<{ code: number | null; signal: string | null; output: string; ms: number }>(
    (resolve) => {
      const started = Date.now();
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import-osm.ts', file], {
        cwd: REPO_ROOT,
        env,
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const timer =
        killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        resolve({ code, signal, output, ms: Date.now() - started });
      });
    },
  );
}

/** The network in service, with the rows actually in the tables (to catch a half-written one). */
async function currentNetwork() {
  const handle = env.DATABASE_URL
    ? await openDatabase({ databaseUrl: env.DATABASE_URL })
    : await openDatabase({ pgliteDataDir: env.PGLITE_DATA_DIR! });
  try {
    const info = await findCurrentRoadNetwork(handle.db);
    const [rows] = await queryRows<{ edges: number; nodes: number }>(
      handle.db,
      sql`select (select count(*)::int from road_edges) as edges, (select count(*)::int from road_nodes) as nodes`,
    );
    return info ? { ...info, edgeRows: rows!.edges, nodeRows: rows!.nodes } : null;
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'warm-posts-import-crash-'));
  env = { ...process.env, PGLITE_DATA_DIR: path.join(scratch, 'pgdata'), DATABASE_URL: '' };
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const scratchDb = await createScratchDatabase(adminUrl, 'wp_crash');
    env.DATABASE_URL = scratchDb.url;
    dropServerDb = scratchDb.drop;
  }
});

afterAll(async () => {
  await dropServerDb?.();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('kill -9 during an OSM import', () => {
  it('keeps the previous network at every crash point', async () => {
    // A full import of the larger extract gives the wall time the crash points are spread over.
    const timed = await importOsm(ANDORRA);
    expect(timed.code, timed.output).toBe(0);
    // The small extract is then the network in service; the larger import is the one that crashes.
    const first = await importOsm(BAYFRONT);
    expect(first.code, first.output).toBe(0);
    let before = (await currentNetwork())!;
    expect(before?.edgeCount).toBeGreaterThan(300);
    expect(before?.edgeCount).toBeLessThan(2000);

    expect(before!.edgeRows).toBe(before!.edgeCount);
    let killedBeforeCommit = 0;
    // Three points spread over the import (parse and staging, late staging, around the swap):
    // each costs two database opens, and CI's 30 minutes cover every other suite too.
    for (const fraction of [0.3, 0.6, 0.9]) {
      const crashed = await importOsm(ANDORRA, Math.round(timed.ms * fraction));
      const after = (await currentNetwork())!;
      // Never a mix: the rows in the tables always match the network the metadata names.
      expect(after.edgeRows).toBe(after.edgeCount);
      expect(after.nodeRows).toBe(after.nodeCount);
      if (after.id === before!.id) {
        expect(after).toEqual(before);
        if (crashed.signal === 'SIGKILL') killedBeforeCommit += 1;
        continue;
      }
      // The kill came after the commit (or the import finished): the new network is whole.
      expect(after.edgeCount).toBe(2776);
      const restore = await importOsm(BAYFRONT);
      expect(restore.code, restore.output).toBe(0);
      before = (await currentNetwork())!;
    }
    expect(killedBeforeCommit, 'no crash landed before an import committed').toBeGreaterThanOrEqual(
      2,
    );

    if (env.DATABASE_URL) {
      // On the server, a crash inside the swap transaction for certain: a reader's lock on
      // road_edges makes the import wait at its DROP TABLE, after staging every row; kill it there.
      const reader = new pg.Client({ connectionString: env.DATABASE_URL });
      await reader.connect();
      await reader.query('begin');
      await reader.query('select 1 from road_edges limit 1');
      const started = Date.now();
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import-osm.ts', ANDORRA], {
        cwd: REPO_ROOT,
        env,
      });
      let childOutput = '';
      child.stdout.on('data', (c) => (childOutput += c));
      child.stderr.on('data', (c) => (childOutput += c));
      // Polled from its own connection: inside the reader's transaction the view is a frozen snapshot.
      const watcher = new pg.Client({ connectionString: env.DATABASE_URL });
      await watcher.connect();
      let waiting = false;
      while (!waiting && child.exitCode === null && Date.now() - started < 60_000) {
        const { rows } = await watcher.query(
          `select count(*)::int as n from pg_stat_activity
           where datname = current_database() and wait_event_type = 'Lock'`,
        );
        waiting = rows[0].n > 0;
        if (!waiting) await new Promise((r) => setTimeout(r, 100));
      }
      expect(waiting, `the import never reached its swap:\n${childOutput}`).toBe(true);
      await watcher.end();
      child.kill('SIGKILL');
      await new Promise((r) => child.once('close', r));
      await reader.query('rollback');
      await reader.end();
      // The server notices the dead client and rolls its transaction back.
      await new Promise((r) => setTimeout(r, 500));
      const after = (await currentNetwork())!;
      expect(after).toEqual(before);
    }

    // And the database still takes a complete import afterwards.
    const again = await importOsm(ANDORRA);
    expect(again.code, again.output).toBe(0);
    expect((await currentNetwork())?.edgeCount).toBeGreaterThan(2000);
  });
});
