/**
 * A demand layer drawn on a map: its cells (or points) summed into squares of a power-of-two
 * degree grid for one viewport. A pure function run in the CPU pool (a pass over ~435 k cells).
 *
 * The grid is global (cell i spans lng −180 + i·step …), so a panned viewport asks for the same
 * squares again and answers can be cached; `step` is 360 / 2^n degrees, chosen from the zoom and
 * never finer than the layer's own cells (a 100 m raster is not drawn as 50 m squares).
 */

export type Bbox = [number, number, number, number];

export interface DemandGridInput {
  lngs: Float64Array;
  lats: Float64Array;
  /** People (or weights) per cell, same order as the positions. */
  weights: Float32Array;
  /** West, south, east, north (WGS-84); already snapped to the grid by the caller. */
  bbox: Bbox;
  /** Square side in degrees (lng and lat alike). */
  step: number;
  /** Most squares to return; past it the step doubles until they fit (said in the answer). */
  maxSquares: number;
}

export interface DemandGridResult {
  /** The step finally used (≥ the asked one when the cap made it coarser). */
  step: number;
  /**
   * Flat [lngWest, latSouth, people, cells, …] per non-empty square, in grid order. `cells` (how
   * many of the layer's cells fell in it) lets a map show density without stripes: a raster not
   * aligned with the grid puts 1 cell in one square and 2 in the next.
   */
  squares: Float64Array;
  /** People inside the bbox (all squares). */
  total: number;
  /** The highest square (people), for the legend. */
  max: number;
}

/** Degrees of a power-of-two grid step: 360 / 2^n, the smallest one ≥ `deg`. */
export function gridStepAtLeast(deg: number): number {
  let step = 360;
  while (step / 2 >= deg && step > 1e-7) step /= 2;
  return step;
}

/**
 * The step for a zoom (zoom of 256-px tiles, as Leaflet counts; MapLibre's is one less): one
 * square per `pixels` screen pixels, no finer than `minDeg` (the layer's own cell).
 */
export function gridStepForZoom(zoom: number, pixels: number, minDeg: number): number {
  const degPerPixel = 360 / (256 * 2 ** zoom);
  return gridStepAtLeast(Math.max(degPerPixel * pixels, minDeg));
}

/** The bbox pushed out to whole blocks of `block` squares, so nearby viewports share a key. */
export function snapBbox(bbox: Bbox, step: number, block = 16): Bbox {
  const unit = step * block;
  const lo = (v: number, base: number) => base + Math.floor((v - base) / unit) * unit;
  const hi = (v: number, base: number) => base + Math.ceil((v - base) / unit) * unit;
  return [
    Math.max(-180, lo(bbox[0], -180)),
    Math.max(-90, lo(bbox[1], -90)),
    Math.min(180, hi(bbox[2], -180)),
    Math.min(90, hi(bbox[3], -90)),
  ];
}

export function demandGrid(input: DemandGridInput): DemandGridResult {
  const { lngs, lats, weights, bbox, maxSquares } = input;
  if (!(input.step > 0)) throw new Error(`step must be positive, got ${input.step}`);
  if (lngs.length !== lats.length || lngs.length !== weights.length) {
    throw new Error('positions and weights must be as long as each other');
  }
  const [w, s, e, n] = bbox;
  // Indices of the cells inside the box, found once; each try at a step only re-bins them.
  const inside: number[] = [];
  let total = 0;
  for (let i = 0; i < lngs.length; i++) {
    const x = lngs[i]!;
    const y = lats[i]!;
    const v = weights[i]!;
    if (v > 0 && x >= w && x < e && y >= s && y < n) {
      inside.push(i);
      total += v;
    }
  }
  for (let step = input.step; ; step *= 2) {
    const sums = new Map<number, number>();
    const counts = new Map<number, number>();
    const cols = Math.ceil(360 / step);
    let overflow = false;
    for (const i of inside) {
      const key = Math.floor((lats[i]! + 90) / step) * cols + Math.floor((lngs[i]! + 180) / step);
      const before = sums.get(key);
      if (before === undefined && sums.size >= maxSquares) {
        overflow = true;
        break;
      }
      sums.set(key, (before ?? 0) + weights[i]!);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    if (overflow) continue;
    const keys = [...sums.keys()].sort((a, b) => a - b);
    const squares = new Float64Array(keys.length * 4);
    let max = 0;
    keys.forEach((key, k) => {
      const row = Math.floor(key / cols);
      const col = key - row * cols;
      const people = sums.get(key)!;
      squares[k * 4] = -180 + col * step;
      squares[k * 4 + 1] = -90 + row * step;
      squares[k * 4 + 2] = people;
      squares[k * 4 + 3] = counts.get(key)!;
      if (people > max) max = people;
    });
    return { step, squares, total, max };
  }
}
