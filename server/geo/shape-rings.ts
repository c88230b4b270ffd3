/**
 * A GeoJSON Polygon / MultiPolygon as flat rings ([lng0, lat0, lng1, lat1, …] each), the form the
 * in-memory point-in-area tests take (network coverage, population cells); other shapes → none.
 */
export function shapeRings(shape: { type: string; coordinates: unknown }): Float64Array[] {
  const polygons =
    shape.type === 'Polygon'
      ? [shape.coordinates as number[][][]]
      : shape.type === 'MultiPolygon'
        ? (shape.coordinates as number[][][][])
        : [];
  return polygons.flatMap((rings) => rings.map((ring) => Float64Array.from(ring.flat())));
}
