/**
 * Keeps the imported road network in memory as a `RoadGraph` with one reusable search per profile.
 *
 * The process keeps no state that can go stale: the database says which network is current, and
 * another process (a second instance, or the import CLI) may replace it at any time. So each
 * request asks for the current network's id (one tiny query) and the graph is reloaded when it
 * changed; requests arriving during a reload share it (single flight). Snaps read from the database
 * carry the network id they came from, so a caller can tell a graph older than its snap (see
 * `RoutePlanner`).
 *
 * Routes use the network's stored contraction hierarchies (built at import). A profile without a
 * usable one routes with plain Dijkstra meanwhile, and the hierarchy is built in the CPU pool in
 * the background (see `routerFor`), stored for the other instances, and swapped in when ready.
 */
import type { Logger } from 'pino';
import type { AppDatabase } from '../../db/client.js';
import { findIslands, type NetworkIslands } from '../../routing/components.js';
import { PROFILES, type ProfileName } from '../../routing/profiles.js';
import { RoadGraph } from '../../routing/road-graph.js';
import type { ChRouteSearch } from '../../routing/contraction/ch-search.js';
import { RouteSearch, type EdgeSnap, type Route } from '../../routing/search.js';
import { SnapIndex } from '../../routing/snap.js';
import {
  contractRoadGraph,
  hierarchySearch,
  loadRoadHierarchies,
  storeRoadHierarchies,
} from './road-hierarchy.service.js';
import {
  findCurrentRoadNetwork,
  loadCurrentRoadNetwork,
  type RoadNetworkInfo,
} from './road-network.repository.js';

/** What answers point-to-point routes: a contraction hierarchy, or plain Dijkstra meanwhile. */
export interface RouteFinder {
  route(from: EdgeSnap, to: EdgeSnap): Route | null;
}

export interface LoadedRoadNetwork {
  info: RoadNetworkInfo;
  graph: RoadGraph;
  /** Plain Dijkstra per profile: one-to-many searches (nearest by time) and the fallback. */
  searches: Record<ProfileName, RouteSearch>;
  /**
   * Point-to-point routes per profile (`hierarchies` says which are contraction hierarchies);
   * ask through `RoadNetworkCache.routerFor`, which also starts building missing ones.
   */
  routers: Record<ProfileName, RouteFinder>;
  /** Where each profile's hierarchy came from; absent while routing falls back to Dijkstra. */
  hierarchies: Partial<Record<ProfileName, 'stored' | 'built'>>;
  /** In-memory snapping to the graph's edges (no SQL round trip per request). */
  snaps: SnapIndex;
  islands: Record<ProfileName, NetworkIslands>;
}

export class RoadNetworkCache {
  private loaded: LoadedRoadNetwork | null = null;
  /** The load in progress, shared by the requests that arrive meanwhile. */
  private loading: { id: number; promise: Promise<LoadedRoadNetwork | null> } | null = null;
  private loads = 0;
  private readonly builds = new Set<Promise<void>>();
  /** Networks whose missing hierarchies are being (or were) built: one attempt per load. */
  private readonly building = new WeakSet<LoadedRoadNetwork>();

  constructor(
    private readonly db: AppDatabase,
    private readonly log?: Logger,
  ) {}

  /** Graph loads done so far: one per network change, however many requests asked meanwhile. */
  get loadCount(): number {
    return this.loads;
  }

  /**
   * What routes `profile` on `network`: its contraction hierarchy, or plain Dijkstra while the
   * missing hierarchies are built in the background — started by the first route asked for, so an
   * instance that never routes (coverage only, a bench) never spends the CPU.
   */
  routerFor(network: LoadedRoadNetwork, profile: ProfileName): RouteFinder {
    if (!network.hierarchies[profile] && !this.building.has(network)) {
      this.building.add(network);
      const missing = PROFILES.filter((p) => !network.hierarchies[p]);
      this.buildInBackground(network, missing);
    }
    return network.routers[profile];
  }

  /** Resolves once every background hierarchy build started so far has finished (tests). */
  async backgroundBuilds(): Promise<void> {
    while (this.builds.size > 0) await Promise.allSettled([...this.builds]);
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
    const stored = await loadRoadHierarchies(this.db, info.id, graph, this.log);
    const routers = { ...searches } as Record<ProfileName, RouteFinder>;
    const hierarchies: LoadedRoadNetwork['hierarchies'] = {};
    for (const profile of PROFILES) {
      const ch = stored[profile];
      if (!ch) continue;
      routers[profile] = ch;
      hierarchies[profile] = 'stored';
    }
    const snaps = new SnapIndex(graph);
    const loaded: LoadedRoadNetwork = {
      info,
      graph,
      searches,
      routers,
      hierarchies,
      snaps,
      islands,
    };
    this.loads++;
    if (!this.loaded || this.loaded.info.id < info.id) this.loaded = loaded;
    this.log?.info(
      {
        network: info.name,
        networkId: info.id,
        edges: graph.edgeCount,
        graphBytes: graph.memoryBytes(),
        hierarchies: Object.keys(hierarchies),
        ms: Math.round(performance.now() - started),
      },
      'road network loaded',
    );
    return loaded;
  }

  /**
   * Contracts the profiles that had no usable stored hierarchy, stores them for the other
   * instances and swaps them into `network`. Routing keeps answering with Dijkstra meanwhile; a
   * failure (pool busy, database away) is logged and leaves the fallback in place.
   */
  private buildInBackground(network: LoadedRoadNetwork, profiles: ProfileName[]): void {
    const { info, graph } = network;
    const build = (async () => {
      try {
        const built = await contractRoadGraph(graph, profiles);
        for (const hierarchy of built) {
          const search: ChRouteSearch | null = hierarchySearch(graph, hierarchy, this.log);
          if (!search) continue;
          network.routers[hierarchy.profile] = search;
          network.hierarchies[hierarchy.profile] = 'built';
        }
        await storeRoadHierarchies(this.db, info.id, built);
        this.log?.info(
          {
            networkId: info.id,
            profiles,
            buildMs: Math.max(...built.map((h) => h.buildMs)),
          },
          'road hierarchies built',
        );
      } catch (error) {
        this.log?.warn(
          { networkId: info.id, profiles, err: error },
          'road hierarchies not built; routing stays on Dijkstra',
        );
      }
    })();
    this.builds.add(build);
    void build.finally(() => this.builds.delete(build));
  }
}
