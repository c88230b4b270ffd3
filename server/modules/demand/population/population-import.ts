/**
 * Imports population rasters as one demand layer: a single file (a static layer, e.g. WorldPop)
 * or a set of hourly files for day types (e.g. the Beijing DynPop rasters). Each file is parsed
 * by `read` (in a worker thread when the server does it), the set is built in memory and written
 * in one transaction.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AppDatabase } from '../../../db/client.js';
import { siblingModule, startWorker } from '../../../threads/start-worker.js';
import { describeDay } from '../../coverage/open-stations.js';
import { findDemandLayer, type DemandLayerRecord } from '../demand.repository.js';
import {
  buildPopulationSet,
  slotFromFileName,
  type DayType,
  type SlotRaster,
} from './population-set.js';
import { demandCellsBytes, insertPopulationLayer } from './population.repository.js';
import { RasterError, readRasterFile, type RasterCells } from './raster-read.js';

export { readRasterFile };

/** The paper the Beijing hourly rasters come with; shown wherever their figures are. */
export const DYNPOP_CITATION =
  'Cheng, Z., Wang, J., Zhu, Y., Ge, Y. & Zhou, C. (2022). Evaluating spatial statistical and machine learning models in urban dynamic population mapping. Data: CASGIS/DynPop.';

export interface PopulationImportOptions {
  name: string;
  description?: string | null;
  source?: string | null;
  citation?: string | null;
  /** Sum blocks of n × n cells into one (1 = as the file is). */
  aggregate?: number;
  /** proj4 definition overriding the file's GeoKeys. */
  crs?: string;
  /** Day type of every file, when the names do not say (a single-day set). */
  dayType?: DayType;
}

export type RasterReader = (
  file: string,
  options: { aggregate?: number; crs?: string },
) => Promise<RasterCells>;

/** A date's day type by the deployment's calendar (调休 make-up days count as workdays). */
export function dayTypeOfDate(date: string): DayType {
  const kind = describeDay(date).day_kind;
  return kind === 'holiday' ? 'holiday' : kind === 'weekend' ? 'weekend' : 'workday';
}

/** The .tif / .tiff files of a folder, or the files given. */
export function listRasterFiles(inputs: string[]): string[] {
  return inputs.flatMap((input) =>
    fs.statSync(input).isDirectory()
      ? fs
          .readdirSync(input)
          .filter((f) => /\.tiff?$/i.test(f))
          .sort()
          .map((f) => path.join(input, f))
      : [input],
  );
}

export interface PopulationImportResult {
  layer: DemandLayerRecord;
  files: number;
  cells: number;
  readMs: number;
  writeMs: number;
  /** demand_cells on disk after the import (all layers). */
  tableBytes: number;
}

/** Each file parsed, with the slot its name (or the options) gives it. */
export async function slotsOf(
  files: string[],
  options: PopulationImportOptions,
  read: RasterReader = readRasterFile,
): Promise<SlotRaster[]> {
  if (files.length === 0) throw new RasterError('no raster files given');
  const rasters: SlotRaster[] = [];
  for (const file of files) {
    const name = path.basename(file);
    const stated = slotFromFileName(name, dayTypeOfDate);
    if (files.length > 1 && stated?.hour == null) {
      throw new RasterError(
        `${name}: a set of files needs the hour in each name (…_hHH.tif, or YYYY-MM-DD_hHH.tif for the day type)`,
      );
    }
    let raster: RasterCells;
    try {
      raster = await read(file, { aggregate: options.aggregate, crs: options.crs });
    } catch (error) {
      if (error instanceof RasterError) throw new RasterError(`${name}: ${error.message}`);
      throw error;
    }
    rasters.push({
      file: name,
      day_type: options.dayType ?? (files.length > 1 ? (stated?.day_type ?? null) : null),
      hour: files.length > 1 ? stated!.hour : null,
      raster,
    });
  }
  return rasters;
}

export async function importPopulationFiles(
  db: AppDatabase,
  files: string[],
  options: PopulationImportOptions,
  read: RasterReader = readRasterFile,
): Promise<PopulationImportResult> {
  const started = performance.now();
  const rasters = await slotsOf(files, options, read);
  const set = buildPopulationSet(rasters);
  if (set.cells.length === 0)
    throw new RasterError('the rasters hold no people (every cell empty or no-data)');
  const readMs = performance.now() - started;
  const id = await insertPopulationLayer(
    db,
    {
      name: options.name,
      description: options.description ?? null,
      source: options.source ?? null,
      citation: options.citation ?? null,
    },
    set,
  );
  const writeMs = performance.now() - started - readMs;
  return {
    layer: (await findDemandLayer(db, id))!,
    files: files.length,
    cells: set.cells.length,
    readMs: Math.round(readMs),
    writeMs: Math.round(writeMs),
    tableBytes: await demandCellsBytes(db),
  };
}

/**
 * A reader that parses in a worker thread (the server's event loop stays free); `close()` ends
 * the thread when the import is done.
 */
export function threadedRasterReader(): { read: RasterReader; close: () => Promise<void> } {
  // workerData must be set: geotiff's 'web-worker' dependency reads it in any non-main thread
  // and, when it is missing, fails to load.
  const worker = startWorker(siblingModule(import.meta.url, 'raster-worker'), { workerData: {} });
  let queue: Promise<unknown> = Promise.resolve();
  const read: RasterReader = (file, options) => {
    const next = queue.then(
      () =>
        new Promise<RasterCells>((resolve, reject) => {
          // One read at a time, each with its own pair of listeners, both removed when it ends:
          // an 'error' listener left behind per file would pile up over an import's 36 files.
          const onMessage = (reply: { cells?: RasterCells; error?: string; raster?: boolean }) => {
            worker.off('error', onError);
            if (reply.cells) resolve(reply.cells);
            else reject(reply.raster ? new RasterError(reply.error!) : new Error(reply.error));
          };
          const onError = (error: Error) => {
            worker.off('message', onMessage);
            reject(error);
          };
          worker.once('message', onMessage);
          worker.once('error', onError);
          worker.postMessage({ file, ...options });
        }),
    );
    queue = next.catch(() => {});
    return next;
  };
  return { read, close: async () => void (await worker.terminate()) };
}
