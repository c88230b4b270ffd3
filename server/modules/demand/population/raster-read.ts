/**
 * Reads one population GeoTIFF into its non-empty cells: the grid (size, origin, resolution, CRS
 * from the GeoKeys) and, for every cell holding people, its index and value. Optionally sums
 * blocks of `aggregate` × `aggregate` cells into one (a coarser layer for small machines).
 * A pure function of the file's bytes, so it can run in a worker thread or a CLI.
 */
import fs from 'node:fs';
import { fromArrayBuffer } from 'geotiff';
import {
  crsFromGeoKeys,
  describeGeoKeys,
  UnsupportedCrsError,
  type GeoKeys,
} from './raster-crs.js';

/** A raster that cannot be used; the message says why and what to do. */
export class RasterError extends Error {
  override name = 'RasterError';
}

export interface RasterGrid {
  /** Columns and rows of the stored grid (after aggregation). */
  width: number;
  height: number;
  /** Top-left corner and cell size in the source CRS (after aggregation; `resY` is negative). */
  originX: number;
  originY: number;
  resX: number;
  resY: number;
  /** proj4 definition, or 'WGS84' for geographic coordinates. */
  crs: string;
}

export interface RasterCells {
  grid: RasterGrid;
  /** row × width + column of each non-empty cell, ascending. */
  cells: Int32Array;
  /** People in each of those cells. */
  values: Float32Array;
}

/** Largest grid a file may hold (cells), so a wrong file cannot exhaust memory. */
export const MAX_RASTER_CELLS = 40_000_000;

/** Whether a cell value is people (not the no-data marker, not negative, not zero). */
function isPeople(value: number, noData: number | null): boolean {
  if (!Number.isFinite(value) || value <= 0) return false;
  // GDAL's no-data marker is text in the file; a Float32 raster holds its float32 rounding.
  return noData === null || (value !== noData && value !== Math.fround(noData));
}

export async function readRasterCells(
  bytes: ArrayBuffer,
  options: { aggregate?: number; crs?: string } = {},
): Promise<RasterCells> {
  const aggregate = Math.max(1, Math.trunc(options.aggregate ?? 1));
  let image;
  try {
    image = await (await fromArrayBuffer(bytes)).getImage();
  } catch (error) {
    throw new RasterError(`not a readable GeoTIFF (${(error as Error).message})`);
  }
  const width = image.getWidth();
  const height = image.getHeight();
  if (width * height > MAX_RASTER_CELLS) {
    throw new RasterError(
      `${width}×${height} cells is more than ${MAX_RASTER_CELLS}; clip the raster to the region first`,
    );
  }
  if (image.getSamplesPerPixel() !== 1) {
    throw new RasterError(
      `expected one band of people per cell, found ${image.getSamplesPerPixel()}`,
    );
  }
  const keys = (image.getGeoKeys() ?? {}) as GeoKeys;
  let crs = options.crs;
  if (!crs) {
    try {
      crs = crsFromGeoKeys(keys);
    } catch (error) {
      if (!(error instanceof UnsupportedCrsError)) throw error;
      throw new RasterError(
        `${error.message}; pass the CRS as a proj4 definition (--crs) — GeoKeys found: ${describeGeoKeys(keys) || 'none'}`,
      );
    }
  }
  let origin: number[];
  let resolution: number[];
  try {
    origin = image.getOrigin();
    resolution = image.getResolution();
  } catch {
    throw new RasterError('the file does not say where it lies (no tie point or transformation)');
  }
  const [raster] = (await image.readRasters()) as unknown as ArrayLike<number>[];
  const noData = image.getGDALNoData();
  const outWidth = Math.ceil(width / aggregate);
  const outHeight = Math.ceil(height / aggregate);
  const grid: RasterGrid = {
    width: outWidth,
    height: outHeight,
    originX: origin[0]!,
    originY: origin[1]!,
    resX: resolution[0]! * aggregate,
    resY: resolution[1]! * aggregate,
    crs,
  };
  if (aggregate === 1) {
    let count = 0;
    for (let i = 0; i < raster!.length; i++) if (isPeople(raster![i]!, noData)) count++;
    const cells = new Int32Array(count);
    const values = new Float32Array(count);
    for (let i = 0, k = 0; i < raster!.length; i++) {
      const v = raster![i]!;
      if (isPeople(v, noData)) ((cells[k] = i), (values[k++] = v));
    }
    return { grid, cells, values };
  }
  const sums = new Float64Array(outWidth * outHeight);
  for (let row = 0; row < height; row++) {
    const outRow = Math.floor(row / aggregate) * outWidth;
    for (let col = 0; col < width; col++) {
      const v = raster![row * width + col]!;
      if (isPeople(v, noData)) sums[outRow + Math.floor(col / aggregate)]! += v;
    }
  }
  let count = 0;
  for (const s of sums) if (s > 0) count++;
  const cells = new Int32Array(count);
  const values = new Float32Array(count);
  for (let i = 0, k = 0; i < sums.length; i++) {
    if (sums[i]! > 0) ((cells[k] = i), (values[k++] = sums[i]!));
  }
  return { grid, cells, values };
}

/** Whether two files describe the same cells (an hourly set must share one grid). */
export function sameGrid(a: RasterGrid, b: RasterGrid): boolean {
  const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x));
  return (
    a.width === b.width &&
    a.height === b.height &&
    a.crs === b.crs &&
    close(a.originX, b.originX) &&
    close(a.originY, b.originY) &&
    close(a.resX, b.resX) &&
    close(a.resY, b.resY)
  );
}

/** Reads a file in this thread (CLI); the server passes a reader running in the CPU pool. */
export async function readRasterFile(
  file: string,
  options: { aggregate?: number; crs?: string } = {},
): Promise<RasterCells> {
  const bytes = await fs.promises.readFile(file);
  return readRasterCells(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    options,
  );
}
