/**
 * Imports the routable roads of an OpenStreetMap .osm.pbf extract into the database, replacing the
 * current road network in one transaction (a bad file leaves the current network in place).
 *
 *   npm run import:osm -- FILE [--bbox minLng,minLat,maxLng,maxLat] [--name NAME]
 *
 * Uses DATABASE_URL when set, else the embedded PGlite in PGLITE_DATA_DIR (stop the server first:
 * PGlite allows one process per data directory).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.js';
import { migrateDatabase, openDatabase } from '../server/db/client.js';
import {
  importOsmRoadNetwork,
  type ImportProgress,
} from '../server/modules/routes/road-import.service.js';
import type { BBox } from '../server/routing/osm-reader.js';
import { closeCpuPool } from '../server/work/cpu-pool.js';

const USAGE =
  'Usage: npm run import:osm -- FILE [--bbox minLng,minLat,maxLng,maxLat] [--name NAME]';

function parseBBox(text: string): BBox {
  const parts = text.split(',').map(Number);
  const [minLng, minLat, maxLng, maxLat] = parts;
  const valid =
    parts.length === 4 &&
    parts.every(Number.isFinite) &&
    minLng >= -180 &&
    maxLng <= 180 &&
    minLat >= -90 &&
    maxLat <= 90 &&
    minLng < maxLng &&
    minLat < maxLat;
  if (!valid) {
    throw new Error(`--bbox must be minLng,minLat,maxLng,maxLat in degrees, got "${text}"`);
  }
  return [minLng, minLat, maxLng, maxLat];
}

function describe(progress: ImportProgress): string {
  switch (progress.stage) {
    case 'read':
      return progress.pass === 1
        ? `reading ways: ${progress.ways} ways, ${progress.nodes} nodes scanned`
        : `reading node positions: ${progress.nodes} nodes scanned`;
    case 'build':
      return `built ${progress.edges} edges between ${progress.nodes} nodes`;
    case 'hierarchy':
      return progress.error
        ? `contraction hierarchies not built (${progress.error}); instances will build them`
        : `contraction hierarchies built (${progress.profiles.join(', ')}) in ${progress.ms} ms`;
    case 'swap':
      return progress.done === 0 ? 'swapping in the new network…' : 'new network in place';
    default:
      return `writing ${progress.stage}: ${progress.done}/${progress.total}`;
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { bbox: { type: 'string' }, name: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new Error(USAGE);
  const [file] = positionals;
  const bbox = values.bbox === undefined ? undefined : parseBBox(values.bbox);

  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    pgliteDataDir: config.PGLITE_DATA_DIR,
  });
  const started = performance.now();
  let lastLine = '';
  let lastPrinted = 0;
  try {
    await migrateDatabase(database);
    const result = await importOsmRoadNetwork(database.db, file, {
      bbox,
      name: values.name,
      onProgress: (progress) => {
        // Parsing reports every block; print at most a few lines a second.
        const line = describe(progress);
        const now = performance.now();
        if (line === lastLine || (progress.stage === 'read' && now - lastPrinted < 250)) return;
        lastLine = line;
        lastPrinted = now;
        console.log(line);
      },
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `Imported ${file}: ${result.edgeCount} edges, ${result.nodeCount} nodes (network ${result.networkId}) in ${seconds} s`,
    );
  } finally {
    await closeCpuPool();
    await database.close();
  }
}

main().catch((error: Error) => {
  console.error(`import-osm failed: ${error.message}`);
  process.exitCode = 1;
});
