/**
 * The embedded default's footprint (issue 13): the service as `npm start` runs it — compiled JS,
 * PostGIS core only, shared_buffers 16MB, MALLOC_ARENA_MAX=1 — against the former configuration
 * (tsx, the package's whole PostGIS bundle, 128MB shared buffers, glibc's default arenas), each
 * started ROUNDS times in turn (light, former, light, …) on a fresh data folder.
 * Measured: first start to /readyz on a new folder (1,500 sample stations seeded) — the light setup
 * from the prepared copy an earlier start cached (server/db/prepared-data.ts), the former creating
 * PostGIS and migrating —, idle RSS 10 s after ready, and RSS after a coverage table and a nearest
 * search; and once, the light setup's very first start on a machine (no copy yet: it builds one).
 * Goals: idle RSS ≤ 400 MB; first start ≤ 15 s on the 2-core machine.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../server/config.js';
import { freePort, rssMb, type BenchRow } from './lib.js';

const ROUNDS = 2;

interface Variant {
  label: string;
  args: string[];
  env: Record<string, string>;
}

const LIGHT: Variant = {
  label: 'light (npm start)',
  args: ['--enable-source-maps', path.join(REPO_ROOT, 'dist', 'node', 'server', 'main.js')],
  env: { MALLOC_ARENA_MAX: '1' },
};
const FORMER: Variant = {
  label: 'former',
  args: ['--import', 'tsx', path.join(REPO_ROOT, 'server', 'main.ts')],
  env: { PGLITE_POSTGIS: 'full', PGLITE_SHARED_BUFFERS: '128MB' },
};

/** The light setup's cache of prepared copies, made empty by `run`. */
let preparedCache = '';

async function measure(variant: Variant) {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-footprint-'));
  const started = performance.now();
  const child = spawn(process.execPath, variant.args, {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...variant.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PGLITE_DATA_DIR: path.join(dataDir, 'pg'),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      PGLITE_PREPARED_DATA: '',
      PGLITE_PREPARED_CACHE_DIR: variant === LIGHT ? preparedCache : '',
      // The engine's footprint, not the population rasters' background load (measured on its own).
      SEED_POPULATION: 'false',
    },
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${variant.label}: server exited (${child.exitCode})`);
      if (performance.now() - started > 300_000) throw new Error(`${variant.label}: not ready in 300 s`);
      const ok = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const firstStartS = (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 10_000));
    const idle = rssMb(child.pid!);
    await fetch(`${base}/api/coverage?rule=radius:500`).then((r) => r.text());
    await fetch(`${base}/api/nearest?lng=116.39&lat=39.9`).then((r) => r.text());
    const busy = rssMb(child.pid!);
    return { firstStartS, idle, busy };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}


const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<BenchRow[]> {
  execFileSync('npm', ['run', 'build:server', '--silent'], { cwd: REPO_ROOT, stdio: 'inherit' });
  preparedCache = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-footprint-cache-'));
  const light: Array<Awaited<ReturnType<typeof measure>>> = [];
  const former: typeof light = [];
  let veryFirst: (typeof light)[number];
  try {
    // The machine's first start: no prepared copy yet, so it creates PostGIS and caches one.
    veryFirst = await measure(LIGHT);
    for (let i = 0; i < ROUNDS; i++) {
      light.push(await measure(LIGHT));
      former.push(await measure(FORMER));
    }
  } finally {
    fs.rmSync(preparedCache, { recursive: true, force: true });
  }
  const row = (name: string, pick: (m: (typeof light)[number]) => number, unit: string, goal?: string): BenchRow => {
    const value = median(light.map(pick));
    const baseline = median(former.map(pick));
    return { name, value, unit, baseline, ratio: value / baseline, goal };
  };
  return [
    row('embedded idle RSS (light vs former)', (m) => m.idle, 'MB', '≤ 400 MB'),
    row('embedded RSS after coverage + nearest', (m) => m.busy, 'MB'),
    row('embedded first start to ready, new folder (light: from the prepared copy; former: from scratch)', (m) => m.firstStartS, 's', '≤ 15 s'),
    {
      name: "embedded first start to ready, a machine's very first (light, builds and caches the prepared copy)",
      value: veryFirst.firstStartS,
      unit: 's',
      baseline: median(former.map((m) => m.firstStartS)),
      ratio: veryFirst.firstStartS / median(former.map((m) => m.firstStartS)),
      goal: 'info',
    },
  ];
}
