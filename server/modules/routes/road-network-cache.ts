/**
 * Keeps the imported road network in memory as a `RoadGraph` with one reusable search per profile.
 * Each request asks the database which network is current (one tiny query), so a re-import is
 * picked up on the next request without a restart.
 */
import type { Logger } from 'pino';
import type { AppDatabase } from '../../db/client.js';
import { findIslands, type NetworkIslands } from '../../routing/components.js';
import { PROFILES, type ProfileName } from '../../routing/profiles.js';
import { RoadGraph } from '../../routing/road-graph.js';
import { RouteSearch } from '../../routing/search.js';
import {
  findCurrentRoadNetwork,
  loadRoadEdgeRows,
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
  private loading: { id: number; promise: Promise<LoadedRoadNetwork> } | null = null;

  constructor(
    private readonly db: AppDatabase,
    private readonly log?: Logger,
  ) {}

  /** The current network, loading it first if it changed; null when none was imported yet. */
  async current(): Promise<LoadedRoadNetwork | null> {
    const info = await findCurrentRoadNetwork(this.db);
    if (!info) return null;
    if (this.loaded?.info.id === info.id) return this.loaded;
    if (this.loading?.id !== info.id) {
      const promise = this.load(info).finally(() => {
        if (this.loading?.promise === promise) this.loading = null;
      });
      this.loading = { id: info.id, promise };
    }
    return this.loading.promise;
  }

  private async load(info: RoadNetworkInfo): Promise<LoadedRoadNetwork> {
    const started = performance.now();
    const graph = RoadGraph.fromEdgeRows(await loadRoadEdgeRows(this.db));
    const searches = {} as Record<ProfileName, RouteSearch>;
    const islands = {} as Record<ProfileName, NetworkIslands>;
    for (const profile of PROFILES) {
      searches[profile] = new RouteSearch(graph, profile);
      islands[profile] = findIslands(graph, profile);
    }
    const loaded = { info, graph, searches, islands };
    this.loaded = loaded;
    this.log?.info(
      {
        network: info.name,
        edges: graph.edgeCount,
        graphBytes: graph.memoryBytes(),
        ms: Math.round(performance.now() - started),
      },
      'road network loaded',
    );
    return loaded;
  }
}
