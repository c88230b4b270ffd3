import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { REPO_ROOT } from '../../server/config.js';
import { MIGRATIONS_FOLDER, migrateDatabase, openDatabase } from '../../server/db/client.js';
import { seedIfEmpty } from '../../server/db/seed.js';

export const SHARED_DATA_DIR =
  process.env.SHARED_DATA_DIR ?? path.resolve(REPO_ROOT, '..', 'shared', 'data');

const CACHE_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'warm-posts');

/** Changes whenever migrations or boundary inputs change, so a stale template is never reused. */
function templateKey(): string {
  const hash = crypto.createHash('sha256');
  for (const file of fs.readdirSync(MIGRATIONS_FOLDER).sort()) {
    if (file.endsWith('.sql')) hash.update(fs.readFileSync(path.join(MIGRATIONS_FOLDER, file)));
  }
  hash.update(fs.existsSync(path.join(SHARED_DATA_DIR, 'beijing')) ? 'shared' : 'fallback');
  return hash.digest('hex').slice(0, 16);
}

const silent = pino({ level: 'silent' });

/**
 * A PGlite cluster with PostGIS, every migration and Beijing's boundaries (no stations: tests make
 * their own with factories), dumped once so each test file starts in ~2 s instead of ~10 s.
 */
export async function buildPgliteTemplate(): Promise<string> {
  const file = path.join(CACHE_DIR, `pglite-template-${templateKey()}.tar.gz`);
  if (fs.existsSync(file)) return file;
  const handle = await openDatabase({});
  await migrateDatabase(handle);
  await seedIfEmpty(handle.db, { sharedDataDir: SHARED_DATA_DIR, sampleStationCount: 0 }, silent);
  const dump = await handle.pglite!.dumpDataDir('gzip');
  await handle.close();
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(tmp, file);
  return file;
}

// One template per checkout, so two checkouts (git worktrees) can test against one server at once.
export const PG_TEMPLATE_DB = `warm_posts_test_template_${crypto
  .createHash('sha256')
  .update(REPO_ROOT)
  .digest('hex')
  .slice(0, 8)}`;

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A template database on the server, cloned by CREATE DATABASE … TEMPLATE for each test file. */
export async function buildPgTemplate(adminUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${PG_TEMPLATE_DB}`);
    await admin.query(`create database ${PG_TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const handle = await openDatabase({ databaseUrl: withDatabase(adminUrl, PG_TEMPLATE_DB) });
  await migrateDatabase(handle);
  await seedIfEmpty(handle.db, { sharedDataDir: SHARED_DATA_DIR, sampleStationCount: 0 }, silent);
  await handle.close();
  return PG_TEMPLATE_DB;
}
