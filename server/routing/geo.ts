/**
 * Small spherical-geometry helpers for the routing engine. Coordinates are always `[lng, lat]` in
 * WGS-84 degrees, as in GeoJSON.
 */
export type LngLat = [lng: number, lat: number];

/** Mean Earth radius (IUGG), the same one turf uses, so lengths agree with turf.length. */
export const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

export function haversineMetres(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLng = (lng2 - lng1) * RAD;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Length of a polyline given as a flat `[lng0, lat0, lng1, lat1, …]` array. */
export function flatPolylineMetres(flat: ArrayLike<number>): number {
  let total = 0;
  for (let i = 2; i < flat.length; i += 2) {
    total += haversineMetres(flat[i - 2], flat[i - 1], flat[i], flat[i + 1]);
  }
  return total;
}

/**
 * Metres per degree of longitude and latitude near `lat`. Snapping works in this local
 * equirectangular frame: within a few kilometres its error is far below GPS noise, and it keeps the
 * point-to-segment projection a cheap 2-D computation.
 */
export function metresPerDegree(lat: number): { x: number; y: number } {
  const y = EARTH_RADIUS_M * RAD;
  return { x: y * Math.cos(lat * RAD), y };
}
