/** Messages between the API thread and the station-cluster worker (cluster-worker.ts). */

/** Zoom levels up to this one are clustered; above it every station is drawn on its own. */
export const CLUSTER_MAX_ZOOM = 13;
/**
 * Cluster radius in screen pixels (of a 512-px tile, as supercluster and MapLibre count): wide
 * enough that the bubbles (up to 56 px across) leave room to tap the map between them.
 */
export const CLUSTER_RADIUS_PX = 60;
/** Each answered item: lng, lat, station count, station id or cluster id, expansion zoom (-1). */
export const FIELDS_PER_ITEM = 5;

export type ClusterRequest =
  | { type: 'load'; version: number; lng: Float64Array; lat: Float64Array; ids: Int32Array }
  | { type: 'query'; requestId: number; bbox: [number, number, number, number]; zoom: number };

export type ClusterResponse =
  | { type: 'loaded'; version: number; ms: number }
  | { type: 'result'; requestId: number; version: number; items: Float64Array }
  | { type: 'error'; requestId?: number; message: string };
