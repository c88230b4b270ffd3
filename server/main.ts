import { buildApp, DEFAULT_CLIENT_DIST } from './app.js';
import { hoursContextData } from './modules/holidays/hours-context.js';
import { warmCpuPool } from './work/cpu-pool.js';
import { loadConfig } from './config.js';
import { migrateDatabase, openDatabase } from './db/client.js';
import { seedIfEmpty } from './db/seed.js';
import { seedBeijingPopulation } from './db/seed-population.js';
import { createHttpServer, httpServerLimits } from './http/http-server.js';
import { createLogger } from './logger.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const logger = createLogger(config.LOG_LEVEL);
  const started = Date.now();
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    pgliteDataDir: config.PGLITE_DATA_DIR,
    poolMax: config.DB_POOL_MAX,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    pglitePostgis: config.PGLITE_POSTGIS,
    pgliteSharedBuffers: config.PGLITE_SHARED_BUFFERS,
    pglitePreparedCacheDir: config.PGLITE_PREPARED_CACHE_DIR || undefined,
  });
  logger.info(
    {
      database: database.kind,
      dir: database.kind === 'pglite' ? config.PGLITE_DATA_DIR : undefined,
      fromPreparedCopy: database.startedFromPreparedData,
    },
    'database opened',
  );
  await migrateDatabase(database);
  if (database.savePreparedData) {
    // Before seeding: the copy holds PostGIS and the schema only, for any new folder to start from.
    const t0 = Date.now();
    await database
      .savePreparedData()
      .then(() => logger.info({ ms: Date.now() - t0, dir: config.PGLITE_PREPARED_CACHE_DIR }, 'saved the prepared copy of the new database'))
      .catch((err) => logger.warn({ err }, 'could not save the prepared copy; new folders will build from scratch'));
  }
  if (config.SEED_ON_START) {
    await seedIfEmpty(
      database.db,
      { sharedDataDir: config.SHARED_DATA_DIR, sampleStationCount: config.SAMPLE_STATION_COUNT },
      logger.child({ module: 'seed' }),
    );
  }
  if (database.pglite) {
    // PGlite ignores statement_timeout; past twice the timeout (30 s at least) a statement is cut
    // by restarting the database thread, and its request answered 503 (db/pglite-proxy.ts).
    const hardLimitMs = Math.max(2 * config.DB_STATEMENT_TIMEOUT_MS, 30_000);
    database.pglite.setHardLimit(hardLimitMs);
    database.pglite.onRestart(() =>
      logger.error(
        { hardLimitMs },
        'embedded database restarted: a statement ran past the hard limit',
      ),
    );
  }
  const app = buildApp({ database, config, logger, clientDistDir: DEFAULT_CLIENT_DIST });
  // The CPU pool's first thread takes 1–2 s to start: pay it now, not in a user's request.
  await warmCpuPool({
    opening_hours: '24/7',
    hours_overrides: [],
    closures: [],
    at: Date.now(),
    context: hoursContextData(),
  }).catch((err) =>
    logger.warn({ err }, 'CPU pool did not warm up; the first heavy request will start it'),
  );
  const limits = httpServerLimits(config);
  const server = createHttpServer(app, limits);
  server.listen(config.PORT, config.HOST, () => {
    logger.info(
      { port: config.PORT, startupMs: Date.now() - started, maxConnections: limits.maxConnections },
      `warm-posts listening on http://localhost:${config.PORT}`,
    );
  });

  if (config.SEED_ON_START && config.SEED_POPULATION) {
    // Minutes of work (see seed-population.ts): after listening, so start-up stays fast.
    const seedLog = logger.child({ module: 'seed-population' });
    seedBeijingPopulation(
      database.db,
      { sharedDataDir: config.SHARED_DATA_DIR, aggregate: config.SEED_POPULATION_AGGREGATE },
      seedLog,
    ).catch((err) => seedLog.error({ err }, 'loading the Beijing population rasters failed'));
  }

  // Graceful shutdown: stop accepting, let in-flight requests finish, then close the database so
  // PGlite flushes its files and the pg pool releases its connections.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.warn('forced exit after 10 s drain timeout');
      process.exit(1);
    }, 10_000);
    force.unref();
    server.close(async () => {
      await database.close().catch((err) => logger.error({ err }, 'closing database failed'));
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  // A held data folder is an operator's situation, not a bug: the message says it all.
  const detail = error?.code === 'DATA_DIR_LOCKED' ? error.message : (error?.stack ?? error);
  process.stderr.write(`warm-posts failed to start: ${detail}\n`);
  process.exit(1);
});
