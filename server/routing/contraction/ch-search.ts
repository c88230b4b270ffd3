/**
 * Fastest-path queries on a contraction hierarchy, answering exactly like `RouteSearch.route`:
 * both ends are snapped points on edges, seeded the same way (see search-side.ts), and the route
 * comes back as original edge pieces summed by the same `RouteAssembler`.
 *
 * Each side climbs only towards higher-ranked nodes (`up` arcs from the origin, `down` arcs towards
 * the destination) and stops once its smallest key reaches the best meeting cost. Stall-on-demand
 * skips relaxing a node that a higher neighbour already reaches more cheaply: such a node cannot be
 * on a shortest up-path, and skipping it keeps the search spaces small. When the hierarchy has a
 * core (nodes left uncontracted, sharing the top rank), the climb stops at its nodes and a second
 * phase searches the core from where each side entered it. The chosen path's arcs are then
 * unpacked, shortcut by shortcut, into the original edge refs.
 */
import type { ProfileName } from '../profiles.js';
import type { ProfileGraph, RoadGraph } from '../road-graph.js';
import { RouteAssembler, type Route, type RouteEdge } from '../route-assembly.js';
import {
  decodeSeedRef,
  MEET_ON_SHARED_EDGE,
  SearchSide,
  seedBothSides,
  type EdgeSnap,
} from '../search-side.js';
import {
  coreRankOf,
  hierarchyMatches,
  type ContractionHierarchy,
  type HierarchyArcs,
} from './hierarchy.js';

export class ChRouteSearch {
  private readonly profileGraph: ProfileGraph;
  private readonly forwardSide: SearchSide;
  private readonly backwardSide: SearchSide;
  /** The node each side came from (its parent arc lives in that node's list). */
  private readonly forwardFrom: Int32Array;
  private readonly backwardFrom: Int32Array;
  private readonly assembler: RouteAssembler;
  /** The rank the core's nodes share, or -1 when the hierarchy has no core. */
  private readonly coreRank: number;
  /** Core nodes each side reached while climbing (possibly repeated): where phase 2 starts. */
  private readonly forwardEntries: number[] = [];
  private readonly backwardEntries: number[] = [];
  /** The current query's best meeting cost and node. */
  private best = Infinity;
  private meet = MEET_ON_SHARED_EDGE;

  constructor(
    readonly graph: RoadGraph,
    readonly profile: ProfileName,
    readonly hierarchy: ContractionHierarchy,
  ) {
    this.profileGraph = graph.profile(profile);
    if (!hierarchyMatches(hierarchy, graph.nodeCount, this.profileGraph.costs)) {
      throw new Error(`ChRouteSearch: the ${profile} hierarchy was built from another graph`);
    }
    this.forwardSide = new SearchSide(graph.nodeCount);
    this.backwardSide = new SearchSide(graph.nodeCount);
    this.forwardFrom = new Int32Array(graph.nodeCount);
    this.backwardFrom = new Int32Array(graph.nodeCount);
    this.assembler = new RouteAssembler(graph, this.profileGraph);
    this.coreRank = coreRankOf(hierarchy);
  }

  /** Fastest route between two snapped points, or `null` when the destination is unreachable. */
  route(from: EdgeSnap, to: EdgeSnap): Route | null {
    const { graph, forwardSide: fwd, backwardSide: bwd } = this;
    const { costs } = this.profileGraph;
    const seeded = seedBothSides(fwd, bwd, graph, costs, from, to);
    this.best = seeded.best;
    this.meet = seeded.meet;
    this.climbToCore();
    if (this.coreRank >= 0) this.crossCore();
    if (this.best === Infinity) return null;
    if (this.meet === MEET_ON_SHARED_EDGE) {
      return this.assembler.assemble([
        this.assembler.partialEdge(from.edgeId, from.fraction, to.fraction),
      ]);
    }
    return this.assembler.assemble(this.pathThrough(this.meet, from, to));
  }

  /**
   * Phase 1: both upward searches, each stopping once its smallest key reaches the best meeting
   * cost, with stall-on-demand. A core node is not expanded but set aside as an entry to the core.
   */
  private climbToCore(): void {
    const { forwardSide: fwd, backwardSide: bwd, coreRank } = this;
    const { up, down, rank } = this.hierarchy;
    this.forwardEntries.length = 0;
    this.backwardEntries.length = 0;
    for (;;) {
      const forwardKey = fwd.heap.peekKey();
      const backwardKey = bwd.heap.peekKey();
      if (Math.min(forwardKey, backwardKey) >= this.best) break;
      const forward = forwardKey <= backwardKey;
      const side = forward ? fwd : bwd;
      const node = side.heap.pop();
      if (rank[node] === coreRank) {
        (forward ? this.forwardEntries : this.backwardEntries).push(node);
        continue;
      }
      if (isStalled(side, forward ? down : up, node, side.dist[node])) continue;
      this.relax(forward, node);
    }
  }

