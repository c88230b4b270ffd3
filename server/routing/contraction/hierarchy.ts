/**
 * A finished contraction hierarchy for one profile, in compact CSR arrays.
 *
 * Every arc `a→b` (original or shortcut) is kept once, at its lower-ranked end:
 * - `up` at `a` when `rank[b] > rank[a]`: the arcs the search from the origin climbs;
 * - `down` at `b` when `rank[a] > rank[b]`, pointing back at `a`: the arcs the search from the
 *   destination climbs, against travel direction.
 * The nodes left uncontracted (the core, see contract.ts) share the top rank; an arc between two of
 * them is kept twice, in `up` at `a` and in `down` at `b`, so both searches roam the core freely.
 * `links` says what an arc stands for: an edge ref (≥ 0) for an original arc, `-(middle + 1)` for a
 * shortcut through `middle`. A shortcut's two halves are found at its middle node (ranked below
 * both ends): `tail→middle` in the middle's `down` list, `middle→head` in its `up` list.
 */
import type { DynamicGraph } from './dynamic-graph.js';
import type { ContractionInput } from './contract.js';

export interface HierarchyArcs {
  /** Arcs of node `n` are `offsets[n]` ‥ `offsets[n + 1] - 1`. */
  offsets: Int32Array;
  heads: Int32Array;
  /** Seconds, in float64: a shortcut's weight is the exact sum of its halves. */
  weights: Float64Array;
  links: Int32Array;
}

export interface ContractionHierarchy {
  nodeCount: number;
  /** Edge refs of the graph it was built from (2 per edge); a mismatch means another graph. */
  refCount: number;
  /** Hash of the profile's per-ref costs, so a hierarchy is never used with other costs. */
  costsHash: number;
  rank: Int32Array;
  up: HierarchyArcs;
  down: HierarchyArcs;
}

export function hierarchyFromContraction(
  input: ContractionInput,
  graph: DynamicGraph,
  rank: Int32Array,
): ContractionHierarchy {
  const { nodeCount } = input;
  const arcCount = graph.arcCount;
  const { tail, head } = graph;
  // Core arcs (both ends share the top rank) go in both lists: each side searches the core freely.
  const isUp = (arc: number) => rank[head[arc]] >= rank[tail[arc]];
  const isDown = (arc: number) => rank[tail[arc]] >= rank[head[arc]];
  const up = emptyArcs(nodeCount);
  const down = emptyArcs(nodeCount);
  for (let arc = 0; arc < arcCount; arc++) {
    if (isUp(arc)) up.offsets[tail[arc] + 1]++;
    if (isDown(arc)) down.offsets[head[arc] + 1]++;
  }
  for (const arcs of [up, down]) {
    for (let n = 0; n < nodeCount; n++) arcs.offsets[n + 1] += arcs.offsets[n];
    const total = arcs.offsets[nodeCount];
    arcs.heads = new Int32Array(total);
    arcs.weights = new Float64Array(total);
    arcs.links = new Int32Array(total);
  }
  const place = (arcs: HierarchyArcs, slot: number, other: number, arc: number) => {
    arcs.heads[slot] = other;
    arcs.weights[slot] = graph.weight[arc];
    arcs.links[slot] = graph.link[arc];
  };
  const upCursor = up.offsets.slice(0, nodeCount);
  const downCursor = down.offsets.slice(0, nodeCount);
  for (let arc = 0; arc < arcCount; arc++) {
    if (isUp(arc)) place(up, upCursor[tail[arc]]++, head[arc], arc);
    if (isDown(arc)) place(down, downCursor[head[arc]]++, tail[arc], arc);
  }
  return {
    nodeCount,
    refCount: input.costs.length,
    costsHash: hashCosts(input.costs),
    rank,
    up,
    down,
  };
}

/** The core's rank (shared by the nodes left uncontracted), or -1 when every node was contracted. */
export function coreRankOf(hierarchy: ContractionHierarchy): number {
  const { rank } = hierarchy;
  let top = -1;
  let atTop = 0;
  for (let n = 0; n < rank.length; n++) {
    if (rank[n] > top) {
      top = rank[n];
      atTop = 1;
    } else if (rank[n] === top) atTop++;
  }
  return atTop > 1 ? top : -1;
}

/** Nodes in the core (0 when every node was contracted). */
export function coreSizeOf(hierarchy: ContractionHierarchy): number {
  const coreRank = coreRankOf(hierarchy);
  if (coreRank < 0) return 0;
  let size = 0;
  for (let n = 0; n < hierarchy.rank.length; n++) if (hierarchy.rank[n] === coreRank) size++;
  return size;
}

function emptyArcs(nodeCount: number): HierarchyArcs {
  return {
    offsets: new Int32Array(nodeCount + 1),
    heads: new Int32Array(0),
    weights: new Float64Array(0),
    links: new Int32Array(0),
  };
}

/** FNV-1a over the costs' float32 bits: cheap, and any changed travel time changes it. */
export function hashCosts(costs: Float32Array): number {
  const bits = new Uint32Array(costs.buffer, costs.byteOffset, costs.length);
  let hash = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) {
    hash = Math.imul(hash ^ bits[i], 0x01000193) >>> 0;
  }
  return hash;
}

/** Whether `hierarchy` was built from exactly this graph profile (node count, refs and costs). */
export function hierarchyMatches(
  hierarchy: ContractionHierarchy,
  nodeCount: number,
  costs: Float32Array,
): boolean {
  return (
    hierarchy.nodeCount === nodeCount &&
    hierarchy.refCount === costs.length &&
    hierarchy.costsHash === hashCosts(costs)
  );
}

/** Bytes held by the hierarchy's arrays. */
export function hierarchyBytes(hierarchy: ContractionHierarchy): number {
  let bytes = hierarchy.rank.byteLength;
  for (const arcs of [hierarchy.up, hierarchy.down]) {
    bytes += arcs.offsets.byteLength + arcs.heads.byteLength;
    bytes += arcs.weights.byteLength + arcs.links.byteLength;
  }
  return bytes;
}
