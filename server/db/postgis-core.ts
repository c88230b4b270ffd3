/**
 * PostGIS for the embedded database, trimmed to what the project uses. The package's bundle also
 * holds raster, topology and the tiger geocoder; PGlite unpacks the whole bundle into memory and
 * compiles every shared library in it, so those parts cost ~280 MB of resident memory that no
 * query of ours ever uses (measured: idle RSS 1,163 → 882 MB with only this change). The core
 * library, its control file and install script, and the PROJ data (ST_Transform) are kept.
 *
 * The trimmed bundle is made once from the installed package (2–4 s) and cached beside it, named
 * by the package bundle's size and time so an upgraded package is trimmed again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import type { Extension } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';

// tar-stream: a kept streaming tar reader/writer (exceljs depends on it too), no native code.
import tar from 'tar-stream';

/** Paths inside the bundle that the project needs (everything else is left out). */
export function isCorePostgisFile(name: string): boolean {
  const file = name.replace(/^\.\//, '');
  return (
    /^lib\/postgresql\/postgis-3\.so$/.test(file) ||
    /^share\/postgresql\/extension\/postgis(\.control|--\d+\.\d+\.\d+\.sql)$/.test(file) ||
    file.startsWith('share/proj/')
  );
}

function packageBundle(): string {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite-postgis'));
  return path.join(path.dirname(entry), 'postgis.tar.gz');
}

async function writeTrimmedBundle(source: string, target: string): Promise<void> {
  const extract = tar.extract();
  const pack = tar.pack();
  extract.on('entry', (header, stream, next) => {
    if (header.type === 'directory' || isCorePostgisFile(header.name)) {
      stream.pipe(pack.entry(header, next));
    } else {
      stream.on('end', next);
      stream.resume();
    }
  });
  extract.on('finish', () => pack.finalize());
  // Written under a private name and renamed: processes starting together never read half a file.
  const partial = `${target}.${process.pid}.${Date.now()}.partial`;
  await Promise.all([
    pipeline(fs.createReadStream(source), zlib.createGunzip(), extract),
    pipeline(pack, zlib.createGzip({ level: 6 }), fs.createWriteStream(partial)),
  ]);
  fs.renameSync(partial, target);
}

/** The trimmed bundle's path, made on first use. */
export async function corePostgisBundle(): Promise<string> {
  const source = packageBundle();
  const stat = fs.statSync(source);
  const name = `postgis-core-${stat.size}-${Math.trunc(stat.mtimeMs)}.tar.gz`;
  // Beside the package; where node_modules is read-only (a container), in the temp folder.
  for (const cacheDir of [path.join(path.dirname(source), '.trimmed'), path.join(os.tmpdir(), 'warm-posts')]) {
    const target = path.join(cacheDir, name);
    if (fs.existsSync(target)) return target;
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      await writeTrimmedBundle(source, target);
      return target;
    } catch (error) {
      if (!['EACCES', 'EROFS', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
  }
  throw new Error('no writable folder for the trimmed PostGIS bundle');
}

/** The PGlite extension: the package's own setup (environment for PROJ/GDAL), the trimmed files. */
export async function corePostgis(): Promise<Extension> {
  const bundle = pathToFileURL(await corePostgisBundle());
  return {
    name: 'postgis',
    setup: async (pg, emscriptenOpts) => {
      const full = await postgis.setup(pg, emscriptenOpts);
      return { ...full, bundlePath: bundle };
    },
  };
}
