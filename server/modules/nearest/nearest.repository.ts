/**
 * Stations nearest a point: index-assisted KNN (`ORDER BY geom <-> point`) in pages, each row with
 * its exact geodesic distance and the planar distance the index ordered it by.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';
import {
  STATION_COLUMNS,
  stationConditions,
  type StationFilter,
  type StationRecord,
} from '../stations/stations.repository.js';

export interface NearbyStationRow extends StationRecord {
  /** Geodesic metres from the origin (WGS-84 spheroid). */
  distance_m: number;
  /** Planar distance in degrees: the KNN order key, used to know how far a page surely reaches. */
  planar_deg: number;
}

export interface KnnPage {
  /** Rows to skip (the earlier pages). */
  offset: number;
  limit: number;
}

/**
 * One page of stations in KNN order (planar degrees, as the GiST index orders them). Rows come back
 * in that order; callers re-rank by `distance_m`.
 */
export async function stationsByPlanarDistance(
  db: AppDatabase,
  [lng, lat]: [number, number],
  filter: StationFilter,
  page: KnnPage,
): Promise<NearbyStationRow[]> {
  const point = sql`ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326)`;
  const rows = await queryRows<NearbyStationRow>(
    db,
    sql`select ${STATION_COLUMNS},
          ST_Distance(s.geom::geography, ${point}::geography) as distance_m,
          s.geom <-> ${point} as planar_deg
        from stations s
        where ${stationConditions(filter)}
        order by s.geom <-> ${point}, s.id
        limit ${page.limit} offset ${page.offset}`,
  );
  for (const row of rows) {
    row.distance_m = Number(row.distance_m);
    row.planar_deg = Number(row.planar_deg);
    row.lng = Number(row.lng);
    row.lat = Number(row.lat);
  }
  return rows;
}

/** The raw SQL the nearest search wraps, for the benchmark baseline: k nearest, exact distances. */
export async function rawNearestIds(
  db: AppDatabase,
  [lng, lat]: [number, number],
  k: number,
): Promise<Array<{ id: number; distance_m: number }>> {
  const point = sql`ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326)`;
  return queryRows(
    db,
    sql`select ${STATION_COLUMNS}, ST_Distance(s.geom::geography, ${point}::geography) as distance_m
        from stations s order by s.geom <-> ${point} limit ${k}`,
  );
}
