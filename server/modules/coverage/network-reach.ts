/**
 * Service areas on the road network: which parts of which streets lie within `limitS` seconds of
 * the nearest open station, travelling towards it (a worker walks *to* a station, so one-way
 * streets count in that direction). One multi-source Dijkstra over the reverse graph gives every
 * node's seconds to the nearest station; each edge then contributes the parts of it (partial edges
 * included) from which the remaining time is enough.
 */
import { IndexedMinHeap } from '../../routing/min-heap.js';
import type { ProfileName } from '../../routing/profiles.js';
import type { RoadGraph } from '../../routing/road-graph.js';
import { partialCost, type EdgeSnap } from '../../routing/search-side.js';

/** A reached stretch of one edge, as fractions of its length from its source node. */
export interface ReachedPiece {
  edgeId: number;
  from: number;
  to: number;
}

export interface NetworkReach {
  /** Seconds from each node to the nearest station; Infinity where beyond the limit. */
  nodeSeconds: Float64Array;
  pieces: ReachedPiece[];
}

export function reachWithin(
  graph: RoadGraph,
  profile: ProfileName,
  stations: EdgeSnap[],
  limitS: number,
): NetworkReach {
  const { costs, reverse } = graph.profile(profile);
  const dist = new Float64Array(graph.nodeCount).fill(Infinity);
  const heap = new IndexedMinHeap(graph.nodeCount);
  const relax = (node: number, seconds: number) => {
    if (seconds <= limitS && seconds < dist[node]!) {
      dist[node] = seconds;
      heap.pushOrDecrease(node, seconds);
    }
  };
  // From a node, a worker reaches a station standing on an edge by travelling part of that edge.
  for (const { edgeId, fraction } of stations) {
    relax(graph.edgeSource[edgeId]!, partialCost(fraction, costs[edgeId * 2]!));
    relax(graph.edgeTarget[edgeId]!, partialCost(1 - fraction, costs[edgeId * 2 + 1]!));
  }
  const settled = new Uint8Array(graph.nodeCount);
  while (heap.size > 0) {
    const node = heap.pop();
    settled[node] = 1;
    // Reverse arcs of `node`: edges travelled *into* it, from the neighbour `heads[i]`.
    for (let i = reverse.offsets[node]!; i < reverse.offsets[node + 1]!; i++) {
      const neighbour = reverse.heads[i]!;
      if (!settled[neighbour]) relax(neighbour, dist[node]! + costs[reverse.refs[i]!]!);
    }
  }

  const onEdge = new Map<number, number[]>();
  for (const { edgeId, fraction } of stations) {
    const list = onEdge.get(edgeId) ?? [];
    list.push(fraction);
    onEdge.set(edgeId, list);
  }
  const pieces: ReachedPiece[] = [];
  for (let e = 0; e < graph.edgeCount; e++) {
    const toTarget = costs[e * 2]!; // seconds source→target for the whole edge
    const toSource = costs[e * 2 + 1]!;
    const intervals: Array<[number, number]> = [];
    const atSource = dist[graph.edgeSource[e]!]!;
    const atTarget = dist[graph.edgeTarget[e]!]!;
    // A worker at fraction f walks back to the source (f of the edge, target→source) …
    if (atSource <= limitS)
      intervals.push([0, toSource === Infinity ? 0 : Math.min(1, (limitS - atSource) / toSource)]);
    // … or on to the target ((1 − f) of the edge, source→target).
    if (atTarget <= limitS)
      intervals.push([
        toTarget === Infinity ? 1 : Math.max(0, 1 - (limitS - atTarget) / toTarget),
        1,
      ]);
    for (const g of onEdge.get(e) ?? []) {
      const before = toTarget === Infinity ? g : Math.max(0, g - limitS / toTarget);
      const after = toSource === Infinity ? g : Math.min(1, g + limitS / toSource);
      intervals.push([before, after]);
    }
    for (const [from, to] of mergeIntervals(intervals)) {
      if (to > from) pieces.push({ edgeId: e, from, to });
    }
  }
  return { nodeSeconds: dist, pieces };
}

function mergeIntervals(intervals: Array<[number, number]>): Array<[number, number]> {
  const sorted = intervals.filter(([a, b]) => b >= a).sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = merged.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}
