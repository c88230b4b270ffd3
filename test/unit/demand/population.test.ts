import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { assignCellsToAreas } from '../../../server/modules/demand/population/cell-areas.js';
import {
  buildPopulationSet,
  slotFromFileName,
} from '../../../server/modules/demand/population/population-set.js';
import {
  crsFromGeoKeys,
  UnsupportedCrsError,
} from '../../../server/modules/demand/population/raster-crs.js';
import { RasterError } from '../../../server/modules/demand/population/raster-read.js';

const square = (x0: number, y0: number, x1: number, y1: number) =>
  Float64Array.from([x0, y0, x1, y0, x1, y1, x0, y1, x0, y0]);

describe('cells to areas', () => {
  it('respects holes and multipolygons, and gives a shared border to the smaller code', () => {
    const areas = [
      // Area 0: a square with a hole in its middle.
      { rings: [square(0, 0, 10, 10), square(4, 4, 6, 6)] },
      // Area 1: two squares, one of them in area 0's hole, one touching area 0 at x = 10.
      { rings: [square(4.5, 4.5, 5.5, 5.5), square(10, 0, 20, 10)] },
    ];
    const points = [
      [1, 1],
      [5, 5],
      [4.2, 4.2],
      [15, 5],
      [30, 30],
      [-0.0001, 5],
    ];
    const areaOf = assignCellsToAreas({
      lngs: Float64Array.from(points.map((p) => p[0]!)),
      lats: Float64Array.from(points.map((p) => p[1]!)),
      areas,
    });
    expect(Array.from(areaOf)).toEqual([0, 1, -1, 1, -1, -1]);
  });
});

describe('CRS from GeoKeys', () => {
  it('reads the Beijing DynPop keys as Albers on Krasovsky and lands in Beijing', () => {
    const def = crsFromGeoKeys({
      GTModelTypeGeoKey: 1,
      ProjectedCSTypeGeoKey: 32767,
      ProjCoordTransGeoKey: 11,
      ProjLinearUnitsGeoKey: 9001,
      ProjStdParallel1GeoKey: 25,
      ProjStdParallel2GeoKey: 47,
      ProjNatOriginLongGeoKey: 105,
      ProjNatOriginLatGeoKey: 0,
      GeogEllipsoidGeoKey: 32767,
      GeogSemiMajorAxisGeoKey: 6378245,
      GeogInvFlatteningGeoKey: 298.3,
    });
    // The raster's top-left corner.
    const [lng, lat] = proj4(def, 'WGS84').forward([870000, 4480000]);
    expect(lng).toBeGreaterThan(115);
    expect(lng).toBeLessThan(116);
    expect(lat).toBeGreaterThan(40.9);
    expect(lat).toBeLessThan(41.2);
  });

  it('knows WGS-84, UTM and Web Mercator, and names what it cannot read', () => {
    expect(crsFromGeoKeys({ GTModelTypeGeoKey: 2, GeographicTypeGeoKey: 4326 })).toBe('WGS84');
    expect(crsFromGeoKeys({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32650 })).toContain(
      '+zone=50',
    );
    expect(crsFromGeoKeys({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 3857 })).toContain(
      '+proj=merc',
    );
    expect(() => crsFromGeoKeys({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 2154 })).toThrow(
      UnsupportedCrsError,
    );
    expect(() => crsFromGeoKeys({})).toThrow(/states no CRS/);
  });
});

describe('hourly sets', () => {
  const raster = (cells: number[], values: number[], width = 4) => ({
    grid: { width, height: 4, originX: 116, originY: 40, resX: 0.001, resY: -0.001, crs: 'WGS84' },
    cells: Int32Array.from(cells),
    values: Float32Array.from(values),
  });

  it('read the slot from DynPop-style names', () => {
    const dayType = (d: string) =>
      (d === '2015-07-12' ? 'weekend' : 'workday') as 'weekend' | 'workday';
    expect(slotFromFileName('2015-07-13_h06.tif', dayType)).toEqual({
      day_type: 'workday',
      hour: 6,
    });
    expect(slotFromFileName('2015-07-12_h23.tif', dayType)).toEqual({
      day_type: 'weekend',
      hour: 23,
    });
    expect(slotFromFileName('pop_h18.tif', dayType)).toEqual({ day_type: null, hour: 18 });
    expect(slotFromFileName('chn_ppp_2020.tif', dayType)).toBeNull();
  });

  it('take the union of cells, a weight per slot, and refuse a different grid', () => {
    const set = buildPopulationSet([
      { file: 'b.tif', day_type: 'workday', hour: 18, raster: raster([1, 5], [3, 4]) },
      { file: 'a.tif', day_type: 'workday', hour: 10, raster: raster([0, 5], [1, 2]) },
    ]);
    expect(set.slots.map((s) => s.hour)).toEqual([10, 18]);
    expect(Array.from(set.cells)).toEqual([0, 1, 5]);
    expect(Array.from(set.weights)).toEqual([1, 0, 0, 3, 2, 4]);
    expect(set.lngs[0]).toBeCloseTo(116.0005, 9);
    expect(() =>
      buildPopulationSet([
        { file: 'a.tif', day_type: null, hour: 10, raster: raster([0], [1]) },
        { file: 'b.tif', day_type: null, hour: 11, raster: raster([0], [1], 5) },
      ]),
    ).toThrow(RasterError);
  });
});
