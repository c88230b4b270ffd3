/**
 * npm run import:boundaries -- FILE|URL [FILE|URL …]
 * Loads district or sub-district boundaries (GeoJSON, WGS-84; level detected from `district_code`)
 * into the configured database, replacing that level in one transaction. A bad file changes nothing.
 */
import { replaceBoundaries } from '../server/modules/boundaries/boundaries.repository.js';
import { parseBoundaryCollection } from '../server/modules/boundaries/boundary-files.js';
import { openConfiguredDatabase, readSource } from './lib/cli-database.js';

async function main() {
  const sources = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (sources.length === 0) {
    console.error('usage: npm run import:boundaries -- FILE|URL [FILE|URL …]');
    process.exit(2);
  }
  // Parse and check everything before opening the database, so a bad file never half-loads.
  const parsed = [];
  for (const source of sources) {
    let json: unknown;
    try {
      json = JSON.parse(await readSource(source));
    } catch (error) {
      throw new Error(`${source}: not readable JSON (${(error as Error).message})`);
    }
    parsed.push({ source, ...parseBoundaryCollection(json) });
  }
  const handle = await openConfiguredDatabase();
  try {
    // Districts before sub-districts so station areas are derived against the new districts.
    parsed.sort((a, b) => (a.level === b.level ? 0 : a.level === 'districts' ? -1 : 1));
    for (const file of parsed) {
      await replaceBoundaries(handle.db, file.level, file.records, file.source);
      console.log(`${file.level}: ${file.records.length} loaded from ${file.source}`);
    }
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  console.error(`import:boundaries failed: ${error.message}`);
  process.exit(1);
});
