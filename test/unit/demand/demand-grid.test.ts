import { describe, expect, it } from 'vitest';
import {
  demandGrid,
  gridStepAtLeast,
  gridStepForZoom,
  snapBbox,
} from '../../../server/modules/demand/population/demand-grid.js';

const grid = (points: Array<[number, number, number]>, bbox: [number, number, number, number], step: number, maxSquares = 1000) =>
  demandGrid({
    lngs: Float64Array.from(points.map((p) => p[0])),
    lats: Float64Array.from(points.map((p) => p[1])),
    weights: Float32Array.from(points.map((p) => p[2])),
    bbox,
    step,
    maxSquares,
  });

describe('demand grid', () => {
  it('steps are powers of two of 360°, never finer than asked', () => {
    expect(gridStepAtLeast(360)).toBe(360);
    expect(gridStepAtLeast(1)).toBe(360 / 256);
    expect(gridStepAtLeast(360 / 1024)).toBe(360 / 1024);
    // Street zoom (16 at 256 px) with 16-px squares would be ~0.0014°; a 100 m raster keeps its cells.
    expect(gridStepForZoom(16, 16, 0.0012)).toBe(360 / 2 ** 18);
    expect(gridStepForZoom(9, 16, 0.0012)).toBe(360 / 2 ** 13);
  });

  it('sums cells into squares of the global grid, people kept, cells outside the box left out', () => {
    const step = 0.5;
    const r = grid(
      [
        [116.1, 39.9, 10],
        [116.4, 39.6, 5], // same square as the first: lng 116.0–116.5, lat 39.5–40.0
        [116.6, 39.9, 7],
        [120, 39.9, 1000], // outside
        [116.2, 39.8, 0], // empty cells are not drawn
      ],
      [116, 39.5, 117, 40],
      step,
    );
    expect(r.step).toBe(0.5);
    expect(r.total).toBe(22);
    expect(Array.from(r.squares)).toEqual([116, 39.5, 15, 2, 116.5, 39.5, 7, 1]);
    expect(r.max).toBe(15);
  });

  it('coarsens past the cap instead of sending more squares (people still all there)', () => {
    const points: Array<[number, number, number]> = [];
    for (let i = 0; i < 100; i++) points.push([116 + i * 0.01 + 0.001, 39.5 + 0.001, 1]);
    const r = grid(points, [116, 39.5, 117, 40], 0.01, 30);
    expect(r.step).toBeGreaterThan(0.01);
    expect(r.squares.length / 4).toBeLessThanOrEqual(30);
    let sum = 0;
    for (let k = 2; k < r.squares.length; k += 4) sum += r.squares[k]!;
    expect(sum).toBe(100);
  });

  it('snaps a bbox outwards to blocks of squares, within the world (antimeridian, poles)', () => {
    expect(snapBbox([116.3, 39.8, 116.5, 40.0], 0.25, 4)).toEqual([116, 39, 117, 40]);
    expect(snapBbox([179.9, 89.9, 180, 90], 1, 16)).toEqual([172, 86, 180, 90]);
    expect(snapBbox([-180, -90, -179.5, -89.5], 1, 16)).toEqual([-180, -90, -164, -74]);
    // Null Island: a box straddling 0,0 keeps both sides.
    expect(snapBbox([-0.1, -0.1, 0.1, 0.1], 0.125, 1)).toEqual([-0.125, -0.125, 0.125, 0.125]);
  });
});
