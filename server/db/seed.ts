import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import {
  generateSampleStations,
  type DistrictCollection,
  type SubdistrictCollection,
} from '../../scripts/lib/sample-stations.js';
import { countBoundaries, replaceBoundaries } from '../modules/boundaries/boundaries.repository.js';
import {
  findBoundarySources,
  parseBoundaryCollection,
  readJsonFile,
} from '../modules/boundaries/boundary-files.js';
import { seedHolidayCalendar } from '../modules/holidays/holiday-calendar.store.js';
import { countStations, insertStations } from '../modules/stations/stations.repository.js';
import type { AppDatabase } from './client.js';

export interface SeedOptions {
  sharedDataDir: string;
  sampleStationCount: number;
  seed?: number;
}

/**
 * Fills an empty database: Beijing boundaries (the fine shared files when present, else the
 * committed coarse districts), then generated sample stations. Does nothing to data already there,
 * so it is safe on every start and on several instances.
 */
export async function seedIfEmpty(db: AppDatabase, options: SeedOptions, log: Logger) {
  const counts = await countBoundaries(db);
  const sources = findBoundarySources(options.sharedDataDir);
  const districtsJson = readJsonFile(sources.districts.file) as DistrictCollection;
  const subdistrictsJson = sources.subdistricts
    ? (readJsonFile(sources.subdistricts.file) as SubdistrictCollection)
    : null;
  if (counts.districts === 0) {
    const parsed = parseBoundaryCollection(districtsJson);
    await replaceBoundaries(db, 'districts', parsed.records, sources.districts.source);
    log.info({ file: sources.districts.file, count: parsed.records.length }, 'loaded districts');
  }
  if (counts.subdistricts === 0 && subdistrictsJson && sources.subdistricts) {
    const parsed = parseBoundaryCollection(subdistrictsJson);
    await replaceBoundaries(db, 'subdistricts', parsed.records, sources.subdistricts.source);
    log.info({ count: parsed.records.length }, 'loaded sub-districts');
  }
  if (await seedHolidayCalendar(db)) log.info('loaded the holiday calendar (chinese-days package)');
  if (options.sampleStationCount > 0 && (await countStations(db)) === 0) {
    const samples = generateSampleStations({
      districts: districtsJson,
      subdistricts: subdistrictsJson,
      count: options.sampleStationCount,
      seed: options.seed ?? 42,
    });
    await insertStations(db, samples);
    log.info({ count: samples.length }, 'inserted sample stations (is_sample, named （示例）)');
  }
  // PGlite has no autovacuum: without statistics the planner misjudges amenity filters and scans.
  await db.execute(sql`analyze stations`);
  await db.execute(sql`analyze districts`);
  await db.execute(sql`analyze subdistricts`);
}
