/**
 * First start with the Beijing hourly population rasters present (SHARED_DATA_DIR/population/
 * beijing-hourly): load them as one population layer, so a newcomer's planner page shows people,
 * not km². In the background after the server listens — 36 files at 100 m take minutes (measured:
 * ~1.5 min on PostgreSQL, ~4–5 min on PGlite on a busy 2-core machine) — parsed in a worker
 * thread and written in short statements, the layer marked loading (coverage answers 503 for it)
 * until its last cell is in. Only one instance loads it; a load cut short is cleared and redone
 * at a later start.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import {
  DYNPOP_CITATION,
  listRasterFiles,
  slotsOf,
  threadedRasterReader,
} from '../modules/demand/population/population-import.js';
import { buildPopulationSet } from '../modules/demand/population/population-set.js';
import {
  findPopulationLayersNamed,
  insertCells,
  insertLayerRow,
  markLoaded,
} from '../modules/demand/population/population.repository.js';
import { deleteDemandLayer } from '../modules/demand/demand.repository.js';
import { queryRows, type AppDatabase } from './client.js';

export const BEIJING_POPULATION_LAYER = '北京人口（逐时，DynPop 2015）';

/** Rows per statement: short enough that other queries on PGlite's one connection wait < 0.5 s. */
const BACKGROUND_BATCH_ROWS = 1000;
/** A load older than this without finishing was cut short (the process stopped). */
const STALE_LOAD_S = 3600;

export interface PopulationSeedOptions {
  sharedDataDir: string;
  /** Sum n × n source cells into one (1 = the files' 100 m). */
  aggregate: number;
}

export async function seedBeijingPopulation(
  db: AppDatabase,
  options: PopulationSeedOptions,
  log: Logger,
): Promise<number | null> {
  const folder = path.join(options.sharedDataDir, 'population', 'beijing-hourly');
  if (!fs.existsSync(folder)) return null;
  // Beijing's rasters only where Beijing is the loaded region.
  const [beijing] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from areas where code = '110000'`,
  );
  if (!beijing?.n) return null;
  for (const existing of await findPopulationLayersNamed(db, BEIJING_POPULATION_LAYER)) {
    if (!existing.loading) return null;
    if (existing.age_s < STALE_LOAD_S) return null; // another instance is loading it
    await deleteDemandLayer(db, existing.id);
    log.warn({ layer: existing.id }, 'removed a population load that was cut short; loading again');
  }
  const files = listRasterFiles([folder]);
  if (files.length === 0) return null;
  const started = Date.now();
  const reader = threadedRasterReader();
  let rasters;
  try {
    // Parse every file first (worker thread), then write: a bad file writes nothing.
    rasters = await slotsOf(
      files,
      { name: BEIJING_POPULATION_LAYER, aggregate: options.aggregate },
      reader.read,
    );
  } finally {
    await reader.close();
  }
  const set = buildPopulationSet(rasters);
  const layer = {
    name: BEIJING_POPULATION_LAYER,
    description:
      'Modelled population of Beijing at 100 m, hourly 06:00–23:00, a workday (2015-07-13) and a Sunday (2015-07-12).',
    source: folder,
    citation: DYNPOP_CITATION,
  };
  // One placeholder per database, even with several instances starting at once.
  const id = await db.transaction(async (tx) => {
    const t = tx as unknown as AppDatabase;
    await t.execute(sql`select pg_advisory_xact_lock(hashtext('warm-posts population seed'))`);
    if ((await findPopulationLayersNamed(t, BEIJING_POPULATION_LAYER)).length > 0) return null;
    return insertLayerRow(t, layer, set, false);
  });
  if (id === null) return null;
  try {
    for (let start = 0; start < set.cells.length; start += BACKGROUND_BATCH_ROWS) {
      await insertCells(
        db,
        id,
        set,
        start,
        Math.min(set.cells.length, start + BACKGROUND_BATCH_ROWS),
      );
    }
    await markLoaded(db, id);
    await db.execute(sql`analyze demand_cells`);
  } catch (error) {
    await deleteDemandLayer(db, id).catch(() => {});
    throw error;
  }
  log.info(
    { layer: id, files: files.length, cells: set.cells.length, ms: Date.now() - started },
    'loaded the Beijing hourly population rasters (Cheng et al. 2022, CASGIS/DynPop)',
  );
  return id;
}
