import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_TIME_ZONE, isValidTimeZone } from './hours/zone.js';
import { resolveBasemap, type BasemapConfig } from './modules/basemap/basemap.config.js';

/**
 * Repository root, so relative defaults work whatever the working directory: the project folder: the nearest one above this module holding package.json, whether the server
 * runs from its sources (server/config.ts) or compiled (dist/node/server/config.js).
 */
function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..');
  }
}
export const REPO_ROOT = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** When set, use this PostgreSQL + PostGIS server instead of the embedded PGlite. */
  DATABASE_URL: z
    .string()
    .url()
    .refine((u) => /^postgres(ql)?:/.test(u), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Where the embedded PGlite database persists. */
  PGLITE_DATA_DIR: z.string().min(1).default(path.join(REPO_ROOT, 'var', 'pgdata')),
  /** Folder holding beijing/*.geojson and osm/*.pbf (the team's shared data); optional. */
  SHARED_DATA_DIR: z.string().min(1).default(path.resolve(REPO_ROOT, '..', 'shared', 'data')),
  /** Seed boundaries and sample stations into an empty database at start. */
  SEED_ON_START: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  SAMPLE_STATION_COUNT: z.coerce.number().int().min(0).max(100_000).default(1500),
  /**
   * With SEED_ON_START: load SHARED_DATA_DIR/population/beijing-hourly (when present, into a
   * Beijing database without it) as a population layer, in the background after start.
   */
  SEED_POPULATION: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** That load sums n × n cells into one: 1 keeps the files' 100 m, 2 gives 200 m (¼ the rows). */
  SEED_POPULATION_AGGREGATE: z.coerce.number().int().min(1).max(10).default(1),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Milliseconds a single SQL statement may run on the server database. */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  /**
   * Where the embedded database caches its prepared copy (PostGIS created, migrated) for new data
   * folders to start from; empty turns the cache off. PGLITE_PREPARED_DATA names a copy to use instead.
   */
  PGLITE_PREPARED_CACHE_DIR: z.string().default(path.join(REPO_ROOT, 'var', 'cache')),
  /** Which PostGIS the embedded database loads: its core (what the project uses) or the package's whole bundle. */
  PGLITE_POSTGIS: z.enum(['core', 'full']).default('core'),
  /** shared_buffers of the embedded database (PostgreSQL memory units). */
  PGLITE_SHARED_BUFFERS: z
    .string()
    .regex(/^\d+(kB|MB|GB)$/, 'a size such as 16MB')
    .default('16MB'),
  /** Heavy planner computations (coverage, gaps, timeline, suggestions) running at once, per kind. */
  COVERAGE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** Heavy planner computations waiting per kind; more are refused with 503 + Retry-After. */
  COVERAGE_QUEUE: z.coerce.number().int().min(0).max(1000).default(6),
  /**
   * Searches waiting for the station search thread (two run there at once; a broad one costs up
   * to ~15 ms at 200,000 stations); more are refused with 503 + Retry-After.
   */
  SEARCH_QUEUE: z.coerce.number().int().min(0).max(1000).default(32),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** IANA zone the deployment's stations keep their hours in (e.g. Europe/Andorra). */
  TIME_ZONE: z
    .string()
    .default(DEFAULT_TIME_ZONE)
    .refine(isValidTimeZone, 'must be an IANA time zone name such as Asia/Shanghai or Europe/Andorra'),
  /** Public holidays: `cn` (mainland China, kept in the holidays table) or `none`. */
  HOLIDAY_CALENDAR: z.enum(['cn', 'none']).default('cn'),
  /** How far outside every loaded area a station may lie (metres): the region's margin. */
  REGION_MARGIN_M: z.coerce.number().min(0).max(100_000).default(5000),
  /** The deployment's name for titles; default: the name of the single top-level area (e.g. 北京市). */
  DEPLOYMENT_NAME: z.string().min(1).max(100).optional(),
  /**
   * The maps' default centre, `lng,lat` (WGS-84, GeoJSON order); default: the centre of the loaded
   * areas' extent. E.g. 116.3975,39.9087 (天安门) for a Beijing deployment that wants the old view.
   */
  MAP_DEFAULT_CENTER: z
    .string()
    .transform((text, ctx) => {
      const parts = text.split(',').map((p) => Number(p.trim()));
      const [lng, lat] = parts;
      if (parts.length !== 2 || !Number.isFinite(lng) || !Number.isFinite(lat) || Math.abs(lng!) > 180 || Math.abs(lat!) > 90) {
        ctx.addIssue({ code: 'custom', message: 'must be "lng,lat" in degrees, e.g. 1.5215,42.5075' });
        return z.NEVER;
      }
      return [lng, lat] as [number, number];
    })
    .optional(),
  /** The maps' default zoom (0–22); default: the zoom that fits the loaded areas' extent. */
  MAP_DEFAULT_ZOOM: z.coerce.number().min(0).max(22).optional(),
  /** Comma-separated origins allowed by CORS; empty = CORS off. */
  CORS_ORIGINS: z.string().default(''),
  /** Open connections at most; default half the process's open-file limit, at most 10,000. */
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(8).max(1_000_000).optional(),
  /** Milliseconds a connection has to deliver a request's headers (from connecting, or between requests). */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
});

export type AppConfig = Readonly<
  z.infer<typeof ConfigSchema> & {
    /** BASEMAP_* (modules/basemap/basemap.config.ts): the tiles under our layers. */
    basemap: Readonly<BasemapConfig>;
  }
>;

/**
 * Parses the environment once into a frozen, typed config. Fails fast naming each bad variable,
 * because a half-configured service is worse than one that does not start.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = ConfigSchema.safeParse(cleaned);
  const basemap = resolveBasemap(cleaned);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)),
    ...(Array.isArray(basemap) ? basemap.map((p) => `  ${p.variable}: ${p.message}`) : []),
  ];
  if (!parsed.success || Array.isArray(basemap)) {
    throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return Object.freeze({ ...parsed.data, basemap: Object.freeze(basemap) });
}
