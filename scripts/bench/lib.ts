import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import pino from 'pino';
import { buildApp } from '../../server/app.js';
import { createHttpServer } from '../../server/http/http-server.js';
import { loadConfig } from '../../server/config.js';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '../../server/db/client.js';
import { seedIfEmpty } from '../../server/db/seed.js';
import { mulberry32 } from '../lib/sample-stations.js';
import { createScratchDatabase } from '../lib/scratch-database.js';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** The same work done the reference way, measured in the same run. */
  baseline?: number;
  ratio?: number;
  goal?: string;
}

export const SHARED_DATA_DIR = loadConfig().SHARED_DATA_DIR;

/** The server database for benchmarks, if one is configured. */
export const BENCH_PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;

/**
 * A fresh database with boundaries and the 1,500 sample stations: in-memory PGlite, or a new
 * database on the server (dropped by close()).
 */
export async function openBenchDatabase(
  kind: 'pglite' | 'postgres',
  sampleStationCount = 1500,
): Promise<DatabaseHandle & { label: string }> {
  let handle: DatabaseHandle;
  let drop = async () => {};
  if (kind === 'postgres') {
    if (!BENCH_PG_URL) throw new Error('no BENCH_DATABASE_URL/TEST_DATABASE_URL');
    const scratch = await createScratchDatabase(BENCH_PG_URL, 'wp_bench');
    handle = await openDatabase({ databaseUrl: scratch.url });
    drop = scratch.drop;
  } else {
    handle = await openDatabase({});
  }
  await migrateDatabase(handle);
  await seedIfEmpty(
    handle.db,
    { sharedDataDir: SHARED_DATA_DIR, sampleStationCount },
    pino({ level: 'silent' }),
  );
  const close = handle.close;
  return {
    ...handle,
    label: kind === 'pglite' ? 'PGlite' : 'PostgreSQL',
    close: async () => {
      await close();
      await drop();
    },
  };
}

/** The real app on loopback over the given database. */
export async function startBenchServer(
  handle: DatabaseHandle,
  options: { clientDistDir?: string } = {},
) {
  const app = buildApp({
    database: handle,
    clientDistDir: options.clientDistDir,
    config: loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent' }),
    logger: pino({ level: 'silent' }),
  });
  const server = createHttpServer(app).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { baseUrl, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs fn n times (after a warm-up) and returns each duration in ms. */
export async function timeRuns(n: number, fn: (i: number) => Promise<unknown>, warmup = 20) {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
  }
  return samples;
}

/**
 * Times A and B alternately (A, B, A, B, …) after a warm-up of each, so a machine that speeds up or
 * slows down during the run (other work, CPU frequency) weighs on both sides alike.
 */
export async function timeInterleaved(
  n: number,
  a: (i: number) => Promise<unknown> | unknown,
  b: (i: number) => Promise<unknown> | unknown,
  warmup = 20,
): Promise<{ a: number[]; b: number[] }> {
  for (let i = 0; i < warmup; i++) {
    await a(i);
    await b(i);
  }
  const out = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < n; i++) {
    let t0 = performance.now();
    await a(i);
    out.a.push(performance.now() - t0);
    t0 = performance.now();
    await b(i);
    out.b.push(performance.now() - t0);
  }
  return out;
}

/**
 * Times A and B on the same input i, one right after the other, swapping which goes first every
 * query (so neither always runs on the caches the other warmed), and counts the inputs where both
 * answered the same (`same`, default: strict equality of the returned values).
 */
export async function timeAlternating<T>(
  n: number,
  a: (i: number) => Promise<T> | T,
  b: (i: number) => Promise<T> | T,
  same: (x: T, y: T) => boolean = (x, y) => x === y,
  warmup = 20,
): Promise<{ a: number[]; b: number[]; same: number }> {
  for (let i = 0; i < warmup; i++) {
    await a(i);
    await b(i);
  }
  const out = { a: [] as number[], b: [] as number[], same: 0 };
  const timed = async (fn: (i: number) => Promise<T> | T, i: number, into: number[]) => {
    const t0 = performance.now();
    const result = await fn(i);
    into.push(performance.now() - t0);
    return result;
  };
  for (let i = 0; i < n; i++) {
    let x: T;
    let y: T;
    if (i % 2 === 0) {
      x = await timed(a, i, out.a);
      y = await timed(b, i, out.b);
    } else {
      y = await timed(b, i, out.b);
      x = await timed(a, i, out.a);
    }
    if (same(x, y)) out.same++;
  }
  return out;
}

/** A seeded generator so both sides of a comparison get the same inputs. */
export const seededRandom = (seed: number) => mulberry32(seed);

import http from 'node:http';
const keepAliveAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/**
 * GET over a kept-alive loopback connection, body read fully as text (what a real client pays
 * for the bytes) — lighter than fetch(), whose own overhead would otherwise be charged to the API.
 */
export function httpGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: keepAliveAgent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** A TCP port free on 127.0.0.1 now, for a server the bench spawns. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A process's resident memory now, in MB (Linux). */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}
