import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { buildApp } from '../../server/app.js';
import { createHttpServer } from '../../server/http/http-server.js';
import { loadConfig } from '../../server/config.js';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '../../server/db/client.js';
import { seedIfEmpty } from '../../server/db/seed.js';
import pg from 'pg';

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
    const name = `wp_bench_${Math.random().toString(16).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: BENCH_PG_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(BENCH_PG_URL);
    url.pathname = `/${name}`;
    handle = await openDatabase({ databaseUrl: url.toString() });
    drop = async () => {
      const a = new pg.Client({ connectionString: BENCH_PG_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    };
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
export async function startBenchServer(handle: DatabaseHandle) {
  const app = buildApp({
    database: handle,
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

/** A seeded generator so both sides of a comparison get the same inputs. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

import http from 'node:http';
const keepAliveAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/**
 * GET over a kept-alive loopback connection, body read fully as text (what a real client pays
 * for the bytes) — lighter than fetch(), whose own overhead would otherwise be charged to the API.
 */
export function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: keepAliveAgent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}
