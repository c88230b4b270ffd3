import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { corePostgisBundle } from '../../../server/db/postgis-core.js';

async function entries(file: string): Promise<Map<string, number>> {
  const names = new Map<string, number>();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    names.set(header.name.replace(/^\.\//, ''), header.size ?? 0);
    stream.on('end', next);
    stream.resume();
  });
  await pipeline(fs.createReadStream(file), zlib.createGunzip(), extract);
  return names;
}

describe('the embedded PostGIS core bundle', () => {
  it('keeps the core library, its install script and PROJ data, and nothing of raster, topology or tiger', async () => {
    const names = await entries(await corePostgisBundle());
    expect(names.get('lib/postgresql/postgis-3.so')).toBeGreaterThan(1_000_000);
    expect(names.has('share/postgresql/extension/postgis.control')).toBe(true);
    expect([...names.keys()].some((n) => /^share\/postgresql\/extension\/postgis--\d+\.\d+\.\d+\.sql$/.test(n))).toBe(true);
    expect(names.has('share/proj/proj.db')).toBe(true);
    const unwanted = [...names.keys()].filter((n) => /raster|topology|tiger|unpackaged|--ANY--/.test(n));
    expect(unwanted).toEqual([]);
  });
});
