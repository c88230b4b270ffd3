/**
 * Service areas on the road network: which parts of which streets lie within `limitS` seconds of
 * the nearest open station, travelling towards it (a worker walks *to* a station, so one-way
 * streets count in that direction). One multi-source Dijkstra over the reverse graph gives every
 * node's seconds to the nearest station; each edge touched by the search then contributes the
 * parts of it (partial edges included) from which the remaining time is enough.
 *
 * `multiSourceReach` is a pure function of typed arrays (no graph object, no closures over the
 * process), so it can run in a worker thread: post the profile's arrays (or share them through
 * SharedArrayBuffers) and the seeds, and transfer the result's buffers back. Its cost is linear in
 * the part of the network reached (plus one O(nodes) fill of the time array).
 */
import { IndexedMinHeap } from '../../routing/min-heap.js';
import type { ProfileName } from '../../routing/profiles.js';
import type { RoadGraph } from '../../routing/road-graph.js';
import type { EdgeSnap } from '../../routing/search-side.js';

/** A reached stretch of one edge, as fractions of its length from its source node. */
export interface ReachedPiece {
  edgeId: number;
  from: number;
  to: number;
}

/** What the search reads: one profile's reverse adjacency and costs, and the edges' ends. */
export interface ReachGraphArrays {
  nodeCount: number;
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  /** Seconds per edge ref (2e: source→target, 2e+1: target→source); Infinity = no access. */
  costs: Float32Array;
  /** Arcs entering each node (CSR): from `heads[i]` along edge ref `refs[i]`. */
  reverseOffsets: Int32Array;
  reverseHeads: Int32Array;
  reverseRefs: Int32Array;
}

/** The search's answer, as transferable typed arrays. */
export interface ReachResult {
  /** Seconds from each node to the nearest station; Infinity where beyond the limit. */
  nodeSeconds: Float64Array;
  /** Reached pieces: edge id and the fractions (from < to) bounding each. */
  pieceEdges: Int32Array;
  pieceFrom: Float64Array;
  pieceTo: Float64Array;
}

export function reachArrays(graph: RoadGraph, profile: ProfileName): ReachGraphArrays {
  const { costs, reverse } = graph.profile(profile);
  return {
    nodeCount: graph.nodeCount,
    edgeSource: graph.edgeSource,
    edgeTarget: graph.edgeTarget,
    costs,
    reverseOffsets: reverse.offsets,
    reverseHeads: reverse.heads,
    reverseRefs: reverse.refs,
  };
}

/** Seconds to travel `span` (0‥1) of a direction costing `cost`; standing still is free. */
const partial = (span: number, cost: number) => (span === 0 ? 0 : span * cost);

/**
 * One multi-source search from every seed (a station standing at `seedFractions[i]` of edge
 * `seedEdges[i]`), bounded by `limitS`, then the reached pieces of every edge it touched.
 */
