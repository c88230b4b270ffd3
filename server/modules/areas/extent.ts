/** [minLng, minLat, maxLng, maxLat], WGS-84 degrees (the GeoJSON bbox order). */
export type Extent = [number, number, number, number];

// A degree of latitude is at least 110,574 m and a degree of longitude at least 111,319 m × cos φ
// on the WGS-84 ellipsoid; 1 % more keeps the box a safe superset of the true neighbourhood.
const M_PER_DEG_LAT = 110_574 / 1.01;
const M_PER_DEG_LNG_EQUATOR = 111_319 / 1.01;

/**
 * Half-widths in degrees of a box that holds every point within `metres` of latitude `lat`: the
 * index prefilter before an exact geography distance. Near the poles it widens to the whole circle.
 */
export function degreeBox(lat: number, metres: number): { dLng: number; dLat: number } {
  const dLat = metres / M_PER_DEG_LAT;
  const worst = Math.min(90, Math.abs(lat) + dLat);
  const cos = Math.cos((worst * Math.PI) / 180);
  const dLng = cos < 1e-6 ? 360 : Math.min(360, metres / (M_PER_DEG_LNG_EQUATOR * cos));
  return { dLng, dLat };
}
