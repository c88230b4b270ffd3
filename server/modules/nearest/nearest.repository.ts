/**
 * Stations nearest a point: index-assisted KNN (`ORDER BY geom <-> point`) in pages, each row with
 * its exact geodesic distance and the planar distance the index ordered it by.
 */
import { sql, type SQL } from 'drizzle-orm';
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
 * The KNN page query: the page is chosen in the inner query, so the geodesic distance and the
 * column formatting run only on its rows, whichever plan the filter leads to (GiST KNN, or a GIN
 * bitmap then sort). No tie-breaker in the ORDER BY: a second key would stop PostgreSQL from
 * reading the GiST index in distance order (it would sort the whole table). The index order is
 * deterministic.
 */
function knnPageQuery(point: SQL, filter: StationFilter, page: KnnPage): SQL {
  return sql`select ${STATION_COLUMNS},
          ST_Distance(s.geom::geography, ${point}::geography) as distance_m,
          s.geom <-> ${point} as planar_deg
        from (
          select * from stations s
          where ${stationConditions(filter)}
          order by s.geom <-> ${point}
          limit ${page.limit} offset ${page.offset}
        ) s`;
}

const pointOf = ([lng, lat]: [number, number]) =>
  sql`ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326)`;

/**
 * The page as one JSON array text, in KNN order. One text value is cheaper for both drivers than
 * a row per station with a dozen typed columns each (PGlite decodes every field in JS); JSON keeps
 * the same values (float8 prints round-trip exact, jsonb columns arrive as objects, timestamps are
 * already ISO text in STATION_COLUMNS).
 */
const pageAsJson = (point: SQL, filter: StationFilter, page: KnnPage) =>
  sql`(select coalesce(json_agg(page order by page.planar_deg), '[]')::text
       from (${knnPageQuery(point, filter, page)}) page)`;

/**
 * One page of stations in KNN order (planar degrees, as the GiST index orders them). Rows come back
 * in that order; callers re-rank by `distance_m`.
 */
export async function stationsByPlanarDistance(
  db: AppDatabase,
  origin: [number, number],
  filter: StationFilter,
  page: KnnPage,
): Promise<NearbyStationRow[]> {
  const [row] = await queryRows<{ stations: string }>(
    db,
    sql`select ${pageAsJson(pointOf(origin), filter, page)} as stations`,
  );
  return JSON.parse(row!.stations) as NearbyStationRow[];
}

export interface FirstKnnPage {
  rows: NearbyStationRow[];
  /** The current road network (as `findCurrentRoadNetwork` picks it), null when none is imported. */
  roadNetworkId: number | null;
}

/**
 * The first page, together with the id of the current road network, in one round trip: without a
 * network (straight-line ETAs) the whole search is then usually this one statement.
 */
export async function firstStationsByPlanarDistance(
  db: AppDatabase,
  origin: [number, number],
  filter: StationFilter,
  limit: number,
): Promise<FirstKnnPage> {
  const [row] = await queryRows<{ stations: string; road_network_id: number | null }>(
    db,
    sql`select ${pageAsJson(pointOf(origin), filter, { offset: 0, limit })} as stations,
          (select id from road_networks order by imported_at desc limit 1) as road_network_id`,
  );
  return {
    rows: JSON.parse(row!.stations) as NearbyStationRow[],
    roadNetworkId: row!.road_network_id === null ? null : Number(row!.road_network_id),
  };
}

/**
 * The raw SQL the nearest search wraps, for the benchmark baseline: the k nearest matching
 * `filter`, station columns and exact geodesic distances, as one would write it by hand.
 */
export async function rawNearestStations(
  db: AppDatabase,
  origin: [number, number],
  k: number,
  filter: StationFilter,
): Promise<Array<StationRecord & { distance_m: number }>> {
  const point = pointOf(origin);
  return queryRows(
    db,
    sql`select ${STATION_COLUMNS}, ST_Distance(s.geom::geography, ${point}::geography) as distance_m
        from stations s where ${stationConditions(filter)}
        order by s.geom <-> ${point} limit ${k}`,
  );
}

export interface StationRoadSnap {
  stationId: number;
  edgeId: number;
  /** `ST_LineLocatePoint`: fraction along the edge in planar degrees. */
  planarFraction: number;
  /** Geodesic metres from the station to the edge. */
  distanceM: number;
}

/** How many index-ordered edges per station to re-rank by exact distance. */
const SNAP_CANDIDATES = 8;

/**
 * The nearest edge usable by `profile` for each station, at most `maxDistanceM` away, in one query
 * (a lateral KNN per station) so a page of candidates costs one round trip, not one per station.
 */
export async function snapStationsToRoads(
  db: AppDatabase,
  stationIds: readonly number[],
  profile: 'walk' | 'bike' | 'drive',
  maxDistanceM: number,
): Promise<StationRoadSnap[]> {
  if (stationIds.length === 0) return [];
  // Identifiers cannot be parameters; `profile` is one of three fixed names (typed and checked).
  if (!['walk', 'bike', 'drive'].includes(profile)) throw new Error(`Unknown profile: ${profile}`);
  const forward = sql.raw(`e.${profile}_fwd_s`);
  const backward = sql.raw(`e.${profile}_bwd_s`);
  const ids = sql.join(
    stationIds.map((id) => sql`${id}::int`),
    sql`, `,
  );
  const rows = await queryRows<{
    station_id: number;
    edge_id: number;
    fraction: number;
    distance_m: number;
  }>(
    db,
    sql`select distinct on (s.id) s.id as station_id, c.edge_id, c.fraction, c.distance_m
        from stations s
        cross join lateral (
          select e.id as edge_id,
                 ST_LineLocatePoint(e.geom, s.geom) as fraction,
                 ST_Distance(e.geom::geography, s.geom::geography) as distance_m
          from road_edges e
          where ${forward} is not null or ${backward} is not null
          order by e.geom <-> s.geom
          limit ${SNAP_CANDIDATES}
        ) c
        where s.id in (${ids}) and c.distance_m <= ${maxDistanceM}
        order by s.id, c.distance_m, c.edge_id`,
  );
  return rows.map((row) => ({
    stationId: Number(row.station_id),
    edgeId: Number(row.edge_id),
    planarFraction: Number(row.fraction),
    distanceM: Number(row.distance_m),
  }));
}
