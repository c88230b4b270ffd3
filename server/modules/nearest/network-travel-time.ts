/**
 * Travel times along the imported road network: the origin and the candidate stations are snapped
 * to the nearest usable road (PostGIS KNN), then one one-to-many Dijkstra (`nearestByTime`) times
 * them all. Without an imported network, or with the origin more than 1 km from any road the mode
 * may use, the straight-line estimate answers instead and says so (`distance_kind`).
 */
import type { AppDatabase } from '../../db/client.js';
import { metreFractionFromPlanar } from '../../routing/edge-geometry.js';
import type { RoadGraph } from '../../routing/road-graph.js';
import type { EdgeSnap } from '../../routing/search.js';
import type { RoadNetworkCache, LoadedRoadNetwork } from '../routes/road-network-cache.js';
import { findNearbyEdges } from '../routes/road-network.repository.js';
import { MAX_SNAP_DISTANCE_M } from '../routes/routes.schemas.js';
import { snapStationsToRoads } from './nearest.repository.js';
import {
  STRAIGHT_LINE_SPEED_KMH,
  straightLineProvider,
  type TravelEstimate,
  type TravelMode,
  type TravelTimeProvider,
  type TravelTimeSource,
} from './travel-time.js';

/** No one goes to a rest station further than this; bounds each Dijkstra. */
const MAX_TRAVEL_SECONDS = 3 * 3600;

/** The fastest any edge of the graph may be travelled by `mode`, m/s: the lower bound's speed. */
const fastestSpeedCache = new WeakMap<RoadGraph, Partial<Record<TravelMode, number>>>();
function fastestSpeed(graph: RoadGraph, mode: TravelMode): number {
  const cached = fastestSpeedCache.get(graph) ?? {};
  if (cached[mode] === undefined) {
    const { costs } = graph.profile(mode);
    let fastest = 0;
    for (let ref = 0; ref < costs.length; ref++) {
      const cost = costs[ref]!;
      if (cost > 0 && cost !== Infinity)
        fastest = Math.max(fastest, graph.edgeLengthM[ref >> 1]! / cost);
    }
    cached[mode] = fastest > 0 ? fastest : (STRAIGHT_LINE_SPEED_KMH[mode] * 1000) / 3600;
    fastestSpeedCache.set(graph, cached);
  }
  return cached[mode]!;
}

function toEdgeSnap(graph: RoadGraph, edgeId: number, planarFraction: number): EdgeSnap | null {
  // An edge id beyond the graph means the network was re-imported during this request.
  if (edgeId >= graph.edgeCount) return null;
  return {
    edgeId,
    fraction: metreFractionFromPlanar(graph, edgeId, planarFraction),
  };
}

function networkProvider(
  db: AppDatabase,
  network: LoadedRoadNetwork,
  originSnap: EdgeSnap,
  originOffRoadM: number,
): TravelTimeProvider {
  const { graph } = network;
  // Getting from the point onto the road and off it again is on foot, whatever the mode.
  const offRoadSeconds = (metres: number) =>
    metres / ((STRAIGHT_LINE_SPEED_KMH.walk * 1000) / 3600);
  return {
    kind: 'network',
    basis: (mode) => ({
      distance_kind: 'network',
      speed_kmh: Math.round(fastestSpeed(graph, mode) * 3.6 * 10) / 10,
      detour_factor: null,
      description:
        `fastest ${mode} route on the road network "${network.info.name}"; ` +
        `speed_kmh is the fastest edge speed, the bound used to stop the search`,
    }),
    minSeconds: (straightLineM, mode) => straightLineM / fastestSpeed(graph, mode),
    estimate: async (_origin, targets, mode) => {
      const snaps = await snapStationsToRoads(
        db,
        targets.map((t) => t.id),
        mode,
        MAX_SNAP_DISTANCE_M,
      );
      const routeTargets = snaps.flatMap((s) => {
        const snap = toEdgeSnap(graph, s.edgeId, s.planarFraction);
        return snap ? [{ id: s.stationId, snap, offRoadM: s.distanceM }] : [];
      });
      const offRoad = new Map(routeTargets.map((t) => [t.id, t.offRoadM]));
      const reached = network.searches[mode].nearestByTime(
        originSnap,
        routeTargets,
        routeTargets.length,
        MAX_TRAVEL_SECONDS,
      );
      const estimates = new Map<number, TravelEstimate>();
      for (const r of reached) {
        const offRoadM = originOffRoadM + (offRoad.get(r.id) ?? 0);
        estimates.set(r.id, {
          durationS: r.durationS + offRoadSeconds(offRoadM),
          distanceM: r.distanceM + offRoadM,
        });
      }
      return estimates;
    },
  };
}

/** Network travel times when a road network is imported and the origin is near a road. */
export function networkTravelTimes(db: AppDatabase, networks: RoadNetworkCache): TravelTimeSource {
  return {
    providerFor: async (mode, origin, known) => {
      // The caller read in its own query that no network is imported: straight lines, no
      // second round trip to learn the same thing.
      if (known && known.roadNetworkId === null) return straightLineProvider;
      let network = await networks.current();
      if (!network) return straightLineProvider;
      const [nearest] = await findNearbyEdges(db, origin, mode, MAX_SNAP_DISTANCE_M);
      if (nearest && nearest.networkId !== network.info.id) {
        // Another process imported a newer network since the version check: snap and graph
        // must be of the same one.
        network = await networks.current();
        if (network?.info.id !== nearest.networkId) return straightLineProvider;
      }
      const snap = nearest && toEdgeSnap(network.graph, nearest.edgeId, nearest.planarFraction);
      if (!snap) return straightLineProvider;
      return networkProvider(db, network, snap, nearest.distanceM);
    },
  };
}
