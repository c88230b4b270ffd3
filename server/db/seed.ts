import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import {
  generateSampleStations,
  type DistrictCollection,
  type SubdistrictCollection,
} from '../../scripts/lib/sample-stations.js';
import { addUnionArea, type LevelDefinition } from '../modules/areas/areas.repository.js';
import { countBoundaries, replaceBoundaries } from '../modules/boundaries/boundaries.repository.js';
import {
  findBoundarySources,
  parseBoundaryCollection,
  readJsonFile,
} from '../modules/boundaries/boundary-files.js';
import { seedHolidayCalendar } from '../modules/holidays/holiday-calendar.store.js';
import { countStations, insertStations } from '../modules/stations/stations.repository.js';
import { queryRows, type AppDatabase } from './client.js';

/** Beijing's levels: the city above its 16 districts and 343 sub-districts (data, not code paths). */
const BEIJING_LEVELS: Record<'city' | 'district' | 'subdistrict', LevelDefinition> = {
  city: { name: 'city', depth: 0, label: '市', label_en: 'City' },
  district: { name: 'district', depth: 1, label: '区', label_en: 'District' },
  subdistrict: { name: 'subdistrict', depth: 2, label: '街道/乡/镇', label_en: 'Sub-district' },
};
const BEIJING = { code: '110000', name: '北京市', name_en: 'Beijing', pinyin: 'beijing' };

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
  const sources = findBoundarySources(options.sharedDataDir);
  const districtsJson = readJsonFile(sources.districts.file) as DistrictCollection;
  const subdistrictsJson = sources.subdistricts
    ? (readJsonFile(sources.subdistricts.file) as SubdistrictCollection)
    : null;
  // Only into a database without areas: a deployment that imported another city keeps it.
  if ((await countAreas(db)) === 0) {
    const parsed = parseBoundaryCollection(districtsJson);
    await replaceBoundaries(db, BEIJING_LEVELS.district, parsed.records, sources.districts.source);
    log.info({ file: sources.districts.file, count: parsed.records.length }, 'loaded districts');
    await addUnionArea(db, BEIJING_LEVELS.city, BEIJING, 'district', sources.districts.source);
    if (subdistrictsJson && sources.subdistricts) {
      const sub = parseBoundaryCollection(subdistrictsJson);
      await replaceBoundaries(db, BEIJING_LEVELS.subdistrict, sub.records, sources.subdistricts.source);
      log.info({ count: sub.records.length }, 'loaded sub-districts');
    }
  }
  if (await seedHolidayCalendar(db)) log.info('loaded the holiday calendar (chinese-days package)');
  // The samples are Beijing's: only where Beijing is the loaded city.
  const beijing = (await countBoundaries(db)).cities > 0 && (await hasArea(db, BEIJING.code));
  if (options.sampleStationCount > 0 && beijing && (await countStations(db)) === 0) {
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
  await db.execute(sql`analyze areas`);
}

async function countAreas(db: AppDatabase): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from areas`);
  return row!.n;
}

async function hasArea(db: AppDatabase, code: string): Promise<boolean> {
  return (await queryRows(db, sql`select 1 from areas where code = ${code}`)).length > 0;
}
