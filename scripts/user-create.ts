/**
 * Creates a user: `npm run user:create -- --username wang --role manager [--stations 12,40]`.
 * The password comes from WARM_POSTS_PASSWORD or stdin (never argv: it would land in shell history
 * and `ps`); there is no default password. Uses DATABASE_URL or the PGlite directory like the
 * server — stop an embedded-database server first, PGlite allows one process per directory.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { closeCpuPool } from '../server/work/cpu-pool.js';
import { loadConfig } from '../server/config.js';
import { migrateDatabase, openDatabase } from '../server/db/client.js';
import { createUser } from '../server/modules/auth/auth.service.js';
import { UsernameSchema } from '../server/modules/auth/auth.schemas.js';
import { isRole, ROLES } from '../server/modules/auth/roles.js';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (input is visible; prefer WARM_POSTS_PASSWORD): ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (process.stdin.isTTY && chunk.includes(10)) break;
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

function fail(message: string): never {
  process.stderr.write(`user:create: ${message}\n`);
  process.exit(2);
}

async function main() {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      role: { type: 'string' },
      stations: { type: 'string' },
    },
  });
  const username = UsernameSchema.safeParse(values.username ?? '');
  if (!username.success) fail(`--username: ${username.error.issues[0]!.message}`);
  if (!isRole(values.role)) fail(`--role must be one of ${ROLES.join(', ')}`);
  const stationIds = (values.stations ?? '')
    .split(',')
    .filter(Boolean)
    .map((s) => Number(s));
  if (stationIds.some((n) => !Number.isInteger(n) || n <= 0)) fail('--stations must be ids like 12,40');
  const password = process.env.WARM_POSTS_PASSWORD || (await readStdin());
  if (!password) fail('no password: set WARM_POSTS_PASSWORD or pipe it on stdin');

  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    pgliteDataDir: config.PGLITE_DATA_DIR,
  }).catch((error: Error) => fail(error.message));
  try {
    await migrateDatabase(database);
    const id = await createUser(database.db, {
      username: username.data,
      password,
      role: values.role,
      stationIds,
    });
    pino().info({ id, username: username.data, role: values.role, stationIds }, 'user created');
  } catch (error) {
    fail((error as Error).message);
  } finally {
    await database.close();
    // The password's strength was checked in a worker thread: stop it, or the CLI would not exit.
    await closeCpuPool();
  }
}

main();
