/**
 * The embedded database's own thread. PGlite is PostgreSQL compiled to WebAssembly and runs each
 * statement synchronously: on the main thread a 40-second query froze every request, /healthz
 * included. Here it freezes only this thread. The main thread talks to it through PGliteProxy
 * (pglite-proxy.ts); this file only executes what it is sent, one message per call.
 *
 * Before and after each protocol round PGlite runs synchronously, this thread writes into a shared
 * buffer that it is busy and since when, so the main thread can see a statement that runs too
 * long even though this thread cannot answer meanwhile (PGlite ignores statement_timeout: its
 * timer would need the event loop that the statement blocks).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Results, type Transaction } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { corePostgis } from './postgis-core.js';
import type { WireError, WorkerInit, WorkerReply, WorkerRequest } from './pglite-protocol.js';

const init = workerData as WorkerInit;
const port = parentPort!;
const busy = new Int32Array(init.busy, 0, 2);
const busySince = new Float64Array(init.busy, 8, 1);

/** Parsers that keep the server's text as it is (drizzle's choice for dates, intervals, …). */
function identityParsers(oids: number[] | undefined): Record<number, (value: string) => string> | undefined {
  if (!oids) return undefined;
  return Object.fromEntries(oids.map((oid) => [oid, (value: string) => value]));
}

function wireError(error: unknown): WireError {
  const err = error as Record<string, unknown> & Error;
  const out: WireError = { message: String(err?.message ?? error), name: String(err?.name ?? 'Error') };
  if (err && typeof err === 'object') {
    for (const [key, value] of Object.entries(err)) {
      // Query options hold functions (parsers); only plain fields cross the thread.
      if (['string', 'number', 'boolean'].includes(typeof value)) out[key] = value as never;
    }
  }
  return out;
}

let nextTx = 1;
const transactions = new Map<number, { tx: Transaction; finish: (commit: boolean) => void }>();
const unsubscribers = new Map<string, () => Promise<void>>();

function send(reply: WorkerReply, transfer: ArrayBuffer[] = []) {
  port.postMessage(reply, transfer);
}

async function main() {
  const pg = await PGlite.create({
    dataDir: init.dataDir,
    loadDataDir: init.loadDataDir ? new Blob([init.loadDataDir]) : undefined,
    extensions: { postgis: init.postgis === 'full' ? postgis : await corePostgis() },
    // PGlite's default 128 MB of shared buffers caches pages its own file system already holds in
    // memory: 16 MB measured ~145 MB less resident memory with coverage and nearest times unchanged.
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${init.sharedBuffers}`],
  });
  // Mark the synchronous part of every protocol round, where a long statement blocks this thread.
  const run = pg.execProtocolRawSync.bind(pg);
  pg.execProtocolRawSync = (message: Uint8Array) => {
    busySince[0] = Date.now();
    Atomics.store(busy, 0, 1);
    try {
      return run(message);
    } finally {
      Atomics.store(busy, 0, 0);
    }
  };
  if (init.statementTimeoutMs !== undefined) {
    // Kept for parity with a server (and in case a PGlite release honours it); see above.
    await pg.exec(`set statement_timeout = ${Math.trunc(init.statementTimeoutMs)}`);
  }

  const target = (tx: number | undefined): Pick<Transaction, 'query' | 'exec'> => {
    if (tx === undefined) return pg;
    const open = transactions.get(tx);
    if (!open) throw Object.assign(new Error('Transaction is closed'), { code: '25P01' });
    return open.tx;
  };

  const handle = async (request: WorkerRequest): Promise<void> => {
    const { id } = request;
    try {
      switch (request.op) {
        case 'query': {
          const result: Results = await target(request.tx).query(request.sql, request.params, {
            rowMode: request.rowMode,
            parsers: identityParsers(request.identityParsers),
          });
          send({ id, ok: true, value: { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows } });
          return;
        }
        case 'exec': {
          const results = await target(request.tx).exec(request.sql);
          send({
            id,
            ok: true,
            value: results.map((r) => ({ rows: r.rows, fields: r.fields, affectedRows: r.affectedRows })),
          });
          return;
        }
        case 'begin': {
          const txId = nextTx++;
          let ended: ((commit: boolean) => void) | undefined;
          let started = false;
          const done = pg.transaction(async (tx) => {
            started = true;
            const outcome = new Promise<boolean>((resolve) => {
              ended = resolve;
            });
            transactions.set(txId, { tx, finish: (commit) => ended!(commit) });
            send({ id, ok: true, value: txId });
            if (!(await outcome)) await tx.rollback();
          });
          pendingEnds.set(txId, done);
          // A failed BEGIN (the database closing) answers the begin request itself.
          done.catch((error) => {
            if (!started) send({ id, ok: false, error: wireError(error) });
          });
          return;
        }
        case 'end': {
          const open = transactions.get(request.tx);
          const done = pendingEnds.get(request.tx);
          if (!open || !done) throw Object.assign(new Error('Transaction is closed'), { code: '25P01' });
          transactions.delete(request.tx);
          pendingEnds.delete(request.tx);
          open.finish(request.commit);
          await done;
          send({ id, ok: true, value: null });
          return;
        }
        case 'listen': {
          if (!unsubscribers.has(request.channel)) {
            const channel = request.channel;
            const unsubscribe = await pg.listen(channel, (payload) => send({ notify: channel, payload }));
            unsubscribers.set(channel, unsubscribe);
          }
          send({ id, ok: true, value: null });
          return;
        }
        case 'unlisten': {
          const unsubscribe = unsubscribers.get(request.channel);
          unsubscribers.delete(request.channel);
          await unsubscribe?.();
          send({ id, ok: true, value: null });
          return;
        }
        case 'dump': {
          const blob = await pg.dumpDataDir(request.compression);
          const buffer = await blob.arrayBuffer();
          send({ id, ok: true, value: buffer }, [buffer]);
          return;
        }
        case 'close': {
          await pg.close();
          send({ id, ok: true, value: null });
          port.close();
          return;
        }
      }
    } catch (error) {
      send({ id, ok: false, error: wireError(error) });
    }
  };

  const pendingEnds = new Map<number, Promise<void>>();
  port.on('message', (request: WorkerRequest) => void handle(request));
  send({ ready: true });
}

main().catch((error) => send({ ready: false, error: wireError(error) }));
