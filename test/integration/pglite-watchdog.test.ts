/**
 * PGlite ignores statement_timeout; the proxy's watchdog cuts a statement past its hard limit by
 * restarting the database thread on the same data folder: the caller gets a 57P01-coded error
 * (503 in the service), committed rows survive, and the database answers again. Embedded only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { PGliteProxy } from '../../server/db/pglite-proxy.js';
import { classifyDatabaseError } from '../../server/db/database-errors.js';

const embedded = !process.env.TEST_DATABASE_URL;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pglite-watchdog-'));

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(!embedded)('embedded database watchdog', () => {
  it('cuts a runaway statement, keeps committed rows and answers again', async () => {
    const proxy = await PGliteProxy.create({
      dataDir: path.join(scratch, 'pgdata'),
      loadDataDir: new Blob([fs.readFileSync(inject('pgliteTemplateFile'))]),
    });
    try {
      await proxy.exec('create table kept (a int); insert into kept values (42)');
      let restarts = 0;
      proxy.onRestart(() => restarts++);
      proxy.setHardLimit(500);
      const error = await proxy.query('select pg_sleep(30)').then(
        () => null,
        (e: Error) => e,
      );
      expect(error).not.toBeNull();
      expect(classifyDatabaseError(error)).toBe('unavailable');
      expect((await proxy.query<{ a: number }>('select a from kept')).rows).toEqual([{ a: 42 }]);
      expect(restarts).toBe(1);
    } finally {
      await proxy.close();
    }
  });
});