export function multiSourceReach(
  g: ReachGraphArrays,
  seedEdges: Int32Array,
  seedFractions: Float64Array,
  limitS: number,
): ReachResult {
  const { costs, edgeSource, edgeTarget, reverseOffsets, reverseHeads, reverseRefs } = g;
  const dist = new Float64Array(g.nodeCount).fill(Infinity);
  const heap = new IndexedMinHeap(g.nodeCount);
  const relax = (node: number, seconds: number) => {
    if (seconds <= limitS && seconds < dist[node]!) {
      dist[node] = seconds;
      heap.pushOrDecrease(node, seconds);
    }
  };
  // From a node, a worker reaches a station standing on an edge by travelling part of that edge.
  for (let i = 0; i < seedEdges.length; i++) {
    const e = seedEdges[i]!;
    const f = seedFractions[i]!;
    relax(edgeSource[e]!, partial(f, costs[e * 2]!));
    relax(edgeTarget[e]!, partial(1 - f, costs[e * 2 + 1]!));
  }
  // Edges touched: every edge entering a settled node, and the seeds' own edges.
  const touched: number[] = [];
  const seen = new Uint8Array(edgeSource.length);
  const touch = (e: number) => {
    if (!seen[e]) {
      seen[e] = 1;
      touched.push(e);
    }
  };
  for (let i = 0; i < seedEdges.length; i++) touch(seedEdges[i]!);
  while (heap.size > 0) {
    const node = heap.pop();
    const atNode = dist[node]!;
    // Reverse arcs of `node`: edges travelled *into* it, from the neighbour `heads[i]`. A settled
    // neighbour already holds a time ≤ atNode, so relax's comparison skips it.
    for (let i = reverseOffsets[node]!; i < reverseOffsets[node + 1]!; i++) {
      const ref = reverseRefs[i]!;
      touch(ref >> 1);
      relax(reverseHeads[i]!, atNode + costs[ref]!);
    }
  }

  // Seeds per edge, so each touched edge finds the stations standing on it.
  const seedOrder = Array.from(seedEdges.keys()).sort((a, b) => seedEdges[a]! - seedEdges[b]!);
  const seedsOn = new Map<number, number[]>();
  for (const i of seedOrder) {
    const list = seedsOn.get(seedEdges[i]!);
    if (list) list.push(seedFractions[i]!);
    else seedsOn.set(seedEdges[i]!, [seedFractions[i]!]);
  }
  touched.sort((a, b) => a - b);
  const edges: number[] = [];
  const froms: number[] = [];
  const tos: number[] = [];
  const intervals: Array<[number, number]> = [];
  for (const e of touched) {
    const toTarget = costs[e * 2]!; // seconds source→target for the whole edge
    const toSource = costs[e * 2 + 1]!;
    intervals.length = 0;
    const atSource = dist[edgeSource[e]!]!;
    const atTarget = dist[edgeTarget[e]!]!;
    // A worker at fraction f walks back to the source (f of the edge, target→source) …
    if (atSource <= limitS)
      intervals.push([0, toSource === Infinity ? 0 : Math.min(1, (limitS - atSource) / toSource)]);
    // … or on to the target ((1 − f) of the edge, source→target).
    if (atTarget <= limitS)
      intervals.push([
        toTarget === Infinity ? 1 : Math.max(0, 1 - (limitS - atTarget) / toTarget),
        1,
      ]);
    for (const s of seedsOn.get(e) ?? []) {
      const before = toTarget === Infinity ? s : Math.max(0, s - limitS / toTarget);
      const after = toSource === Infinity ? s : Math.min(1, s + limitS / toSource);
      intervals.push([before, after]);
    }
    for (const [from, to] of mergeIntervals(intervals)) {
      if (to > from) {
        edges.push(e);
        froms.push(from);
        tos.push(to);
      }
    }
  }
  return {
    nodeSeconds: dist,
    pieceEdges: Int32Array.from(edges),
    pieceFrom: Float64Array.from(froms),
    pieceTo: Float64Array.from(tos),
  };
}

export interface NetworkReach {
  /** Seconds from each node to the nearest station; Infinity where beyond the limit. */
  nodeSeconds: Float64Array;
  pieces: ReachedPiece[];
  /** The same pieces as typed arrays. */
  result: ReachResult;
}

/** `multiSourceReach` on a loaded graph, with the pieces also as objects. */
export function reachWithin(
  graph: RoadGraph,
  profile: ProfileName,
  stations: EdgeSnap[],
  limitS: number,
): NetworkReach {
  const result = multiSourceReach(
    reachArrays(graph, profile),
    Int32Array.from(stations, (s) => s.edgeId),
    Float64Array.from(stations, (s) => s.fraction),
    limitS,
  );
  const pieces = Array.from(result.pieceEdges, (edgeId, i) => ({
    edgeId,
    from: result.pieceFrom[i]!,
    to: result.pieceTo[i]!,
  }));
  return { nodeSeconds: result.nodeSeconds, pieces, result };
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
