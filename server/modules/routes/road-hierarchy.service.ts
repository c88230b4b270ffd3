/**
 * Contraction hierarchies for a road network: built in the CPU pool (one task per profile, never
 * on the event loop), stored with the network, and turned back into searches by whoever loads
 * the network. A stored hierarchy is used only if it was built from exactly the loaded graph
 * (format, node count, edge refs and a hash of the travel times); otherwise it is ignored.
 */
import type { Logger } from 'pino';
import type { AppDatabase } from '../../db/client.js';
import { ChRouteSearch } from '../../routing/contraction/ch-search.js';
import { hierarchyBytes } from '../../routing/contraction/hierarchy.js';
import { CH_FORMAT, deserializeHierarchy } from '../../routing/contraction/serialize.js';
import { PROFILES, type ProfileName } from '../../routing/profiles.js';
import type { RoadGraph } from '../../routing/road-graph.js';
import { runCpuTask } from '../../work/cpu-pool.js';
import {
  findRoadHierarchies,
  insertRoadHierarchies,
  type StoredHierarchy,
} from './road-hierarchy.repository.js';

export type { StoredHierarchy } from './road-hierarchy.repository.js';

/** Contracts each profile of `graph` in the CPU pool; resolves with the bytes to store. */
export async function contractRoadGraph(
  graph: RoadGraph,
  profiles: readonly ProfileName[] = PROFILES,
): Promise<StoredHierarchy[]> {
  return Promise.all(
    profiles.map(async (profile) => {
      const { data, buildMs } = await runCpuTask('contractProfile', {
        nodeCount: graph.nodeCount,
        edgeSource: graph.edgeSource,
        edgeTarget: graph.edgeTarget,
        costs: graph.profile(profile).costs,
      });
      return { profile, data, buildMs };
    }),
  );
}

export async function storeRoadHierarchies(
  db: AppDatabase,
  networkId: number,
  hierarchies: readonly StoredHierarchy[],
): Promise<void> {
  await insertRoadHierarchies(db, networkId, CH_FORMAT, hierarchies);
}

/**
 * The stored hierarchies of `networkId` that fit `graph`, as ready searches. A row that does not
 * fit (another graph, a corrupt copy) is logged and left out, so the caller falls back to plain
 * Dijkstra for that profile and rebuilds it.
 */
export async function loadRoadHierarchies(
  db: AppDatabase,
  networkId: number,
  graph: RoadGraph,
  log?: Logger,
): Promise<Partial<Record<ProfileName, ChRouteSearch>>> {
  const searches: Partial<Record<ProfileName, ChRouteSearch>> = {};
  for (const stored of await findRoadHierarchies(db, networkId, CH_FORMAT)) {
    const search = hierarchySearch(graph, stored, log);
    if (search) searches[stored.profile] = search;
  }
  return searches;
}

/** A search over `stored` when it fits `graph`, else null (logged). */
export function hierarchySearch(
  graph: RoadGraph,
  stored: StoredHierarchy,
  log?: Logger,
): ChRouteSearch | null {
  try {
    const hierarchy = deserializeHierarchy(stored.data);
    const search = new ChRouteSearch(graph, stored.profile, hierarchy);
    log?.debug(
      { profile: stored.profile, bytes: hierarchyBytes(hierarchy) },
      'road hierarchy ready',
    );
    return search;
  } catch (error) {
    log?.warn(
      { profile: stored.profile, err: error },
      'stored road hierarchy does not fit the network; routing falls back to Dijkstra',
    );
    return null;
  }
}
