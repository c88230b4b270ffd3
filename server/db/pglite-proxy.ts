/**
 * The embedded database as seen from the main thread: the calls the service makes on a PGlite
 * instance (drizzle's pglite driver: query with rowMode and parsers, transaction; exec, listen,
 * dumpDataDir, close), each sent to PGlite running in its own worker thread (pglite-worker.ts).
 * A long statement then blocks only that thread: /healthz, the station mirror's answers and
 * everything not waiting for the database keep running.
 *
 * Ordering and isolation are PGlite's own: it runs one statement at a time, and while a
 * transaction is open every other query waits for it, so a transaction stays interactive (the
 * caller's JS runs between its statements) and isolated.
 *
 * Parsers are functions and cannot cross threads. drizzle only passes parsers that keep the text
 * as it is (dates, timestamps, intervals, numeric arrays); the proxy checks that each given parser
 * does so and asks the worker for the same by type oid. Anything else is refused loudly.
 *
 * Runaway statements: PGlite ignores statement_timeout (its timer needs the event loop the
 * statement blocks). A watchdog here sees how long the worker has been inside one statement
 * (a shared buffer the worker writes) and, past a hard limit, terminates the worker — the
 * statement's caller and everything queued behind it get a 57P01-coded error, which the service
 * answers as 503 + Retry-After — and starts a new one on the same data directory, which PGlite
 * recovers like after a kill -9 (committed work kept). An in-memory database cannot be restarted
 * (its data lived in the terminated thread): it stays unavailable.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { classifyDatabaseError, isReadOnlyStatement } from './database-errors.js';
import type { WireError, WorkerInit, WorkerReply, WorkerRequest } from './pglite-protocol.js';

export interface ProxyResults<T = Record<string, unknown>> {
  rows: T[];
  fields: Array<{ name: string; dataTypeID: number }>;
  affectedRows?: number;
}

export interface ProxyQueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, (value: string, typeId: number) => unknown>;
}

export interface ProxyTransaction {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: ProxyQueryOptions): Promise<ProxyResults<T>>;
  exec(sql: string): Promise<ProxyResults[]>;
  rollback(): Promise<void>;
  readonly closed: boolean;
}

export interface PGliteProxyOptions {
  dataDir?: string;
  loadDataDir?: Blob;
  statementTimeoutMs?: number;
  postgis?: 'core' | 'full';
  sharedBuffers?: string;
  /** A statement running longer than this restarts the worker; 0 turns the watchdog off. */
  hardLimitMs?: number;
  /** Told when a read is retried after a transient file error. */
  onTransientRetry?: (error: Error) => void;
  /** Told when the watchdog cut a statement and restarted the database. */
  onRestart?: (info: { ranMs: number; restarted: boolean }) => void;
}

/** Raised for every call the restart cut short, and while the database is down. */
export class EmbeddedDatabaseRestartError extends Error {
  readonly code = '57P01'; // admin_shutdown: the service answers 503 + Retry-After
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedDatabaseRestartError';
  }
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

const PROBE = '\u0001probe';

/** The oids of parsers that return their input unchanged; throws for any other parser. */
function identityOids(parsers: ProxyQueryOptions['parsers']): number[] | undefined {
  if (!parsers) return undefined;
  return Object.entries(parsers).map(([oid, parse]) => {
    if (parse(PROBE, Number(oid)) !== PROBE) {
      throw new Error(`PGlite proxy: the parser for type ${oid} is not the identity and cannot cross threads`);
    }
    return Number(oid);
  });
}

function toError(wire: WireError): Error {
  const { message, name, ...fields } = wire;
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, fields);
}

