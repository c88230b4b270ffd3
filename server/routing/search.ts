/**
 * Fastest-path queries on a `RoadGraph` for one profile.
 *
 * Both ends of a query are *snapped points on edges*, not nodes: the search starts from the two ends
 * of the origin's edge, each at the cost of the part of the edge travelled to reach it (fraction ×
 * that direction's cost), and finishes the same way on the destination's edge. `route` runs a
 * bidirectional Dijkstra; `nearestByTime` runs one-to-many Dijkstra that stops at the k-th target.
 * A `RouteSearch` owns scratch arrays sized to the graph, so keep one per graph and profile and reuse
 * it; it is not re-entrant, but queries are synchronous so one per process is enough.
 */
import { nearestByTime, type ReachedTarget, type RouteTarget } from './nearest-by-time.js';
import type { ProfileName } from './profiles.js';
import type { ProfileGraph, RoadGraph } from './road-graph.js';
import { RouteAssembler, type Route, type RouteEdge } from './route-assembly.js';
import { decodeSeedRef, MEET_ON_SHARED_EDGE, SearchSide, seedBothSides, type EdgeSnap } from './search-side.js';

export type { EdgeSnap } from './search-side.js';
export type { Route, RouteEdge } from './route-assembly.js';
export type { ReachedTarget, RouteTarget } from './nearest-by-time.js';


export class RouteSearch {
  private readonly profileGraph: ProfileGraph;
  private readonly forwardSide: SearchSide;
  private readonly backwardSide: SearchSide;
  private readonly assembler: RouteAssembler;

  constructor(
    readonly graph: RoadGraph,
    readonly profile: ProfileName,
  ) {
    this.profileGraph = graph.profile(profile);
    this.forwardSide = new SearchSide(graph.nodeCount);
    this.backwardSide = new SearchSide(graph.nodeCount);
    this.assembler = new RouteAssembler(graph, this.profileGraph);
  }

  /** Bytes of reusable scratch (not counted in `RoadGraph.memoryBytes`). */
  scratchBytes(): number {
    return this.forwardSide.memoryBytes() + this.backwardSide.memoryBytes();
  }

  /** Fastest route between two snapped points, or `null` when the destination is unreachable. */
  route(from: EdgeSnap, to: EdgeSnap): Route | null {
    const { graph } = this;
    const { costs, forward, reverse } = this.profileGraph;
    const fwd = this.forwardSide;
    const bwd = this.backwardSide;
    let { best, meet } = seedBothSides(fwd, bwd, graph, costs, from, to);

    // Goldberg's stopping rule: once the two frontiers' smallest keys add up to the best meeting
    // cost, no unexplored path can be shorter. Expanding the side with the smaller key keeps the
    // two balls about the same radius.
    while (fwd.heap.peekKey() + bwd.heap.peekKey() < best) {
      const expandForward = fwd.heap.peekKey() <= bwd.heap.peekKey();
      const side = expandForward ? fwd : bwd;
      const other = expandForward ? bwd : fwd;
      const { offsets, heads, refs } = expandForward ? forward : reverse;
      const node = side.heap.pop();
      const nodeDist = side.dist[node];
      const nodeTravelled = side.travelled[node];
      for (let arc = offsets[node], end = offsets[node + 1]; arc < end; arc++) {
        const next = heads[arc];
        const ref = refs[arc];
        const dist = nodeDist + costs[ref];
        if (!side.improve(next, dist, nodeTravelled + graph.edgeLengthM[ref >> 1], ref)) continue;
        if (other.isReached(next) && dist + other.dist[next] < best) {
          best = dist + other.dist[next];
          meet = next;
        }
      }
    }
    if (best === Infinity) return null;
    return meet === MEET_ON_SHARED_EDGE
      ? this.assembler.assemble([
          this.assembler.partialEdge(from.edgeId, from.fraction, to.fraction),
        ])
      : this.assembler.assemble(this.pathThrough(meet, from, to));
  }

  /** The `k` targets fastest to reach from `origin` within `maxSeconds`, fastest first. */
  nearestByTime<Id>(
    origin: EdgeSnap,
    targets: readonly RouteTarget<Id>[],
    k: number,
    maxSeconds: number,
  ): ReachedTarget<Id>[] {
    const { graph, profileGraph, forwardSide } = this;
    return nearestByTime(graph, profileGraph, forwardSide, origin, targets, k, maxSeconds);
  }

  /** Rebuilds origin → meet from forward parents and meet → destination from backward parents. */
  private pathThrough(meet: number, from: EdgeSnap, to: EdgeSnap): RouteEdge[] {
    const { edgeSource, edgeTarget } = this.graph;
    const tailOf = (ref: number) => (ref & 1 ? edgeTarget[ref >> 1] : edgeSource[ref >> 1]);
    const headOf = (ref: number) => (ref & 1 ? edgeSource[ref >> 1] : edgeTarget[ref >> 1]);

    const edges: RouteEdge[] = [];
    // A path visits each node once, so a longer parent chain means corrupt state: fail loudly
    // instead of looping until the heap is exhausted.
    const assertAcyclic = () => {
      if (edges.length > this.graph.nodeCount + 2) throw new Error('RouteSearch: parent cycle');
    };
    for (let node = meet; ; assertAcyclic()) {
      const parent = this.forwardSide.parent[node];
      if (parent < 0) {
        const ref = decodeSeedRef(parent);
        edges.push(this.assembler.partialEdge(from.edgeId, from.fraction, ref & 1 ? 0 : 1));
        break;
      }
      edges.push(this.assembler.fullEdge(parent));
      node = tailOf(parent);
    }
    edges.reverse();
    for (let node = meet; ; assertAcyclic()) {
      const parent = this.backwardSide.parent[node];
      if (parent < 0) {
        const ref = decodeSeedRef(parent);
        edges.push(this.assembler.partialEdge(to.edgeId, ref & 1 ? 1 : 0, to.fraction));
        break;
      }
      edges.push(this.assembler.fullEdge(parent));
      node = headOf(parent);
    }
    return edges;
  }
}
