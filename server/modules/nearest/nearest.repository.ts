/**
 * SQL for nearest searches: the raw KNN the benchmark compares against, and snapping stations onto
 * the road network. The search itself walks the in-memory station mirror (station-mirror.ts).
 */
import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';
import {
  STATION_COLUMNS,
  stationConditions,
  type StationFilter,
  type StationRecord,
} from '../stations/stations.repository.js';

const pointOf = ([lng, lat]: [number, number]) =>
  sql`ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326)`;

/**
 * The benchmark's baseline: the k nearest matching `filter`, station columns and exact geodesic
 * distances, as one would write the question in SQL by hand (`ORDER BY geom <-> point LIMIT k`).
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
