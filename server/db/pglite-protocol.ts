/** Messages between PGliteProxy (main thread) and pglite-worker.ts. Plain data only. */

export interface WorkerInit {
  dataDir?: string;
  loadDataDir?: ArrayBuffer;
  statementTimeoutMs?: number;
  /** PostGIS core (postgis-core.ts) or the package's whole bundle. */
  postgis: 'core' | 'full';
  /** shared_buffers, e.g. '16MB'. */
  sharedBuffers: string;
  /** Shared: [busy flag (Int32), pad, since (Float64 ms)], written by the worker. */
  busy: SharedArrayBuffer;
}

/** A database error's plain fields (message, code, detail, …): functions do not cross threads. */
export type WireError = { message: string; name: string } & Record<string, string | number | boolean>;

export type WorkerRequest =
  | {
      id: number;
      op: 'query';
      sql: string;
      params?: unknown[];
      rowMode?: 'array' | 'object';
      /** Type oids whose text is kept as it is (the only parsers drizzle passes). */
      identityParsers?: number[];
      tx?: number;
    }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'listen'; channel: string }
  | { id: number; op: 'unlisten'; channel: string }
  | { id: number; op: 'dump'; compression?: 'gzip' | 'none' | 'auto' }
  | { id: number; op: 'close' };

export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: WireError }
  | { notify: string; payload: string }
  | { ready: true }
  | { ready: false; error: WireError };
