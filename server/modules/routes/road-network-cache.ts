/**
 * Keeps the imported road network in memory as a `RoadGraph` with one reusable search per profile.
 *
 * The process keeps no state that can go stale: the database says which network is current, and
 * another process (a second instance, or the import CLI) may replace it at any time. So each
 * request asks for the current network's id (one tiny query) and the graph is reloaded when it
 * changed; requests arriving during a reload share it (single flight). Snaps read from the database
 * carry the network id they came from, so a caller can tell a graph older than its snap (see
 * `RoutePlanner`).
 */
import type { Logger } from 'pino';
import type { AppDatabase } from '../../db/client.js';
import { findIslands, type NetworkIslands } from '../../routing/components.js';
import { PROFILES, type ProfileName } from '../../routing/profiles.js';
import { RoadGraph } from '../../routing/road-graph.js';
import { RouteSearch } from '../../routing/search.js';
import {
  findCurrentRoadNetwork,
  loadCurrentRoadNetwork,
  type RoadNetworkInfo,
} from './road-network.repository.js';

export interface LoadedRoadNetwork {
  info: RoadNetworkInfo;
  graph: RoadGraph;
  searches: Record<ProfileName, RouteSearch>;
  islands: Record<ProfileName, NetworkIslands>;
}

export class RoadNetworkCache {
  private loaded: LoadedRoadNetwork | null = null;
  /** The load in progress, shared by the requests that arrive meanwhile. */
  private loading: { id: number; promise: Promise<LoadedRoadNetwork | null> } | null = null;
  private loads = 0;

  constructor(
    private readonly db: AppDatabase,
    private readonly log?: Logger,
  ) {}

  /** Graph loads done so far: one per network change, however many requests asked meanwhile. */
  get loadCount(): number {
    return this.loads;
  }

  /** The current network, loading it first if it changed; null when none was imported yet. */
  async current(): Promise<LoadedRoadNetwork | null> {
    const info = await findCurrentRoadNetwork(this.db);
    if (!info) return null;
    if (this.loaded?.info.id === info.id) return this.loaded;
    if (this.loading?.id !== info.id) {
      const promise = this.load().finally(() => {
        if (this.loading?.promise === promise) this.loading = null;
      });
      this.loading = { id: info.id, promise };
    }
    return this.loading.promise;
  }

  /**
   * Loads whatever network is current when the load starts (possibly newer than the id that
   * triggered it). Network ids only grow, so a slow load finishing after a newer one never
   * replaces it.
   */
  private async load(): Promise<LoadedRoadNetwork | null> {
    const started = performance.now();
    const snapshot = await loadCurrentRoadNetwork(this.db);
    if (!snapshot) return this.loaded;
    const { info, edges } = snapshot;
    const graph = RoadGraph.fromEdgeRows(edges);
    const searches = {} as Record<ProfileName, RouteSearch>;
    const islands = {} as Record<ProfileName, NetworkIslands>;
    for (const profile of PROFILES) {
      searches[profile] = new RouteSearch(graph, profile);
      islands[profile] = findIslands(graph, profile);
    }
    const loaded = { info, graph, searches, islands };
    this.loads++;
    if (!this.loaded || this.loaded.info.id < info.id) this.loaded = loaded;
    this.log?.info(
      {
        network: info.name,
        networkId: info.id,
        edges: graph.edgeCount,
        graphBytes: graph.memoryBytes(),
        ms: Math.round(performance.now() - started),
      },
      'road network loaded',
    );
    return loaded;
  }
}
