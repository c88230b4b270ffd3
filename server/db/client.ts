import fs from 'node:fs';
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { REPO_ROOT } from '../config.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import { PGliteProxy } from './pglite-proxy.js';
import { isEmptyFolder, preparedDataFile, preparedDataKey, writePreparedData } from './prepared-data.js';
import * as schema from './schema/index.js';

export const MIGRATIONS_FOLDER = path.join(REPO_ROOT, 'server', 'db', 'migrations');

/** The drizzle handle both drivers share; repositories take this and nothing driver-specific. */
export type AppDatabase = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: AppDatabase;
  kind: 'pglite' | 'postgres';
  /** Cheap round trip, for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * The embedded database when on PGlite (it runs in a worker thread; this proxy has the PGlite
   * calls the service uses: query, exec, transaction, listen, dumpDataDir); undefined on a server.
   */
  pglite?: PGliteProxy;
  /** The pg pool when on a server. */
  pool?: pg.Pool;
  /** The server's connection string (for connections outside the pool, such as LISTEN). */
  url?: string;
  /** Runs `close` first when the database closes (listeners, so nothing outlives the handle). */
  onClose(close: () => Promise<void>): void;
  /** Embedded: whether the folder started from a prepared copy (prepared-data.ts). */
  startedFromPreparedData?: boolean;
  /**
   * Embedded, on a folder built from scratch with a cache folder configured: saves its prepared
   * copy. Call it right after the migrations, before anything else is written.
   */
  savePreparedData?: () => Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  /** PGlite data directory; omit for an in-memory database. */
  pgliteDataDir?: string;
  /** A dumped PGlite data directory (tar.gz) to start from instead of an empty cluster. */
  pgliteLoadDataDir?: Blob;
  poolMax?: number;
  statementTimeoutMs?: number;
  /** Embedded only: PostGIS core (default) or the package's whole bundle. */
  pglitePostgis?: 'core' | 'full';
  /** Embedded only: shared_buffers, e.g. '16MB' (the default). */
  pgliteSharedBuffers?: string;
  /** Embedded only: where prepared copies are cached (prepared-data.ts); none when omitted. */
  pglitePreparedCacheDir?: string;
}

/** Runs a query and returns its rows, whichever driver is underneath. */
export async function queryRows<T>(db: AppDatabase, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openServerDatabase(options.databaseUrl, options);
  return openEmbeddedDatabase(options);
}

async function openServerDatabase(
  url: string,
  options: OpenDatabaseOptions,
): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    // Bounds every statement so one slow query cannot hold a connection forever.
    statement_timeout: options.statementTimeoutMs ?? 15_000,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server (restart, failover) must not crash the process.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema }) as unknown as AppDatabase;
  const closers = closeHooks();
  return {
    db,
    kind: 'postgres',
    pool,
    url,
    ping: async () => {
      await pool.query('select 1');
    },
    onClose: closers.add,
    close: async () => {
      await closers.run();
      await pool.end();
    },
  };
}

/** How an embedded database starts: from a dump, or built from scratch (and then worth saving). */
interface EmbeddedStart {
  load?: Blob;
  /** Set when the folder is built from scratch: where to save its prepared copy once migrated. */
  saveTo?: string;
}

/**
 * A new (empty) data folder starts from a prepared copy when there is one (prepared-data.ts): the
 * file PGLITE_PREPARED_DATA names (an image's own; the browser and stress tests set it), else the
 * cached copy made by an earlier start on this machine. A folder with data starts as it is. The
 * migrations that follow bring a named copy up to date.
 */
function embeddedStart(options: OpenDatabaseOptions): EmbeddedStart {
  if (options.pgliteLoadDataDir) return { load: options.pgliteLoadDataDir };
  const dataDir = options.pgliteDataDir;
  if (!dataDir || !isEmptyFolder(dataDir)) return {};
  const named = process.env.PGLITE_PREPARED_DATA;
  if (named && fs.existsSync(named)) return { load: new Blob([fs.readFileSync(named)]) };
  if (!options.pglitePreparedCacheDir) return {};
  const cached = preparedDataFile(
    options.pglitePreparedCacheDir,
    preparedDataKey(MIGRATIONS_FOLDER, options.pglitePostgis ?? 'core'),
  );
  return fs.existsSync(cached) ? { load: new Blob([fs.readFileSync(cached)]) } : { saveTo: cached };
}

async function openEmbeddedDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  // One process per folder: a second one (server or CLI) fails here, naming the holder.
  const lock = options.pgliteDataDir ? acquireDataDirLock(options.pgliteDataDir) : null;
  let client: PGliteProxy;
  let start: EmbeddedStart = {};
  try {
    start = embeddedStart(options);
    if (options.pgliteDataDir) fs.mkdirSync(options.pgliteDataDir, { recursive: true });
    // PGlite runs in its own thread, so a long statement blocks that thread, not the service.
    // statement_timeout is set for parity with a server, but PGlite does not enforce it (see
    // pglite-proxy.ts): the service arms the proxy's watchdog instead (server/main.ts).
    client = await PGliteProxy.create({
      dataDir: options.pgliteDataDir,
      loadDataDir: start.load,
      statementTimeoutMs: options.statementTimeoutMs ?? 15_000,
      postgis: options.pglitePostgis,
      sharedBuffers: options.pgliteSharedBuffers,
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  // drizzle's pglite driver only calls query(sql, params, { rowMode, parsers }) and transaction().
  const db = drizzlePglite(client as never, { schema }) as unknown as AppDatabase;
  const closers = closeHooks();
  return {
    db,
    kind: 'pglite',
    pglite: client,
    ping: async () => {
      await client.query('select 1');
    },
    startedFromPreparedData: start.load !== undefined,
    savePreparedData: start.saveTo
      ? async () => writePreparedData(start.saveTo!, new Uint8Array(await (await client.dumpDataDir('gzip')).arrayBuffer()))
      : undefined,
    onClose: closers.add,
    close: async () => {
      await closers.run();
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

function closeHooks() {
  const hooks: Array<() => Promise<void>> = [];
  return {
    add: (hook: () => Promise<void>) => void hooks.push(hook),
    run: async () => {
      await Promise.allSettled(hooks.splice(0).map((hook) => hook()));
    },
  };
}

// Any fixed number works; it only has to be the same for every instance of the service.
const MIGRATION_LOCK_KEY = 724_215_001;

/**
 * Brings the schema up to date. On a server several instances may start at once, so they take an
 * advisory lock and run migrations one after the other (the later ones find nothing to do).
 */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.kind === 'pglite') {
    await migratePglite(handle.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  const client = await handle.pool!.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    client.release();
  }
}

export { sql };
