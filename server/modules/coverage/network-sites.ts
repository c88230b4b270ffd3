/**
 * The network rule's "sites": open stations (and what-if sites) snapped to the nearest street the
 * mode may use, and one multi-source search from all of them over the reversed graph; the reached
 * street pieces are measured in memory (network-coverage.ts), not buffered in SQL.
 */
import type { AppDatabase } from '../../db/client.js';
import { metreFractionFromPlanar } from '../../routing/edge-geometry.js';
import type { LoadedRoadNetwork } from '../routes/road-network-cache.js';
import type { CoverageRule } from './coverage-rule.js';
import { snapPointsToEdges, type CoverageSites } from './coverage.repository.js';
import { guarded } from './network-coverage.js';
import { reachArrays } from './network-reach.js';
import { runCpuTask } from '../../work/cpu-pool.js';

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
  return guarded(async () => {
    const snaps = await snapPointsToEdges(db, points, rule.mode, MAX_SNAP_M);
    const graph = network.graph;
    // An edge id beyond the loaded graph means a newer import landed meanwhile: skip, never misread.
    const usable = snaps.filter((s) => s.edge_id < graph.edgeCount);
    // Linear in the network reached, but a second or more on a city's network: in the CPU pool.
    const reach = await runCpuTask('networkReach', {
      graph: reachArrays(graph, rule.mode),
      seedEdges: Int32Array.from(usable, (s) => s.edge_id),
      seedFractions: Float64Array.from(usable, (s) => metreFractionFromPlanar(graph, s.edge_id, s.planar_fraction)),
      limitS: rule.minutes * 60,
    });
    const snappedStations = new Set(
      usable.filter((s) => s.index < stations.length).map((s) => stations[s.index]!.id),
    );
    return {
      stationIds: stations.map((s) => s.id).filter((id) => snappedStations.has(id)),
      extraSites: [],
      radiusM: NETWORK_BUFFER_M,
      network: { graph, profile: rule.mode, reach, radiusM: NETWORK_BUFFER_M },
      snapped: usable.length,
      unsnapped: points.length - usable.length,
    };
  });
}
