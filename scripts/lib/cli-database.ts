import { loadConfig } from '../../server/config.js';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '../../server/db/client.js';

/** The database the service itself would use (DATABASE_URL or the PGlite data dir), migrated. */
export async function openConfiguredDatabase(): Promise<DatabaseHandle> {
  const config = loadConfig();
  const handle = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    pgliteDataDir: config.PGLITE_DATA_DIR,
  });
  await migrateDatabase(handle);
  return handle;
}

/** Reads a local path or an http(s) URL as text. */
export async function readSource(source: string): Promise<string> {
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source);
    if (!res.ok) throw new Error(`Download failed: ${res.status} ${res.statusText} for ${source}`);
    return res.text();
  }
  const fs = await import('node:fs/promises');
  return fs.readFile(source, 'utf8');
}
