/**
 * A population GeoTIFF uploaded through the API, read in the CPU pool (never on the event loop):
 * its header first (size, bands, CRS — refused at once with a reason), then the whole layer (cells,
 * reprojection) in the background while the client polls the layer. Pure functions of a file on
 * disk, so they run in a worker thread.
 */
import fs from 'node:fs';
import { fromFile } from 'geotiff';
import type { DayType, PopulationSet } from './population-set.js';
import { buildPopulationSet } from './population-set.js';
import { crsFromGeoKeys, describeGeoKeys, UnsupportedCrsError, type GeoKeys } from './raster-crs.js';
import { RasterError, readRasterCells } from './raster-read.js';

/** Largest upload, bytes (checked while the body streams to disk). */
export const MAX_RASTER_UPLOAD_BYTES = 100 * 1024 * 1024;
/** Most pixels a file may have (1700 × 1900 Beijing at 100 m is 3.2 M): 100 MB as float32. */
export const MAX_RASTER_UPLOAD_PIXELS = 25_000_000;

export type RasterProblem =
  | { kind: 'not_tiff'; detail: string }
  | { kind: 'too_many_pixels'; width: number; height: number }
  | { kind: 'bands'; bands: number }
  | { kind: 'crs'; detail: string }
  | { kind: 'no_location' }
  | { kind: 'unreadable'; detail: string };

export interface RasterHeader {
  width: number;
  height: number;
  crs: string;
}

/** The file's header only (a few KB read): refuses what cannot be a population layer. */
export async function readRasterHeader(input: {
  file: string;
  crs?: string;
}): Promise<{ header: RasterHeader } | { problem: RasterProblem }> {
  let image;
  try {
    image = await (await fromFile(input.file)).getImage();
  } catch (error) {
    return { problem: { kind: 'not_tiff', detail: (error as Error).message.slice(0, 200) } };
  }
  const width = image.getWidth();
  const height = image.getHeight();
  if (width * height > MAX_RASTER_UPLOAD_PIXELS) return { problem: { kind: 'too_many_pixels', width, height } };
  if (image.getSamplesPerPixel() !== 1) return { problem: { kind: 'bands', bands: image.getSamplesPerPixel() } };
  try {
    image.getOrigin();
    image.getResolution();
  } catch {
    return { problem: { kind: 'no_location' } };
  }
  let crs = input.crs;
  if (!crs) {
    const keys = (image.getGeoKeys() ?? {}) as GeoKeys;
    try {
      crs = crsFromGeoKeys(keys);
    } catch (error) {
      if (!(error instanceof UnsupportedCrsError)) throw error;
      return { problem: { kind: 'crs', detail: `${error.message}; GeoKeys: ${describeGeoKeys(keys) || 'none'}` } };
    }
  }
  return { header: { width, height, crs } };
}

/** The whole layer from one file: its non-empty cells in WGS-84 with one slot. */
export async function readRasterUpload(input: {
  file: string;
  name: string;
  aggregate: number;
  crs?: string;
  day_type: DayType | null;
  hour: number | null;
}): Promise<{ set: PopulationSet } | { problem: RasterProblem }> {
  try {
    const bytes = await fs.promises.readFile(input.file);
    const cells = await readRasterCells(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      { aggregate: input.aggregate, crs: input.crs },
    );
    const set = buildPopulationSet([{ file: input.name, day_type: input.day_type, hour: input.hour, raster: cells }]);
    if (set.cells.length === 0) {
      return { problem: { kind: 'unreadable', detail: 'the raster holds no people (every cell empty or no-data)' } };
    }
    return { set };
  } catch (error) {
    if (error instanceof RasterError) return { problem: { kind: 'unreadable', detail: error.message } };
    throw error;
  }
}
