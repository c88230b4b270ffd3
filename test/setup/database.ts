import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../server/db/client.js';
import { withDatabase } from './template.js';

export interface TestDatabase {
  handle: DatabaseHandle;
  /** 'pglite' or 'postgres': which engine this run tests. */
  kind: DatabaseHandle['kind'];
  url?: string;
  drop(): Promise<void>;
}

/**
 * A private database for one test file: PGlite loaded from the dumped template, or — when
 * TEST_DATABASE_URL is set — a fresh clone of the server template database.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const template = inject('pgTemplateDb');
  if (adminUrl && template) {
    const name = `wp_test_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name} template ${template}`);
    await admin.end();
    const url = withDatabase(adminUrl, name);
    const handle = await openDatabase({ databaseUrl: url });
    return {
      handle,
      kind: 'postgres',
      url,
      drop: async () => {
        await handle.close().catch(() => {});
        const dropper = new pg.Client({ connectionString: adminUrl });
        await dropper.connect();
        await dropper.query(`drop database if exists ${name} with (force)`);
        await dropper.end();
      },
    };
  }
  const dump = fs.readFileSync(inject('pgliteTemplateFile'));
  const handle = await openDatabase({ pgliteLoadDataDir: new Blob([dump]) });
  return { handle, kind: 'pglite', drop: () => handle.close() };
}
