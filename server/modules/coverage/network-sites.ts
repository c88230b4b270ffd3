/**
 * The network rule's "sites": open stations (and what-if sites) snapped to the nearest street the
 * mode may use, the streets within the travel time found in memory, and the reached parts handed to
 * SQL as one MultiLineString to be buffered and measured like the radius rule's discs.
 */
import type { AppDatabase } from '../../db/client.js';
import { metreFractionFromPlanar, sliceEdge } from '../../routing/edge-geometry.js';
import type { LoadedRoadNetwork } from '../routes/road-network-cache.js';
import type { CoverageRule } from './coverage-rule.js';
import { snapPointsToEdges, type CoverageSites } from './coverage.repository.js';
import { reachWithin } from './network-reach.js';

/** Streets count as reached; the covered band is this wide either side (a worker by the road). */
export const NETWORK_BUFFER_M = 50;
/** A station farther than this from any usable street does not count under a network rule. */
export const MAX_SNAP_M = 500;

export async function networkSites(
  db: AppDatabase,
  network: LoadedRoadNetwork,
  rule: Extract<CoverageRule, { kind: 'network' }>,
  stations: Array<{ id: number; lng: number; lat: number }>,
  extraSites: Array<[number, number]>,
): Promise<CoverageSites & { snapped: number; unsnapped: number }> {
  const points: Array<[number, number]> = [
    ...stations.map((s): [number, number] => [s.lng, s.lat]),
    ...extraSites,
  ];
  const snaps = await snapPointsToEdges(db, points, rule.mode, MAX_SNAP_M);
  const graph = network.graph;
  const usable = snaps.filter((s) => s.edge_id < graph.edgeCount);
  const reach = reachWithin(
    graph,
    rule.mode,
    usable.map((s) => ({
      edgeId: s.edge_id,
      fraction: metreFractionFromPlanar(graph, s.edge_id, s.planar_fraction),
    })),
    rule.minutes * 60,
  );
  const lines = reach.pieces.map((p) =>
    sliceEdge(graph, p.edgeId, p.from, p.to).map(([x, y]) => [round6(x), round6(y)]),
  );
  const snappedStations = new Set(
    usable.filter((s) => s.index < stations.length).map((s) => stations[s.index]!.id),
  );
  return {
    stationIds: stations.map((s) => s.id).filter((id) => snappedStations.has(id)),
    extraSites: [],
    radiusM: NETWORK_BUFFER_M,
    reachedLines: JSON.stringify({ type: 'MultiLineString', coordinates: lines }),
    snapped: usable.length,
    unsnapped: points.length - usable.length,
  };
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
