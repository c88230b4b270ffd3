/**
 * The embedded database's prepared copy (server/db/prepared-data.ts): a folder built from scratch
 * saves one once migrated; a new, empty folder then starts from it with PostGIS and the schema in
 * place; a folder with data, or a copy made for other migrations, is never loaded. Embedded only
 * (a PostgreSQL server has no data folder of ours).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MIGRATIONS_FOLDER,
  migrateDatabase,
  openDatabase,
  queryRows,
  sql,
  type DatabaseHandle,
} from '../../server/db/client.js';
import { preparedDataFile, preparedDataKey } from '../../server/db/prepared-data.js';

const onServer = Boolean(process.env.TEST_DATABASE_URL);
let scratch: string;
let namedCopy: string | undefined;

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'prepared-data-'));
  // This test is about the cache; a copy named for the whole run would hide it.
  namedCopy = process.env.PGLITE_PREPARED_DATA;
  delete process.env.PGLITE_PREPARED_DATA;
});

afterAll(() => {
  if (namedCopy !== undefined) process.env.PGLITE_PREPARED_DATA = namedCopy;
  fs.rmSync(scratch, { recursive: true, force: true });
});

const open = (folder: string, cacheDir: string) =>
  openDatabase({ pgliteDataDir: path.join(scratch, folder), pglitePreparedCacheDir: cacheDir });

async function tables(handle: DatabaseHandle): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    handle.db,
    sql`select tablename as name from pg_tables where schemaname = 'public' order by 1`,
  );
  return rows.map((r) => r.name);
}

describe.skipIf(onServer)('prepared copy of the embedded database', () => {
  it('is saved by a folder built from scratch and starts the next empty folder, schema and PostGIS in place', async () => {
    const cacheDir = path.join(scratch, 'cache');
    const expectedFile = preparedDataFile(cacheDir, preparedDataKey(MIGRATIONS_FOLDER, 'core'));
    // A copy left from other migrations: never loaded, removed when the new one is written.
    fs.mkdirSync(cacheDir, { recursive: true });
    const stale = preparedDataFile(cacheDir, '0000000000000000');
    fs.writeFileSync(stale, 'not a dump');

    const first = await open('first', cacheDir);
    let schema: string[];
    try {
      expect(first.startedFromPreparedData).toBe(false);
      await migrateDatabase(first);
      expect(first.savePreparedData).toBeTypeOf('function');
      await first.savePreparedData!();
      schema = await tables(first);
      // Written after the copy: must not be in it.
      await first.db.execute(sql`insert into stations (name, geom, opening_hours)
        values ('after the copy', ST_SetSRID(ST_MakePoint(116.4, 39.9), 4326), '24/7')`);
    } finally {
      await first.close();
    }
    expect(fs.existsSync(expectedFile)).toBe(true);
    expect(fs.existsSync(stale)).toBe(false);
    expect(schema).toContain('stations');

    const second = await open('second', cacheDir);
    try {
      expect(second.startedFromPreparedData).toBe(true);
      expect(second.savePreparedData).toBeUndefined();
      expect(await tables(second)).toEqual(schema);
      const [postgis] = await queryRows<{ v: string }>(second.db, sql`select postgis_lib_version() as v`);
      expect(postgis!.v).toMatch(/^3\./);
      const [count] = await queryRows<{ n: number }>(second.db, sql`select count(*)::int as n from stations`);
      expect(count!.n).toBe(0);
      await migrateDatabase(second); // nothing left to apply, and no error
    } finally {
      await second.close();
    }

    // A folder with data starts as it is, whatever the cache holds.
    const again = await open('first', cacheDir);
    try {
      expect(again.startedFromPreparedData).toBe(false);
      expect(again.savePreparedData).toBeUndefined();
      const [count] = await queryRows<{ n: number }>(again.db, sql`select count(*)::int as n from stations`);
      expect(count!.n).toBe(1);
    } finally {
      await again.close();
    }
  });
});