  /**
   * Phase 2: a plain bidirectional Dijkstra among the core nodes, seeded with the entries each side
   * reached below it. Inside the core both sides search the same graph, so the classic stopping
   * rule holds (the two smallest keys together reach the best meeting cost) and the sides meet in
   * the middle instead of each crossing the whole core.
   */
  private crossCore(): void {
    const { forwardSide: fwd, backwardSide: bwd } = this;
    for (const [side, entries] of [
      [fwd, this.forwardEntries],
      [bwd, this.backwardEntries],
    ] as const) {
      side.heap.clear();
      for (const node of entries) {
        if (side.dist[node] < this.best) side.heap.pushOrDecrease(node, side.dist[node]);
      }
    }
    for (;;) {
      const forwardKey = fwd.heap.peekKey();
      const backwardKey = bwd.heap.peekKey();
      if (forwardKey + backwardKey >= this.best) break;
      const forward = forwardKey <= backwardKey;
      this.relax(forward, (forward ? fwd : bwd).heap.pop());
    }
  }

  /** Relaxes `node`'s climbing arcs on one side, noting any better meeting with the other. */
  private relax(forward: boolean, node: number): void {
    const side = forward ? this.forwardSide : this.backwardSide;
    const other = forward ? this.backwardSide : this.forwardSide;
    const climb = forward ? this.hierarchy.up : this.hierarchy.down;
    const cameFrom = forward ? this.forwardFrom : this.backwardFrom;
    const nodeDist = side.dist[node];
    for (let arc = climb.offsets[node], end = climb.offsets[node + 1]; arc < end; arc++) {
      const next = climb.heads[arc];
      const dist = nodeDist + climb.weights[arc];
      if (!side.improve(next, dist, 0, arc)) continue;
      cameFrom[next] = node;
      if (other.isReached(next) && dist + other.dist[next] < this.best) {
        this.best = dist + other.dist[next];
        this.meet = next;
      }
    }
  }

  /** Bytes of reusable scratch (not counted in the graph or the hierarchy). */
  scratchBytes(): number {
    return (
      this.forwardSide.memoryBytes() +
      this.backwardSide.memoryBytes() +
      this.forwardFrom.byteLength +
      this.backwardFrom.byteLength
    );
  }

  private pathThrough(meet: number, from: EdgeSnap, to: EdgeSnap): RouteEdge[] {
    const { up, down } = this.hierarchy;
    const limit = this.graph.nodeCount + 2;
    // Origin side: walk the parents back from `meet`, then unpack the arcs in travel order.
    const climbed: number[] = [];
    let node = meet;
    let parent = this.forwardSide.parent[node];
    for (; parent >= 0; parent = this.forwardSide.parent[node]) {
      climbed.push(parent);
      node = this.forwardFrom[node];
      if (climbed.length > limit) throw new Error('ChRouteSearch: parent cycle');
    }
    const refs: number[] = [];
    const start = decodeSeedRef(parent);
    for (let i = climbed.length - 1; i >= 0; i--) {
      const arc = climbed[i];
      this.unpack(node, up.heads[arc], up.links[arc], refs);
      node = up.heads[arc];
    }
    // Destination side: each parent arc is travelled from the node towards the one it came from.
    node = meet;
    parent = this.backwardSide.parent[node];
    for (let steps = 0; parent >= 0; parent = this.backwardSide.parent[node]) {
      const next = this.backwardFrom[node];
      this.unpack(node, next, down.links[parent], refs);
      node = next;
      if (++steps > limit) throw new Error('ChRouteSearch: parent cycle');
    }
    const end = decodeSeedRef(parent);
    const edges: RouteEdge[] = [
      this.assembler.partialEdge(from.edgeId, from.fraction, start & 1 ? 0 : 1),
    ];
    for (const ref of refs) edges.push(this.assembler.fullEdge(ref));
    edges.push(this.assembler.partialEdge(to.edgeId, end & 1 ? 1 : 0, to.fraction));
    return edges;
  }

  /** Appends the original edge refs of arc `tail→head` (with `link`), in travel order. */
  private unpack(tail: number, head: number, link: number, refs: number[]): void {
    const { up, down } = this.hierarchy;
    // An explicit stack of [tail, head, link] triples, last pushed = next travelled.
    const stack = [tail, head, link];
    while (stack.length > 0) {
      const l = stack.pop()!;
      const h = stack.pop()!;
      const t = stack.pop()!;
      if (l >= 0) {
        refs.push(l);
        continue;
      }
      const middle = -l - 1;
      const second = findArc(up, middle, h);
      const first = findArc(down, middle, t);
      stack.push(middle, h, up.links[second], t, middle, down.links[first]);
    }
  }
}

/** True when a higher neighbour reaches `node` more cheaply than `dist` (stall-on-demand). */
function isStalled(side: SearchSide, against: HierarchyArcs, node: number, dist: number): boolean {
  for (let arc = against.offsets[node], end = against.offsets[node + 1]; arc < end; arc++) {
    const higher = against.heads[arc];
    if (side.isReached(higher) && side.dist[higher] + against.weights[arc] < dist) return true;
  }
  return false;
}

/** The arc slot of `node` whose head is `head`; a missing one means a corrupt hierarchy. */
function findArc(arcs: HierarchyArcs, node: number, head: number): number {
  for (let arc = arcs.offsets[node], end = arcs.offsets[node + 1]; arc < end; arc++) {
    if (arcs.heads[arc] === head) return arc;
  }
  throw new Error(`ChRouteSearch: shortcut half ${node}→${head} is missing`);
}
