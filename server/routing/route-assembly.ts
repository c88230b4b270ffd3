/**
 * Turns the edges a search chose into a `Route`: full and partial edge pieces with their
 * distances and durations, summed in travel order. Shared by the plain Dijkstra (`RouteSearch`)
 * and the contraction-hierarchy search, so both report a path the same way to the last bit: the
 * same edges give the same float sums.
 */
import type { ProfileGraph, RoadGraph } from './road-graph.js';
import { partialCost } from './search-side.js';

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

export class RouteAssembler {
  constructor(
    private readonly graph: RoadGraph,
    private readonly profileGraph: ProfileGraph,
  ) {}

  /** A whole edge travelled along `ref`. */
  fullEdge(ref: number): RouteEdge {
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

  partialEdge(edgeId: number, fromFraction: number, toFraction: number): RouteEdge {
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
  assemble(allEdges: RouteEdge[]): Route {
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
