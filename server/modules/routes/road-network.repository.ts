/**
 * Reads the imported road network: its metadata, the edge rows the in-memory graph is built from,
 * and nearest edges to a point through the GiST index (`ORDER BY geom <-> point LIMIT n`, then exact
 * geodesic distances and `ST_LineLocatePoint`).
 */
import { queryRows, sql, type AppDatabase } from '../../db/client.js';
import type { LngLat } from '../../routing/geo.js';
import { PROFILES, type ProfileName } from '../../routing/profiles.js';
import type { RoadGraphEdgeInput } from '../../routing/road-graph.js';

export interface RoadNetworkInfo {
  id: number;
  name: string;
  source: string;
  importedAt: Date;
  nodeCount: number;
  edgeCount: number;
}

export interface NearbyEdge {
  /** The network the edge belongs to, read in the same statement (see `findNearbyEdges`). */
  networkId: number;
  edgeId: number;
  /** `ST_LineLocatePoint`: fraction of the edge's length in planar degrees. */
  planarFraction: number;
  /** Geodesic metres from the point to the edge. */
  distanceM: number;
}

/** How many index-ordered candidates to re-rank by exact geodesic distance. */
const KNN_CANDIDATES = 16;
const EDGE_PAGE_SIZE = 20_000;

/** The network currently in use, or null before the first import. */
export async function findCurrentRoadNetwork(db: AppDatabase): Promise<RoadNetworkInfo | null> {
  const rows = await queryRows<{
    id: number;
    name: string;
    source: string;
    imported_at: string | Date;
    node_count: number;
    edge_count: number;
  }>(
    db,
    sql`select id, name, source, imported_at, node_count, edge_count
        from road_networks order by imported_at desc limit 1`,
  );
  if (rows.length === 0) return null;
  const row = rows[0];
  return {
    id: row.id,
    name: row.name,
    source: row.source,
    importedAt: new Date(row.imported_at),
    nodeCount: row.node_count,
    edgeCount: row.edge_count,
  };
}

/**
 * The current network's metadata and all its edges, consistent with each other even while another
 * process (an instance or the import CLI) swaps in a new network: the transaction first takes
 * `road_edges`' share lock, which the swap's `DROP TABLE` must wait for, so the metadata read next
 * and every page after it come from one network. An import waits for the load, not the reverse.
 */
export async function loadCurrentRoadNetwork(
  db: AppDatabase,
): Promise<{ info: RoadNetworkInfo; edges: RoadGraphEdgeInput[] } | null> {
  return db.transaction(async (tx) => {
    const txDb = tx as unknown as AppDatabase;
    await txDb.execute(sql`lock table road_edges in access share mode`);
    const info = await findCurrentRoadNetwork(txDb);
    if (!info) return null;
    return { info, edges: await loadRoadEdgeRows(txDb) };
  });
}

/** All edges ordered by id, read in pages so neither driver holds one huge result. */
export async function loadRoadEdgeRows(db: AppDatabase): Promise<RoadGraphEdgeInput[]> {
  const edges: RoadGraphEdgeInput[] = [];
  let nextId = 0;
  for (;;) {
    const page = await queryRows<{
      id: number;
      source: number;
      target: number;
      coordinates: [number, number][];
      length_m: number;
      name: string | null;
      highway: string;
      walk_fwd_s: number | null;
      walk_bwd_s: number | null;
      bike_fwd_s: number | null;
      bike_bwd_s: number | null;
      drive_fwd_s: number | null;
      drive_bwd_s: number | null;
    }>(
      db,
      sql`select id, source, target, ST_AsGeoJSON(geom)::json -> 'coordinates' as coordinates,
                 length_m, name, highway, walk_fwd_s, walk_bwd_s, bike_fwd_s, bike_bwd_s,
                 drive_fwd_s, drive_bwd_s
          from road_edges where id >= ${nextId} order by id limit ${EDGE_PAGE_SIZE}`,
    );
    for (const row of page) {
      edges.push({
        id: row.id,
        source: row.source,
        target: row.target,
        coordinates: row.coordinates,
        lengthM: row.length_m,
        name: row.name,
        highway: row.highway,
        walkFwdS: row.walk_fwd_s,
        walkBwdS: row.walk_bwd_s,
        bikeFwdS: row.bike_fwd_s,
        bikeBwdS: row.bike_bwd_s,
        driveFwdS: row.drive_fwd_s,
        driveBwdS: row.drive_bwd_s,
      });
    }
    if (page.length < EDGE_PAGE_SIZE) return edges;
    nextId = page[page.length - 1].id + 1;
  }
}

/**
 * The edges nearest to a point that `profile` may travel, closest first by geodesic distance, at
 * most `maxDistanceM` away. Each carries the id of the network it was read from: one statement sees
 * one snapshot, so a caller can tell when its in-memory graph is older than the edges it snapped to.
 */
export async function findNearbyEdges(
  db: AppDatabase,
  [lng, lat]: LngLat,
  profile: ProfileName,
  maxDistanceM: number,
): Promise<NearbyEdge[]> {
  if (!PROFILES.includes(profile)) throw new Error(`Unknown profile: ${profile}`);
  // Identifiers cannot be parameters; `profile` is checked against the fixed PROFILES list above.
  const forward = sql.raw(`${profile}_fwd_s`);
  const backward = sql.raw(`${profile}_bwd_s`);
  const point = sql`ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326)`;
  const rows = await queryRows<{
    network_id: number;
    id: number;
    fraction: number;
    distance_m: number;
  }>(
    db,
    sql`select (select id from road_networks order by imported_at desc limit 1) as network_id,
               id, fraction, distance_m from (
          select id,
                 ST_LineLocatePoint(geom, ${point}) as fraction,
                 ST_Distance(geom::geography, ${point}::geography) as distance_m
          from road_edges
          where ${forward} is not null or ${backward} is not null
          order by geom <-> ${point}
          limit ${KNN_CANDIDATES}
        ) candidates
        where distance_m <= ${maxDistanceM}
        order by distance_m, id`,
  );
  return rows.map((row) => ({
    networkId: Number(row.network_id),
    edgeId: row.id,
    planarFraction: Number(row.fraction),
    distanceM: Number(row.distance_m),
  }));
}