function workerEntry(): { code: string; eval: true } | { url: URL; eval: false } {
  const ownUrl = import.meta.url;
  if (!ownUrl.endsWith('.ts')) return { url: new URL('./pglite-worker.js', ownUrl), eval: false };
  // Running from TypeScript sources (tsx, vitest): the worker registers tsx's loader itself, as a
  // worker does not inherit the main thread's loader hooks.
  const require = createRequire(ownUrl);
  const api = pathToFileURL(require.resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href;
  const entry = new URL('./pglite-worker.ts', ownUrl).href;
  return {
    eval: true,
    code: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`,
  };
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class PGliteProxy {
  private worker!: Worker;
  private busy!: SharedArrayBuffer;
  private ready!: Promise<void>;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(payload: string) => void>>();
  private readonly restartHooks: Array<() => void> = [];
  private watchdog: NodeJS.Timeout | null = null;
  private closed = false;
  /** Set when the worker died and cannot come back (in-memory database). */
  private broken: Error | null = null;

  private constructor(private readonly options: PGliteProxyOptions) {}

  static async create(options: PGliteProxyOptions): Promise<PGliteProxy> {
    const proxy = new PGliteProxy(options);
    const load = options.loadDataDir ? await options.loadDataDir.arrayBuffer() : undefined;
    proxy.start(load);
    await proxy.ready;
    proxy.setHardLimit(options.hardLimitMs ?? 0);
    return proxy;
  }

  /**
   * Arms (or, with 0, disarms) the runaway-statement watchdog. The service arms it once started:
   * creating PostGIS and migrating are single statements that may legitimately run long.
   */
  setHardLimit(ms: number): void {
    this.hardLimitMs = ms;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    this.startWatchdog();
  }

  private hardLimitMs = 0;

  private start(loadDataDir?: ArrayBuffer) {
    this.busy = new SharedArrayBuffer(16);
    const init: WorkerInit = {
      dataDir: this.options.dataDir,
      loadDataDir,
      statementTimeoutMs: this.options.statementTimeoutMs,
      postgis: this.options.postgis ?? 'core',
      sharedBuffers: this.options.sharedBuffers ?? '16MB',
      busy: this.busy,
    };
    const entry = workerEntry();
    const worker = entry.eval
      ? new Worker(entry.code, { eval: true, workerData: init, execArgv: [], transferList: loadDataDir ? [loadDataDir] : [] })
      : new Worker(entry.url, { workerData: init, transferList: loadDataDir ? [loadDataDir] : [] });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: WorkerReply) => {
        if ('ready' in message) {
          if (message.ready) resolve();
          else reject(toError(message.error));
          return;
        }
        if ('notify' in message) {
          for (const listener of this.listeners.get(message.notify) ?? []) listener(message.payload);
          return;
        }
        const call = this.pending.get(message.id);
        if (!call) return;
        this.pending.delete(message.id);
        if (message.ok) call.resolve(message.value);
        else call.reject(toError(message.error));
      });
      worker.on('error', (error) => {
        reject(error);
        this.failAll(new EmbeddedDatabaseRestartError(`The embedded database failed: ${error.message}`));
      });
      worker.on('exit', () => {
        reject(new Error('The embedded database worker exited while starting'));
        if (this.worker === worker && !this.closed) {
          this.failAll(new EmbeddedDatabaseRestartError('The embedded database stopped'));
        }
      });
    });
    // The proxy's own promise must never be an unhandled rejection; callers await it via call().
    this.ready.catch(() => {});
  }

  private startWatchdog() {
    const limit = this.hardLimitMs;
    if (limit <= 0) return;
    this.watchdog = setInterval(() => {
      const busy = new Int32Array(this.busy, 0, 2);
      if (Atomics.load(busy, 0) !== 1) return;
      const ranMs = Date.now() - new Float64Array(this.busy, 8, 1)[0]!;
      if (ranMs > limit) void this.restart(ranMs);
    }, Math.min(1_000, Math.max(50, limit / 10)));
    this.watchdog.unref();
  }

  private failAll(error: Error) {
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) call.reject(error);
  }

  private restarting = false;

  /** Cuts the running statement: ends the worker and, on a data directory, starts a new one. */
  private async restart(ranMs: number) {
    if (this.restarting || this.closed) return;
    this.restarting = true;
    const old = this.worker;
    const canRestart = Boolean(this.options.dataDir);
    // Calls made from now on wait for the new worker instead of reaching the old one.
    let restarted!: () => void;
    this.ready = new Promise<void>((resolve) => (restarted = resolve));
    const cut = new EmbeddedDatabaseRestartError(
      `A database statement ran past the ${Math.round(this.hardLimitMs / 1000)} s hard limit and was stopped; retry shortly`,
    );
    // Calls arriving during the restart wait for the new worker (or fail if there is none).
    this.failAll(cut);
    await old.terminate();
    if (!canRestart) {
      this.broken = new EmbeddedDatabaseRestartError(
        'The in-memory embedded database was stopped after a runaway statement and cannot be restarted',
      );
    } else {
      this.start();
      try {
        await this.ready;
        // Listening again before anyone else queries: nothing committed after this is missed.
        for (const channel of this.listeners.keys()) await this.call({ op: 'listen', channel });
      } catch (error) {
        this.broken = new EmbeddedDatabaseRestartError(`The embedded database did not restart: ${(error as Error).message}`);
      }
    }
    this.restarting = false;
    restarted();
    this.options.onRestart?.({ ranMs, restarted: !this.broken });
    for (const hook of this.restartHooks) hook();
  }

  private async call<T>(request: DistributiveOmit<WorkerRequest, 'id'>, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.broken) throw this.broken;
    if (this.closed) throw new Error('PGlite is closed');
    await this.ready;
    if (this.broken) throw this.broken;
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...request, id } as WorkerRequest, transfer);
    });
  }

  /** Outside a transaction, a read that hit a transient file error is tried again (twice at most). */
  async query<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: ProxyQueryOptions): Promise<ProxyResults<T>> {
    const request = { op: 'query', sql, params, rowMode: options?.rowMode, identityParsers: identityOids(options?.parsers) } as const;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.call<ProxyResults<T>>(request);
      } catch (error) {
        if (attempt >= 2 || classifyDatabaseError(error) !== 'transient' || !isReadOnlyStatement(sql)) throw error;
        this.options.onTransientRetry?.(error as Error);
        await new Promise((r) => setTimeout(r, 25 * (attempt + 1)));
      }
    }
  }

  exec(sql: string): Promise<ProxyResults[]> {
    return this.call({ op: 'exec', sql });
  }

  async transaction<T>(callback: (tx: ProxyTransaction) => Promise<T>): Promise<T> {
    const txId = await this.call<number>({ op: 'begin' });
    let closed = false;
    let rolledBack = false;
    const open = () => {
      if (closed) throw new Error('Transaction is closed');
    };
    const tx: ProxyTransaction = {
      query: async (sql, params, options) => {
        open();
        return this.call({ op: 'query', sql, params, rowMode: options?.rowMode, identityParsers: identityOids(options?.parsers), tx: txId });
      },
      exec: async (sql) => {
        open();
        return this.call({ op: 'exec', sql, tx: txId });
      },
      rollback: async () => {
        open();
        rolledBack = true;
        closed = true;
      },
      get closed() {
        return closed;
      },
    };
    let result: T;
    try {
      result = await callback(tx);
    } catch (error) {
      closed = true;
      await this.call({ op: 'end', tx: txId, commit: false }).catch(() => {});
      throw error;
    }
    closed = true;
    await this.call({ op: 'end', tx: txId, commit: !rolledBack });
    return result;
  }

  /** LISTEN; the returned function stops this listener. Survives a watchdog restart. */
  async listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>> {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(callback);
    await this.call({ op: 'listen', channel });
    return async () => {
      set.delete(callback);
      if (set.size === 0 && this.listeners.get(channel) === set) {
        this.listeners.delete(channel);
        if (!this.closed && !this.broken) await this.call({ op: 'unlisten', channel });
      }
    };
  }

  /** Runs `hook` after every watchdog restart (notifications sent meanwhile are lost). */
  onRestart(hook: () => void): void {
    this.restartHooks.push(hook);
  }

  async dumpDataDir(compression?: 'gzip' | 'none' | 'auto'): Promise<Blob> {
    const buffer = await this.call<ArrayBuffer>({ op: 'dump', compression });
    return new Blob([buffer], { type: compression === 'none' ? 'application/x-tar' : 'application/x-gzip' });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.watchdog) clearInterval(this.watchdog);
    if (!this.broken) await this.call({ op: 'close' }).catch(() => {});
    this.closed = true;
    await this.worker.terminate();
  }
}
