/**
 * What PGlite in a worker thread buys and costs (issue 11), against PGlite on the main thread as
 * the service ran it before, both in this run:
 * - the event loop's longest stall while one statement runs `pg_sleep(2)` (a stand-in for a heavy
 *   PostGIS query), and the slowest answer of a tiny HTTP endpoint (as /healthz) polled meanwhile;
 * - the round trip of a tiny query (`select 1`), timed alternately on both, the price of the hop.
 * The main-thread instance is plain PGlite (no PostGIS: neither statement needs it).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase } from '../../server/db/client.js';
import { percentile, type BenchRow } from './lib.js';

interface Querier {
  query(sql: string): Promise<unknown>;
}

const SLEEP_S = 2;
const RUNS = 400;

/** Longest event-loop stall and slowest /healthz-like answer while `work` runs. */
async function stallDuring(work: () => Promise<unknown>): Promise<{ loopMs: number; httpMs: number }> {
  const server = http.createServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
  let last = performance.now();
  let loopMs = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    loopMs = Math.max(loopMs, now - last - 5);
    last = now;
  }, 5);
  let httpMs = 0;
  let running = true;
  const poll = (async () => {
    while (running) {
      const start = performance.now();
      await fetch(url).then((res) => res.text());
      httpMs = Math.max(httpMs, performance.now() - start);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await new Promise((r) => setTimeout(r, 100));
  await work();
  running = false;
  await poll;
  clearInterval(tick);
  server.close();
  return { loopMs, httpMs };
}

export async function run(): Promise<BenchRow[]> {
  const direct = await PGlite.create();
  const threaded = await openDatabase({});
  const proxy: Querier = threaded.pglite!;
  try {
    const before = await stallDuring(() => direct.query(`select pg_sleep(${SLEEP_S})`));
    const after = await stallDuring(() => proxy.query(`select pg_sleep(${SLEEP_S})`));

    const samples = { direct: [] as number[], proxy: [] as number[] };
    for (let i = 0; i < RUNS + 40; i++) {
      const pair: Array<[keyof typeof samples, Querier]> = [
        ['direct', direct],
        ['proxy', proxy],
      ];
      if (i % 2) pair.reverse();
      for (const [name, db] of pair) {
        const start = performance.now();
        await db.query('select 1');
        if (i >= 40) samples[name].push(performance.now() - start);
      }
    }
    const p50 = { direct: percentile(samples.direct, 50), proxy: percentile(samples.proxy, 50) };
    return [
      {
        name: `event-loop stall during pg_sleep(${SLEEP_S}), worker thread vs main thread`,
        value: after.loopMs,
        unit: 'ms',
        baseline: before.loopMs,
        ratio: after.loopMs / before.loopMs,
        goal: '≤ 0.05x',
      },
      {
        name: `slowest /healthz-like answer during pg_sleep(${SLEEP_S}), worker vs main thread`,
        value: after.httpMs,
        unit: 'ms',
        baseline: before.httpMs,
        ratio: after.httpMs / before.httpMs,
        goal: '≤ 0.05x',
      },
      {
        name: 'select 1 round trip p50, worker thread vs main thread',
        value: p50.proxy,
        unit: 'ms',
        baseline: p50.direct,
        ratio: p50.proxy / p50.direct,
        goal: 'overhead ≤ 0.2 ms',
      },
    ];
  } finally {
    await direct.close();
    await threaded.close();
  }
}
