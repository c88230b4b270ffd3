/**
 * Scratch state for one direction of a Dijkstra search, sized to the graph once and reused by every
 * query. Entries are valid only when their stamp equals the current query's stamp, so starting a new
 * query is O(1) instead of clearing arrays proportional to the graph.
 */
import { IndexedMinHeap } from './min-heap.js';
import type { RoadGraph } from './road-graph.js';

/** A position on an edge: `fraction` 0 is the edge's source node, 1 its target node. */
export interface EdgeSnap {
  edgeId: number;
  fraction: number;
}

/**
 * `parent[node]` holds the edge ref that reached the node. Nodes reached directly from a snapped end
 * (the partial edge) store `-(ref + 1)` instead, so the path can be rebuilt without a virtual node.
 */
export function encodeSeedRef(ref: number): number {
  return -(ref + 1);
}

export function decodeSeedRef(parent: number): number {
  return -parent - 1;
}

/**
 * Seconds to travel `span` (0‥1) of an edge direction costing `cost`. A zero span is free even on a
 * direction without access: standing on the node needs no travel.
 */
export function partialCost(span: number, cost: number): number {
  return span === 0 ? 0 : span * cost;
}

export class SearchSide {
  readonly dist: Float64Array;
  /** Metres travelled along the best known path, kept next to `dist` for distance reporting. */
  readonly travelled: Float64Array;
  readonly parent: Int32Array;
  readonly heap: IndexedMinHeap;
  private readonly stampOf: Uint32Array;
  private stamp = 0;

  constructor(nodeCount: number) {
    this.dist = new Float64Array(nodeCount);
    this.travelled = new Float64Array(nodeCount);
    this.parent = new Int32Array(nodeCount);
    this.stampOf = new Uint32Array(nodeCount);
    this.heap = new IndexedMinHeap(nodeCount);
  }

  /** Begins a new query: forgets every node and empties the heap. */
  reset(): void {
    this.heap.clear();
    if (this.stamp === 0xffffffff) {
      // After 4 billion queries the stamps wrap; clear once so old entries cannot look current.
      this.stampOf.fill(0);
      this.stamp = 0;
    }
    this.stamp++;
  }

  isReached(node: number): boolean {
    return this.stampOf[node] === this.stamp;
  }

  /** Records a path to `node` if it beats the known one; returns whether it did. */
  improve(node: number, dist: number, travelled: number, parent: number): boolean {
    if (this.stampOf[node] === this.stamp && this.dist[node] <= dist) return false;
    this.stampOf[node] = this.stamp;
    this.dist[node] = dist;
    this.travelled[node] = travelled;
    this.parent[node] = parent;
    this.heap.pushOrDecrease(node, dist);
    return true;
  }

  /** Bytes of scratch held by this side. */
  memoryBytes(): number {
    const heapBytes = this.heap.capacity * (4 + 8 + 4);
    return (
      this.dist.byteLength +
      this.travelled.byteLength +
      this.parent.byteLength +
      this.stampOf.byteLength +
      heapBytes
    );
  }
}

/** Cost of travelling straight along the edge both points lie on; Infinity when they do not. */
export function sharedEdgeCost(costs: Float32Array, from: EdgeSnap, to: EdgeSnap): number {
  if (from.edgeId !== to.edgeId) return Infinity;
  return to.fraction >= from.fraction
    ? partialCost(to.fraction - from.fraction, costs[from.edgeId * 2])
    : partialCost(from.fraction - to.fraction, costs[from.edgeId * 2 + 1]);
}

/** Starts a forward search at both ends of the origin's edge, each at its partial-edge cost. */
export function seedOrigin(
  side: SearchSide,
  graph: RoadGraph,
  costs: Float32Array,
  { edgeId, fraction }: EdgeSnap,
): void {
  const length = graph.edgeLengthM[edgeId];
  const rest = 1 - fraction;
  const toTarget = partialCost(rest, costs[edgeId * 2]);
  const toSource = partialCost(fraction, costs[edgeId * 2 + 1]);
  if (toTarget !== Infinity) {
    side.improve(graph.edgeTarget[edgeId], toTarget, rest * length, encodeSeedRef(edgeId * 2));
  }
  if (toSource !== Infinity) {
    side.improve(
      graph.edgeSource[edgeId],
      toSource,
      fraction * length,
      encodeSeedRef(edgeId * 2 + 1),
    );
  }
}

/** Starts a backward search at both ends of the destination's edge (costs to reach the point). */
export function seedDestination(
  side: SearchSide,
  graph: RoadGraph,
  costs: Float32Array,
  { edgeId, fraction }: EdgeSnap,
): void {
  const length = graph.edgeLengthM[edgeId];
  const rest = 1 - fraction;
  const fromSource = partialCost(fraction, costs[edgeId * 2]);
  const fromTarget = partialCost(rest, costs[edgeId * 2 + 1]);
  if (fromSource !== Infinity) {
    side.improve(
      graph.edgeSource[edgeId],
      fromSource,
      fraction * length,
      encodeSeedRef(edgeId * 2),
    );
  }
  if (fromTarget !== Infinity) {
    side.improve(
      graph.edgeTarget[edgeId],
      fromTarget,
      rest * length,
      encodeSeedRef(edgeId * 2 + 1),
    );
  }
}

/** Meeting point meaning "travel straight along the shared edge", no graph node involved. */
export const MEET_ON_SHARED_EDGE = -1;

/**
 * Resets both sides of a bidirectional search and seeds them from the snapped ends; returns the
 * best route known before any node is settled: along the shared edge, or through a node both
 * sides reach at seeding time (the two edges touch). Plain Dijkstra and the hierarchy's upward
 * search start the same way.
 */
export function seedBothSides(
  fwd: SearchSide,
  bwd: SearchSide,
  graph: RoadGraph,
  costs: Float32Array,
  from: EdgeSnap,
  to: EdgeSnap,
): { best: number; meet: number } {
  fwd.reset();
  bwd.reset();
  let best = sharedEdgeCost(costs, from, to);
  let meet = MEET_ON_SHARED_EDGE;
  seedOrigin(fwd, graph, costs, from);
  seedDestination(bwd, graph, costs, to);
  for (const node of [graph.edgeSource[to.edgeId]!, graph.edgeTarget[to.edgeId]!]) {
    if (fwd.isReached(node) && bwd.isReached(node) && fwd.dist[node]! + bwd.dist[node]! < best) {
      best = fwd.dist[node]! + bwd.dist[node]!;
      meet = node;
    }
  }
  return { best, meet };
}
