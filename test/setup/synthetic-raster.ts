/**
 * A small population GeoTIFF in geographic WGS-84 (EPSG:4326), as WorldPop publishes them, written
 * with geotiff's own writer: `values[row][col]` people per cell, row 0 at the north edge.
 */
import { writeArrayBuffer } from 'geotiff';

export function syntheticWgs84Raster(options: {
  /** North-west corner of the grid, degrees. */
  west: number;
  north: number;
  /** Cell size, degrees (WorldPop: 3″ ≈ 0.000833°). */
  cellDeg: number;
  values: number[][];
  noData?: number;
}): ArrayBuffer {
  const height = options.values.length;
  const width = options.values[0]!.length;
  const noData = options.noData ?? -99999;
  const flat = new Float32Array(width * height);
  options.values.forEach((row, r) => row.forEach((v, c) => (flat[r * width + c] = v)));
  return writeArrayBuffer(flat, {
    width,
    height,
    BitsPerSample: [32],
    SampleFormat: [3],
    SamplesPerPixel: 1,
    ModelPixelScale: [options.cellDeg, options.cellDeg, 0],
    ModelTiepoint: [0, 0, 0, options.west, options.north, 0],
    GTModelTypeGeoKey: 2,
    GTRasterTypeGeoKey: 1,
    GeographicTypeGeoKey: 4326,
    GeogAngularUnitsGeoKey: 9102,
    GDAL_NODATA: String(noData),
  } as never);
}
