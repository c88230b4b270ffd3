/**
 * What each candidate site covers under a network rule: the demand (points on streets) from which a
 * worker gets *to* the site within the time. One bounded Dijkstra per candidate over the reverse
 * graph (arcs entering a node), so one-way streets count in the worker's direction of travel; each
 * settled node then hands its time on to the demand lying on the streets that enter it.
 */
import type { ProfileName } from '../../routing/profiles.js';
import type { RoadGraph } from '../../routing/road-graph.js';
import { partialCost, SearchSide, type EdgeSnap } from '../../routing/search-side.js';

/** Demand points on the network, grouped by edge so a node can find those on its streets. */
export interface NetworkDemand {
  /** The demand points' positions, by demand index. */
  snaps: EdgeSnap[];
  /** Demand indices on edge `e` are `byEdge.items[byEdge.offsets[e] … offsets[e + 1] - 1]`. */
  byEdge: { offsets: Int32Array; items: Int32Array };
}

export function indexDemandByEdge(graph: RoadGraph, snaps: EdgeSnap[]): NetworkDemand {
  const offsets = new Int32Array(graph.edgeCount + 1);
  for (const s of snaps) offsets[s.edgeId + 1]! += 1;
  for (let e = 0; e < graph.edgeCount; e++) offsets[e + 1]! += offsets[e]!;
  const items = new Int32Array(snaps.length);
  const cursor = offsets.slice(0, graph.edgeCount);
  snaps.forEach((s, i) => (items[cursor[s.edgeId]!++] = i));
  return { snaps, byEdge: { offsets, items } };
}

/** Seconds from a point on an edge to another point on the same edge, along it. */
function alongEdge(costs: Float32Array, edgeId: number, from: number, to: number): number {
  return to >= from
    ? partialCost(to - from, costs[edgeId * 2]!)
    : partialCost(from - to, costs[edgeId * 2 + 1]!);
}

/**
 * Reusable state for many candidate searches on one graph and profile: the Dijkstra scratch is
 * sized once and reset in O(1) per candidate (stamped entries).
 */
export class CandidateReach {
  private readonly side: SearchSide;
  private readonly seen: Uint32Array;
  private stamp = 0;

  constructor(
    private readonly graph: RoadGraph,
    private readonly profile: ProfileName,
    private readonly demand: NetworkDemand,
    private readonly limitS: number,
  ) {
    this.side = new SearchSide(graph.nodeCount);
    this.seen = new Uint32Array(demand.snaps.length);
  }

  /** Indices of the demand points from which the site is reached within the limit. */
  covers(site: EdgeSnap): Int32Array {
    const { graph, limitS, side } = this;
    const { costs, reverse } = graph.profile(this.profile);
    const { offsets, items } = this.demand.byEdge;
    const snaps = this.demand.snaps;
    this.stamp += 1;
    const found: number[] = [];
    const take = (d: number, seconds: number) => {
      if (seconds <= limitS && this.seen[d] !== this.stamp) {
        this.seen[d] = this.stamp;
        found.push(d);
      }
    };
    // Demand on the site's own street walks straight along it.
    for (let i = offsets[site.edgeId]!; i < offsets[site.edgeId + 1]!; i++) {
      const d = items[i]!;
      take(d, alongEdge(costs, site.edgeId, snaps[d]!.fraction, site.fraction));
    }
    side.reset();
    // From the edge's ends a worker reaches the site by travelling part of its edge.
    const fromSource = partialCost(site.fraction, costs[site.edgeId * 2]!);
    const fromTarget = partialCost(1 - site.fraction, costs[site.edgeId * 2 + 1]!);
    if (fromSource <= limitS) side.improve(graph.edgeSource[site.edgeId]!, fromSource, 0, -1);
    if (fromTarget <= limitS) side.improve(graph.edgeTarget[site.edgeId]!, fromTarget, 0, -1);
    while (side.heap.size > 0) {
      const node = side.heap.pop();
      const atNode = side.dist[node]!;
      // Arcs entering `node`: from neighbour heads[i] along ref; demand on that edge uses part of it.
      for (let i = reverse.offsets[node]!; i < reverse.offsets[node + 1]!; i++) {
        const ref = reverse.refs[i]!;
        const cost = costs[ref]!;
        const edgeId = ref >> 1;
        // ref 2e runs source→target (enters the target): a point at f travels (1 − f) of it.
        const intoTarget = (ref & 1) === 0;
        for (let j = offsets[edgeId]!; j < offsets[edgeId + 1]!; j++) {
          const d = items[j]!;
          const f = snaps[d]!.fraction;
          take(d, atNode + partialCost(intoTarget ? 1 - f : f, cost));
        }
        const next = atNode + cost;
        if (next <= limitS) side.improve(reverse.heads[i]!, next, 0, ref);
      }
    }
    return Int32Array.from(found);
  }
}

/**
 * Demand already served by the fixed (open) stations: the time from each node to the nearest
 * station (reverse multi-source search, `nodeSeconds`), continued along each demand point's edge,
 * or straight along a street a station stands on.
 */
export function coveredByStations(
  graph: RoadGraph,
  profile: ProfileName,
  demand: NetworkDemand,
  stations: EdgeSnap[],
  nodeSeconds: Float64Array,
  limitS: number,
): boolean[] {
  const { costs } = graph.profile(profile);
  const stationsOnEdge = new Map<number, number[]>();
  for (const s of stations) {
    stationsOnEdge.set(s.edgeId, [...(stationsOnEdge.get(s.edgeId) ?? []), s.fraction]);
  }
  return demand.snaps.map(({ edgeId, fraction }) => {
    const viaSource =
      nodeSeconds[graph.edgeSource[edgeId]!]! + partialCost(fraction, costs[edgeId * 2 + 1]!);
    const viaTarget =
      nodeSeconds[graph.edgeTarget[edgeId]!]! + partialCost(1 - fraction, costs[edgeId * 2]!);
    if (Math.min(viaSource, viaTarget) <= limitS) return true;
    return (stationsOnEdge.get(edgeId) ?? []).some(
      (g) => alongEdge(costs, edgeId, fraction, g) <= limitS,
    );
  });
}
