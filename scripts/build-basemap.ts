/**
 * Builds a self-hosted basemap: an OpenStreetMap extract → a PMTiles archive the service serves
 * with BASEMAP=pmtiles BASEMAP_PMTILES=FILE.
 *
 *   npm run build:basemap -- --input city.osm.pbf --output city.pmtiles [--max-zoom 14] [--min-zoom 0]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { buildBasemapArchive } from './lib/basemap/build-archive.js';

const USAGE = 'Usage: npm run build:basemap -- --input FILE.osm.pbf --output FILE.pmtiles [--min-zoom 0] [--max-zoom 14]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      input: { type: 'string' },
      output: { type: 'string' },
      'min-zoom': { type: 'string' },
      'max-zoom': { type: 'string' },
    },
  });
  if (!values.input || !values.output) throw new Error(USAGE);
  const started = performance.now();
  const tmp = `${values.output}.building`;
  const result = await buildBasemapArchive({
    input: values.input,
    output: tmp,
    minZoom: values['min-zoom'] ? Number(values['min-zoom']) : undefined,
    maxZoom: values['max-zoom'] ? Number(values['max-zoom']) : undefined,
    onProgress: (text) => process.stderr.write(`\r${text.padEnd(60)}`),
  });
  // Replace the archive in one step: a running server never reads a half-written one.
  fs.renameSync(tmp, values.output);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const peakMb = (process.resourceUsage().maxRSS / 1024).toFixed(0);
  process.stderr.write('\n');
  console.log(
    `${values.output}: ${(result.bytes / 1024).toFixed(0)} KB, ${result.addressedTiles} tiles ` +
      `(${result.tileContents} distinct, ${result.leafDirectories} leaf directories), ` +
      `features ${JSON.stringify(result.features)}, bounds ${result.bounds.map((v) => v.toFixed(4)).join(',')}; ` +
      `${seconds} s, peak RSS ${peakMb} MB`,
  );
}

main().catch((error) => {
  console.error((error as Error).message);
  process.exit(1);
});
