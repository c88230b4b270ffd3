import { describe, expect, it } from 'vitest';
import { areaLabelStyle, levelLabelZooms } from '../../../client/src/lib/map/area-labels.js';
import type { AreaLevelSummary } from '../../../client/src/lib/map/basemap.js';

const BEIJING: AreaLevelSummary[] = [
  { name: 'subdistrict', depth: 2, count: 343, extent: [115.42, 39.44, 117.51, 41.06] },
  { name: 'city', depth: 0, count: 1, extent: [115.42, 39.44, 117.51, 41.06] },
  { name: 'district', depth: 1, count: 16, extent: [115.42, 39.44, 117.51, 41.06] },
];
const ANDORRA: AreaLevelSummary[] = [{ name: 'parish', depth: 0, count: 7, extent: [1.41, 42.43, 1.79, 42.66] }];

describe('levelLabelZooms', () => {
  it('gives each level a zoom from its extent and count, top first, each until the next', () => {
    const zooms = levelLabelZooms(BEIJING);
    expect(zooms.map((z) => z.level)).toEqual(['city', 'district', 'subdistrict']);
    // The single city from the start; districts from ~8; sub-districts ~2 zooms later.
    expect(zooms[0]).toEqual({ level: 'city', minZoom: 3, maxZoom: zooms[1]!.minZoom });
    expect(zooms[1]!.minZoom).toBeGreaterThanOrEqual(7.5);
    expect(zooms[1]!.minZoom).toBeLessThanOrEqual(8.5);
    expect(zooms[2]!.minZoom - zooms[1]!.minZoom).toBeGreaterThanOrEqual(1.5);
    expect(zooms[2]!.maxZoom).toBeUndefined();
  });

  it('works on any region: Andorra\'s one level of parishes shows from the start', () => {
    expect(levelLabelZooms(ANDORRA)).toEqual([{ level: 'parish', minZoom: 3 }]);
  });

  it('skips empty levels and keeps a deeper level at least one zoom after the one above', () => {
    const zooms = levelLabelZooms([
      { name: 'a', depth: 0, count: 2, extent: [0, 0, 1, 1] },
      { name: 'b', depth: 1, count: 3, extent: [0, 0, 1, 1] },
      { name: 'empty', depth: 2, count: 0, extent: null },
    ]);
    expect(zooms.map((z) => z.level)).toEqual(['a', 'b']);
    expect(zooms[1]!.minZoom).toBeGreaterThanOrEqual(zooms[0]!.minZoom + 1);
  });

  it('styles higher levels larger', () => {
    const [top, below] = levelLabelZooms(BEIJING);
    const a = areaLabelStyle(0, top!) as { size: number };
    const b = areaLabelStyle(1, below!) as { size: number };
    expect(a.size).toBeGreaterThan(b.size);
  });
});
