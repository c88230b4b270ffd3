/**
 * One population layer from one raster or a set of hourly rasters: the union of their non-empty
 * cells, each cell's centre in WGS-84 and its people per slot (day type × hour). A set must share
 * one grid, so "cell k at 10:00" and "cell k at 18:00" are the same place.
 */
import proj4 from 'proj4';
import type { PopulationSlot } from '../../../db/schema/demand.js';
import { RasterError, sameGrid, type RasterCells, type RasterGrid } from './raster-read.js';

export type DayType = NonNullable<PopulationSlot['day_type']>;
export const DAY_TYPES: readonly DayType[] = ['workday', 'weekend', 'holiday'];

export interface SlotRaster {
  file: string;
  day_type: DayType | null;
  hour: number | null;
  raster: RasterCells;
}

export interface PopulationSet {
  slots: PopulationSlot[];
  /** Cell ids (row × width + column), ascending. */
  cells: Int32Array;
  lngs: Float64Array;
  lats: Float64Array;
  /** People: `weights[i * slots.length + s]` is cell i in slot s. */
  weights: Float32Array;
  /** Side of a cell on the ground, metres (approximate for geographic grids). */
  cellM: number;
  crs: string;
}

/**
 * The slot a file name states: `…YYYY-MM-DD_hHH…` (the DynPop naming) gives the date's day type
 * and the hour; `…_hHH…` alone gives the hour. Null when the name says nothing.
 */
export function slotFromFileName(
  name: string,
  dayTypeOf: (date: string) => DayType,
): { day_type: DayType | null; hour: number | null } | null {
  const dated = /(\d{4}-\d{2}-\d{2})[_T-]h?(\d{1,2})(?!\d)/i.exec(name);
  if (dated && Number(dated[2]) < 24)
    return { day_type: dayTypeOf(dated[1]!), hour: Number(dated[2]) };
  const hourOnly = /(?:^|[_-])h(\d{1,2})(?!\d)/i.exec(name);
  if (hourOnly && Number(hourOnly[1]) < 24) return { day_type: null, hour: Number(hourOnly[1]) };
  return null;
}

/** Centre of cell `id` in the source CRS. */
function cellCentre(grid: RasterGrid, id: number): [number, number] {
  const row = Math.floor(id / grid.width);
  const col = id - row * grid.width;
  return [grid.originX + (col + 0.5) * grid.resX, grid.originY + (row + 0.5) * grid.resY];
}

export function buildPopulationSet(rasters: SlotRaster[]): PopulationSet {
  if (rasters.length === 0) throw new RasterError('no raster given');
  const grid = rasters[0]!.raster.grid;
  const seen = new Set<string>();
  for (const r of rasters) {
    if (!sameGrid(grid, r.raster.grid)) {
      throw new RasterError(
        `${r.file} does not share the grid of ${rasters[0]!.file} (size, origin, cell or CRS)`,
      );
    }
    const key = `${r.day_type}/${r.hour}`;
    if (seen.has(key))
      throw new RasterError(
        `two files for ${r.day_type ?? 'any day'} hour ${r.hour ?? 'any'} (${r.file})`,
      );
    seen.add(key);
  }
  // Slots in a stable order: day type, then hour.
  const order = (r: SlotRaster) =>
    (r.day_type ? DAY_TYPES.indexOf(r.day_type) : -1) * 100 + (r.hour ?? -1);
  const sorted = [...rasters].sort((a, b) => order(a) - order(b));
  const present = new Uint8Array(grid.width * grid.height);
  for (const r of sorted) for (const id of r.raster.cells) present[id] = 1;
  let n = 0;
  for (const p of present) n += p;
  const cells = new Int32Array(n);
  const position = new Int32Array(present.length).fill(-1);
  for (let id = 0, k = 0; id < present.length; id++) {
    if (present[id]) ((cells[k] = id), (position[id] = k++));
  }
  const S = sorted.length;
  const weights = new Float32Array(n * S);
  const slots: PopulationSlot[] = sorted.map((r, s) => {
    let total = 0;
    const { cells: ids, values } = r.raster;
    for (let i = 0; i < ids.length; i++) {
      weights[position[ids[i]!]! * S + s] = values[i]!;
      total += values[i]!;
    }
    return { day_type: r.day_type, hour: r.hour, total, file: r.file };
  });
  const lngs = new Float64Array(n);
  const lats = new Float64Array(n);
  const toWgs84 = grid.crs === 'WGS84' ? null : proj4(grid.crs, 'WGS84');
  for (let i = 0; i < n; i++) {
    const xy = cellCentre(grid, cells[i]!);
    const [lng, lat] = toWgs84 ? toWgs84.forward(xy) : xy;
    if (
      !Number.isFinite(lng) ||
      !Number.isFinite(lat) ||
      Math.abs(lat!) > 90 ||
      Math.abs(lng!) > 180
    ) {
      throw new RasterError(`cell ${cells[i]} does not map to a place on Earth; is the CRS right?`);
    }
    lngs[i] = lng!;
    lats[i] = lat!;
  }
  const midLat = n ? lats[Math.floor(n / 2)]! : 0;
  const cellM =
    grid.crs === 'WGS84'
      ? Math.abs(grid.resX) * 111_320 * Math.cos((midLat * Math.PI) / 180)
      : Math.abs(grid.resX);
  return { slots, cells, lngs, lats, weights, cellM, crs: grid.crs };
}
