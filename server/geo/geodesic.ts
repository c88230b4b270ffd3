/**
 * Geodesic distance on the WGS-84 ellipsoid, by Karney's algorithm: the same one PostGIS uses for
 * `ST_Distance(geography, geography)`, so distances computed here and in SQL agree to the millimetre.
 */
import geographiclib from 'geographiclib-geodesic';

const WGS84 = geographiclib.Geodesic.WGS84;
const DISTANCE_ONLY = geographiclib.Geodesic.DISTANCE;

export function geodesicDistanceM(lng1: number, lat1: number, lng2: number, lat2: number): number {
  return WGS84.Inverse(lat1, lng1, lat2, lng2, DISTANCE_ONLY).s12!;
}
