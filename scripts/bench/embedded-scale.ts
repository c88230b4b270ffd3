/**
 * The embedded default with a country's stations (issue 13: "200k stations ≤ 1 GB peak"): the
 * server as `npm start` runs it (compiled, PostGIS core, 16MB shared buffers, one malloc arena) on
 * a folder holding 200,000 stations spread over eastern China, against the same with Beijing's
 * 1,500, each started on its own folder. Its resident memory is sampled every 100 ms from launch
 * through start-up (the station mirror, the search index and the map's clusters are built then)
 * and a round of the requests a country's users make — the map's country view, a country-wide
 * listing page, nearest, a search — until it settles; the peak and the settled figure are reported.
 *
 * BENCH_SCALE_STATIONS (default 200000) sets the large count.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { REPO_ROOT } from '../../server/config.js';
import { migrateDatabase, openDatabase, sql } from '../../server/db/client.js';
import { seedIfEmpty } from '../../server/db/seed.js';
import { SHARED_DATA_DIR, freePort, rssMb, type BenchRow } from './lib.js';

const LARGE = Number(process.env.BENCH_SCALE_STATIONS ?? 200_000);
const SMALL = 1_500;
const HOURS = ['24/7', 'Mo-Fr 08:00-18:00', 'Mo-Su 07:00-21:00', 'Mo-Sa 07:30-19:30'];

/** A data folder with Beijing's areas and `count` stations: Beijing's box for 1,500, eastern China beyond. */
async function prepareFolder(dataDir: string, cacheDir: string, count: number) {
  const handle = await openDatabase({ pgliteDataDir: dataDir, pglitePreparedCacheDir: cacheDir });
  try {
    await migrateDatabase(handle);
    await handle.savePreparedData?.();
    await seedIfEmpty(handle.db, { sharedDataDir: SHARED_DATA_DIR, sampleStationCount: 0 }, pino({ level: 'silent' }));
    const [west, south, width, height] = count > SMALL ? [100, 22, 22, 20] : [116.0, 39.6, 0.8, 0.5];
    // Distinct names (the search index is per name) and a mix of hours, in batches of 20,000.
    for (let first = 1; first <= count; first += 20_000) {
      const last = Math.min(count, first + 19_999);
      await handle.db.execute(sql`
        insert into stations (name, geom, opening_hours, amenities)
        select '规模测试驿站 ' || i || ' 号', ST_SetSRID(ST_MakePoint(${west} + random() * ${width}, ${south} + random() * ${height}), 4326),
               (${`{${HOURS.map((h) => `"${h}"`).join(',')}}`}::text[])[1 + i % ${HOURS.length}],
               '{"hot_water":"available","charging":"available"}'::jsonb
        from generate_series(${first}::int, ${last}::int) as i`);
    }
  } finally {
    await handle.close();
  }
}

async function measure(count: number, cacheDir: string) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-scale-'));
  const dataDir = path.join(root, 'pg');
  try {
    const t0 = performance.now();
    await prepareFolder(dataDir, cacheDir, count);
    const loadS = (performance.now() - t0) / 1000;
    const port = await freePort();
    const started = performance.now();
    const child = spawn(process.execPath, ['--enable-source-maps', path.join(REPO_ROOT, 'dist', 'node', 'server', 'main.js')], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        MALLOC_ARENA_MAX: '1',
        PORT: String(port),
        HOST: '127.0.0.1',
        PGLITE_DATA_DIR: dataDir,
        PGLITE_PREPARED_DATA: '',
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        DATABASE_URL: '',
        SEED_POPULATION: 'false',
      },
      stdio: 'ignore',
    });
    let peak = 0;
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, rssMb(child.pid!));
      } catch {
        // the process has gone; the last figure stands
      }
    }, 100);
    const base = `http://127.0.0.1:${port}`;
    try {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode})`);
        if (performance.now() - started > 600_000) throw new Error('not ready in 600 s');
        if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const readyS = (performance.now() - started) / 1000;
      const get = async (url: string) => {
        const res = await fetch(`${base}${url}`);
        if (!res.ok) throw new Error(`${url} answered ${res.status}`);
        return res.text();
      };
      // What a country's users ask; the map asks again until its clusters are built.
      for (let i = 0; i < 20; i++) {
        await get('/api/map/stations?bbox=73,18,135,54&zoom=4');
        await new Promise((r) => setTimeout(r, 500));
      }
      await get('/api/collections/stations/items?bbox=73,18,135,54&limit=1000');
      await get('/api/nearest?lng=116.39&lat=39.9&k=5');
      await get(`/api/search?q=${encodeURIComponent('规模测试驿站 12')}`);
      await new Promise((r) => setTimeout(r, 5_000));
      const settled = rssMb(child.pid!);
      return { loadS, readyS, peak: Math.max(peak, settled), settled };
    } finally {
      clearInterval(sampler);
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchRow[]> {
  execFileSync('npm', ['run', 'build:server', '--silent'], { cwd: REPO_ROOT, stdio: 'inherit' });
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-scale-cache-'));
  try {
    const small = await measure(SMALL, cacheDir);
    const large = await measure(LARGE, cacheDir);
    process.stderr.write(
      `embedded scale: ${LARGE} stations loaded in ${large.loadS.toFixed(0)} s, ready in ${large.readyS.toFixed(1)} s ` +
        `(${SMALL}: ${small.readyS.toFixed(1)} s)\n`,
    );
    const perStationKb = ((large.settled - small.settled) * 1024) / (LARGE - SMALL);
    return [
      {
        name: `embedded peak RSS, ${LARGE.toLocaleString('en')} stations vs ${SMALL.toLocaleString('en')} (start, map, listing, nearest, search)`,
        value: large.peak,
        unit: 'MB',
        baseline: small.peak,
        ratio: large.peak / small.peak,
        goal: '≤ 1,000 MB',
      },
      {
        name: `embedded RSS settled after those requests, ${LARGE.toLocaleString('en')} vs ${SMALL.toLocaleString('en')} (${perStationKb.toFixed(2)} KB per station)`,
        value: large.settled,
        unit: 'MB',
        baseline: small.settled,
        ratio: large.settled / small.settled,
      },
      {
        name: `embedded start to ready, ${LARGE.toLocaleString('en')} vs ${SMALL.toLocaleString('en')} stations (folder already made)`,
        value: large.readyS,
        unit: 's',
        baseline: small.readyS,
        ratio: large.readyS / small.readyS,
      },
    ];
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}
