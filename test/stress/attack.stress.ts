/**
 * Availability under the heavy requests of issue 11, against the real server process (embedded DB,
 * or PostgreSQL with TEST_DATABASE_URL): max-cap site suggestions, twenty long hours checks at
 * once and a coverage mix run together while /healthz and /api/nearest are probed. Nothing may
 * answer 5xx except a 503 with Retry-After, and the probes keep answering; their p50/p99 during
 * the attack are printed (the bounds are generous: a 2-core CI machine must not flake).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../scripts/lib/scratch-database.js';
import { REPO_ROOT } from '../../server/config.js';
import { startE2eServer, type E2eServer } from '../e2e/setup.js';

const ENGINE = process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded';
// Probe bounds during the attack, generous for a busy 2-core machine (before issue 11 both waited
// 16-44 s for one suggestion); the measured figures are printed, goals live in the note.
const HEALTHZ_P99_BOUND_MS = 5_000;
const NEAREST_P99_BOUND_MS = 15_000;
const PLANNER = { username: 'stress-planner', password: 'stress-planner-password' };

let server: E2eServer;
let scratch: ScratchDatabase | undefined;
let dataDir: string | undefined;
let cookie = '';

function createPlanner(env: Record<string, string>) {
  execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'user-create.ts'), '--username', PLANNER.username, '--role', 'planner'],
    { cwd: REPO_ROOT, env: { ...process.env, SEED_POPULATION: 'false', ...env, WARM_POSTS_PASSWORD: PLANNER.password, LOG_LEVEL: 'warn' }, stdio: 'pipe' },
  );
}

beforeAll(async () => {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    scratch = await createScratchDatabase(adminUrl, 'wp_stress');
    createPlanner({ DATABASE_URL: scratch.url });
    server = await startE2eServer({}, { databaseUrl: scratch.url });
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warm-posts-attack-'));
    createPlanner({ PGLITE_DATA_DIR: dataDir, DATABASE_URL: '' });
    server = await startE2eServer({}, { dataDir });
  }
  const login = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(PLANNER),
  });
  expect(login.status).toBe(200);
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  // Two cold starts (the account CLI, then the service) on a busy 2-core machine.
}, 360_000);

afterAll(async () => {
  await server?.stop();
  await scratch?.drop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Answer {
  what: string;
  status: number;
  retryAfter: string | null;
  ms: number;
}

async function timed(what: string, url: string, init: RequestInit = {}): Promise<Answer> {
  const start = performance.now();
  const res = await fetch(server.baseUrl + url, init);
  await res.arrayBuffer();
  return { what, status: res.status, retryAfter: res.headers.get('retry-after'), ms: performance.now() - start };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/** Long, valid and distinct hours values: each must really be parsed (no cache helps). */
function longHours(i: number): string {
  const day = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'][i % 7];
  const parts: string[] = [];
  for (let m = 0; parts.join('; ').length < 940; m++) {
    parts.push(`${day} ${String(6 + (m % 12)).padStart(2, '0')}:${String((i + m) % 60).padStart(2, '0')}-${String(7 + (m % 12)).padStart(2, '0')}:00`);
  }
  return parts.join('; ').slice(0, 999).replace(/[; ]+[^;]*$/, '');
}

describe(`attack on ${ENGINE}`, () => {
  it('health and nearest keep answering while heavy requests run; no 5xx but 503 + Retry-After', async () => {
    const planner = { headers: { cookie } };
    const attack: Array<Promise<Answer>> = [];
    // The 44-second request: refused at once now.
    attack.push(timed('suggest cell=321', '/api/coverage/suggest?k=50&rule=radius:5000&cell=321', planner));
    // Max-cap suggestions, city-wide, different questions (no cache sharing).
    for (const [k, rule] of [[50, 'radius:5000'], [49, 'radius:5000']] as const) {
      attack.push(timed('suggest max', `/api/coverage/suggest?k=${k}&rule=${rule}&at=2026-03-04T12:00`, planner));
    }
    // Twenty long hours checks at once, anonymous.
    for (let i = 0; i < 20; i++) {
      attack.push(
        timed('hours validate', '/api/hours/validate', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ opening_hours: longHours(i) }),
        }),
      );
    }
    // A coverage mix: tables at several hours and radii, gaps, a 24-hour curve.
    for (let h = 8; h < 11; h++) {
      attack.push(timed('coverage', `/api/coverage?level=district&rule=radius:${300 + h * 50}&at=2026-03-04T${String(h).padStart(2, '0')}:00`));
    }
    attack.push(timed('gaps', '/api/coverage/gaps?area=110105&rule=radius:800&at=2026-03-04T09:00&simplify=50'));
    attack.push(timed('timeline', '/api/coverage/timeline?date=2026-03-05&area=110101&rule=radius:700'));

    // Probe while any of the attack is still running.
    const health: number[] = [];
    const nearest: number[] = [];
    let done = false;
    const all = Promise.all(attack).finally(() => (done = true));
    let i = 0;
    while (!done) {
      const lng = 116.3 + (i % 10) * 0.02;
      const [h, n] = await Promise.all([
        timed('healthz', '/healthz'),
        timed('nearest', `/api/nearest?lng=${lng}&lat=39.92&k=5`),
      ]);
      expect(h.status).toBe(200);
      expect(n.status).toBe(200);
      health.push(h.ms);
      nearest.push(n.ms);
      i += 1;
      await new Promise((r) => setTimeout(r, 100));
    }
    const answers = await all;

    const byKind = new Map<string, Answer[]>();
    for (const a of answers) byKind.set(a.what, [...(byKind.get(a.what) ?? []), a]);
    for (const [what, list] of byKind) {
      const statuses = list.map((a) => a.status).join(',');
      console.log(`${ENGINE} attack ${what}: statuses ${statuses}; slowest ${Math.round(Math.max(...list.map((a) => a.ms)))} ms`);
    }
    const fig = (xs: number[]) => `p50 ${Math.round(percentile(xs, 50))} ms, p99 ${Math.round(percentile(xs, 99))} ms, max ${Math.round(Math.max(...xs))} ms (${xs.length} probes)`;
    console.log(`${ENGINE} during the attack: /healthz ${fig(health)}; /api/nearest ${fig(nearest)}`);

    expect(answers.find((a) => a.what === 'suggest cell=321')!.status).toBe(400);
    for (const a of answers) {
      expect([200, 400, 422, 503], `${a.what} → ${a.status}`).toContain(a.status);
      if (a.status === 503) expect(Number(a.retryAfter)).toBeGreaterThan(0);
    }
    // Some of every kind got through: the limits refuse the excess, not everything.
    for (const what of ['suggest max', 'hours validate', 'coverage']) {
      expect(byKind.get(what)!.some((a) => a.status === 200), what).toBe(true);
    }
    expect(health.length).toBeGreaterThan(3);
    expect(percentile(health, 99)).toBeLessThan(HEALTHZ_P99_BOUND_MS);
    expect(percentile(nearest, 99)).toBeLessThan(NEAREST_P99_BOUND_MS);
  });
});
