/**
 * The embedded database's prepared copy: a dump (tar.gz) of a PGlite cluster with PostGIS created
 * and every migration run, so an empty data folder starts from it instead of creating PostGIS and
 * running the migrations again — the slow half of a first start (issue 13: "first start from a
 * prepared data directory rather than creating PostGIS each time").
 *
 * The first start that builds a folder from scratch writes the copy into a cache folder
 * (PGLITE_PREPARED_CACHE_DIR, `var/cache` by default); any later empty folder on the machine — a
 * reset, a second instance's folder, a container with fresh storage, the tests — loads it. An
 * image can ship one and name it with PGLITE_PREPARED_DATA. Its name carries what it depends on
 * (PGlite's and PostGIS's packages, which PostGIS bundle, the migrations), so a copy that no
 * longer matches is never loaded; it is replaced the next time a folder is built from scratch.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const PREFIX = 'pglite-prepared-';
const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    // Packages whose exports hide package.json: the folder the entry point resolves into.
    return path.dirname(require.resolve(name));
  }
}

/** What the dump depends on, hashed: a different package, bundle or migration gives a new name. */
export function preparedDataKey(migrationsFolder: string, postgis: 'core' | 'full'): string {
  const hash = crypto.createHash('sha256');
  hash.update(`${packageVersion('@electric-sql/pglite')}|${packageVersion('@electric-sql/pglite-postgis')}|${postgis}`);
  for (const file of fs.readdirSync(migrationsFolder).sort()) {
    if (file.endsWith('.sql')) hash.update(file).update(fs.readFileSync(path.join(migrationsFolder, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

export function preparedDataFile(cacheDir: string, key: string): string {
  return path.join(cacheDir, `${PREFIX}${key}.tar.gz`);
}

/** Whether a data folder has nothing in it yet (or does not exist). */
export function isEmptyFolder(dir: string): boolean {
  return !fs.existsSync(dir) || fs.readdirSync(dir).length === 0;
}

/**
 * Writes the dump atomically (a half-written copy is never loaded) and removes the older copies
 * beside it, which no start can use any more.
 */
export function writePreparedData(file: string, dump: Uint8Array): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, dump);
  fs.renameSync(tmp, file);
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith(PREFIX) && name.endsWith('.tar.gz') && path.join(dir, name) !== file) {
      fs.rmSync(path.join(dir, name), { force: true });
    }
  }
}
