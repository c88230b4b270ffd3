/**
 * Fastest-path queries on a contraction hierarchy, answering exactly like `RouteSearch.route`:
 * both ends are snapped points on edges, seeded the same way (see search-side.ts), and the route
 * comes back as original edge pieces summed by the same `RouteAssembler`.
 *
 * Each side climbs only towards higher-ranked nodes (`up` arcs from the origin, `down` arcs towards
 * the destination) and stops once its smallest key reaches the best meeting cost. Stall-on-demand
 * skips relaxing a node that a higher neighbour already reaches more cheaply: such a node cannot be
 * on a shortest up-path, and skipping it keeps the search spaces small. The chosen path's arcs are
 * then unpacked, shortcut by shortcut, into the original edge refs.
 */
import type { ProfileName } from '../profiles.js';
import type { ProfileGraph, RoadGraph } from '../road-graph.js';
import { RouteAssembler, type Route, type RouteEdge } from '../route-assembly.js';
import { decodeSeedRef, MEET_ON_SHARED_EDGE, SearchSide, seedBothSides, type EdgeSnap } from '../search-side.js';
import { hierarchyMatches, type ContractionHierarchy, type HierarchyArcs } from './hierarchy.js';


export class ChRouteSearch {
  private readonly profileGraph: ProfileGraph;
  private readonly forwardSide: SearchSide;
  private readonly backwardSide: SearchSide;
  /** The node each side came from (its parent arc lives in that node's list). */
  private readonly forwardFrom: Int32Array;
  private readonly backwardFrom: Int32Array;
  private readonly assembler: RouteAssembler;

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
  }

  /** Fastest route between two snapped points, or `null` when the destination is unreachable. */
  route(from: EdgeSnap, to: EdgeSnap): Route | null {
    const { graph, forwardSide: fwd, backwardSide: bwd } = this;
    const { costs } = this.profileGraph;
    let { best, meet } = seedBothSides(fwd, bwd, graph, costs, from, to);
    const { up, down } = this.hierarchy;
    for (;;) {
      const forwardKey = fwd.heap.peekKey();
      const backwardKey = bwd.heap.peekKey();
      if (Math.min(forwardKey, backwardKey) >= best) break;
      const forward = forwardKey <= backwardKey;
      const side = forward ? fwd : bwd;
      const other = forward ? bwd : fwd;
      const climb = forward ? up : down;
      const cameFrom = forward ? this.forwardFrom : this.backwardFrom;
      const node = side.heap.pop();
      const nodeDist = side.dist[node];
      if (isStalled(side, forward ? down : up, node, nodeDist)) continue;
      for (let arc = climb.offsets[node], end = climb.offsets[node + 1]; arc < end; arc++) {
        const next = climb.heads[arc];
        const dist = nodeDist + climb.weights[arc];
        if (!side.improve(next, dist, 0, arc)) continue;
        cameFrom[next] = node;
        if (other.isReached(next) && dist + other.dist[next] < best) {
          best = dist + other.dist[next];
          meet = next;
        }
      }
    }
    if (best === Infinity) return null;
    if (meet === MEET_ON_SHARED_EDGE) {
      return this.assembler.assemble([
        this.assembler.partialEdge(from.edgeId, from.fraction, to.fraction),
      ]);
    }
    return this.assembler.assemble(this.pathThrough(meet, from, to));
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
