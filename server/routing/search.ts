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
import {
  decodeSeedRef,
  partialCost,
  SearchSide,
  seedDestination,
  seedOrigin,
  sharedEdgeCost,
  type EdgeSnap,
} from './search-side.js';

export type { EdgeSnap } from './search-side.js';
export type { ReachedTarget, RouteTarget } from './nearest-by-time.js';

/** One edge (or part of one) on a route, in travel order. */
export interface RouteEdge {
  edgeId: number;
  /** True when travelled source→target. */
  forward: boolean;
  /** Fractions along the edge (0 = source node) where travel on it starts and ends. */
  fromFraction: number;
  toFraction: number;
  distanceM: number;
  durationS: number;
}

export interface Route {
  /** Graph nodes passed, in order, including an end that lies exactly on a node. */
  nodePath: number[];
  edges: RouteEdge[];
  distanceM: number;
  durationS: number;
}

/** Meeting point meaning "travel straight along the shared edge", no graph node involved. */
const MEET_ON_SHARED_EDGE = -1;

export class RouteSearch {
  private readonly profileGraph: ProfileGraph;
  private readonly forwardSide: SearchSide;
  private readonly backwardSide: SearchSide;

  constructor(
    readonly graph: RoadGraph,
    readonly profile: ProfileName,
  ) {
    this.profileGraph = graph.profile(profile);
    this.forwardSide = new SearchSide(graph.nodeCount);
    this.backwardSide = new SearchSide(graph.nodeCount);
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
    fwd.reset();
    bwd.reset();

    let best = sharedEdgeCost(costs, from, to);
    let meet = MEET_ON_SHARED_EDGE;
    seedOrigin(fwd, graph, costs, from);
    seedDestination(bwd, graph, costs, to);
    // A node both sides already reach at seeding time (the two edges touch) is a first candidate.
    for (const node of [graph.edgeSource[to.edgeId], graph.edgeTarget[to.edgeId]]) {
      if (fwd.isReached(node) && bwd.isReached(node) && fwd.dist[node] + bwd.dist[node] < best) {
        best = fwd.dist[node] + bwd.dist[node];
        meet = node;
      }
    }

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
      ? this.assembleRoute([this.partialEdge(from.edgeId, from.fraction, to.fraction)])
      : this.assembleRoute(this.pathThrough(meet, from, to));
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
        edges.push(this.partialEdge(from.edgeId, from.fraction, ref & 1 ? 0 : 1));
        break;
      }
      edges.push(this.fullEdge(parent));
      node = tailOf(parent);
    }
    edges.reverse();
    for (let node = meet; ; assertAcyclic()) {
      const parent = this.backwardSide.parent[node];
      if (parent < 0) {
        const ref = decodeSeedRef(parent);
        edges.push(this.partialEdge(to.edgeId, ref & 1 ? 1 : 0, to.fraction));
        break;
      }
      edges.push(this.fullEdge(parent));
      node = headOf(parent);
    }
    return edges;
  }

  private fullEdge(ref: number): RouteEdge {
    const edgeId = ref >> 1;
    const forward = (ref & 1) === 0;
    return {
      edgeId,
      forward,
      fromFraction: forward ? 0 : 1,
      toFraction: forward ? 1 : 0,
      distanceM: this.graph.edgeLengthM[edgeId],
      durationS: this.profileGraph.costs[ref],
    };
  }

  private partialEdge(edgeId: number, fromFraction: number, toFraction: number): RouteEdge {
    const forward = toFraction >= fromFraction;
    const span = Math.abs(toFraction - fromFraction);
    const cost = this.profileGraph.costs[edgeId * 2 + (forward ? 0 : 1)];
    return {
      edgeId,
      forward,
      fromFraction,
      toFraction,
      distanceM: span * this.graph.edgeLengthM[edgeId],
      durationS: partialCost(span, cost),
    };
  }

  /**
   * Drops zero-length partial pieces, lists the nodes passed (an end counts when it lies exactly on
   * a node) and sums the totals in travel order.
   */
  private assembleRoute(allEdges: RouteEdge[]): Route {
    const edges = allEdges.filter((edge) => edge.fromFraction !== edge.toFraction);
    const { edgeSource, edgeTarget } = this.graph;
    const nodeAt = (edgeId: number, fraction: number) =>
      fraction === 0 ? edgeSource[edgeId] : fraction === 1 ? edgeTarget[edgeId] : -1;
    const nodePath: number[] = [];
    let distanceM = 0;
    let durationS = 0;
    edges.forEach((edge, index) => {
      if (index === 0 && nodeAt(edge.edgeId, edge.fromFraction) >= 0) {
        nodePath.push(nodeAt(edge.edgeId, edge.fromFraction));
      }
      // Consecutive edges share a node, so each edge contributes only the node it ends on.
      if (nodeAt(edge.edgeId, edge.toFraction) >= 0)
        nodePath.push(nodeAt(edge.edgeId, edge.toFraction));
      distanceM += edge.distanceM;
      durationS += edge.durationS;
    });
    return { nodePath, edges, distanceM, durationS };
  }
}
