/**
 * How important a node is, for the contraction order, and the contraction itself.
 *
 * Simulating a node's contraction finds the shortcuts it needs (one witness search per live
 * in-neighbour). Its priority then weighs, as OSRM and RoutingKit do:
 * - the edge quotient: shortcuts added per arc removed;
 * - the hop quotient: original edges the added shortcuts stand for per original edge removed, which
 *   keeps shortcuts from piling up over long stretches (a shortcut of many hops is one a query
 *   unpacks but also one that makes the next contractions denser);
 * - the level: one more than the highest contracted neighbour, which spreads the contraction evenly
 *   over the map and keeps the query's upward searches shallow.
 *
 * Weights 2, 4 and 1 are OSRM's; on the 200×200 grid they gave the smallest upward search spaces
 * (442 nodes, 2,240 arcs from a random node) of the mixes tried (1/1/1: 522 and 3,393, with 24% more
 * witness-search work; 2/8/1: 595 and 3,122; level ×2: 477 and 2,588). The order used before
 * (4 × edge difference + contracted neighbours) gave 705 nodes and 7,609 arcs, and 8% more arcs.
 */
import type { DynamicGraph } from './dynamic-graph.js';
import { WitnessSearch } from './witness-search.js';

const EDGE_QUOTIENT_WEIGHT = 2;
const HOP_QUOTIENT_WEIGHT = 4;
const LEVEL_WEIGHT = 1;
/** Nodes a witness search may settle (see witness-search.ts). */
const WITNESS_SETTLE_LIMIT = 1000;

/** Growable typed scratch for a list of (node, weight, hops) triples. */
class ArcList {
  node = new Int32Array(64);
  weight = new Float64Array(64);
  hops = new Int32Array(64);
  count = 0;

  push(node: number, weight: number, hops: number): void {
    if (this.count === this.node.length) {
      const grow = <T extends Int32Array | Float64Array>(old: T): T => {
        const next = new (old.constructor as new (n: number) => T)(old.length * 2);
        next.set(old);
        return next;
      };
      this.node = grow(this.node);
      this.weight = grow(this.weight);
      this.hops = grow(this.hops);
    }
    this.node[this.count] = node;
    this.weight[this.count] = weight;
    this.hops[this.count++] = hops;
  }
}

export class NodePriority {
  private readonly level: Int32Array;
  private readonly witness: WitnessSearch;
  /** The simulated node's live in-arcs and out-arcs (node = the other end). */
  private readonly ins = new ArcList();
  private readonly outs = new ArcList();
  /** The shortcuts it needs: tails in `shortcutTails`, heads etc. in `shortcuts`. */
  private readonly shortcuts = new ArcList();
  private shortcutTails = new Int32Array(64);
  /** Per out-neighbour, the cost through the simulated node from the current in-neighbour. */
  private viaCosts = new Float64Array(64);
  private simulated = -1;

  constructor(private readonly graph: DynamicGraph) {
    this.level = new Int32Array(graph.nodeCount);
    this.witness = new WitnessSearch(graph);
  }

  /** Simulates contracting `node` and returns its priority. */
  simulate(node: number): number {
    this.findShortcuts(node);
    this.simulated = node;
    const removed = this.ins.count + this.outs.count;
    if (removed === 0) return LEVEL_WEIGHT * this.level[node];
    let removedHops = 0;
    for (let i = 0; i < this.ins.count; i++) removedHops += this.ins.hops[i];
    for (let i = 0; i < this.outs.count; i++) removedHops += this.outs.hops[i];
    let addedHops = 0;
    for (let i = 0; i < this.shortcuts.count; i++) addedHops += this.shortcuts.hops[i];
    return (
      (EDGE_QUOTIENT_WEIGHT * this.shortcuts.count) / removed +
      (HOP_QUOTIENT_WEIGHT * addedHops) / removedHops +
      LEVEL_WEIGHT * this.level[node]
    );
  }

  /** Contracts `node`, which must be the node simulated last: adds its shortcuts, removes it. */
  contract(node: number): void {
    if (node !== this.simulated) throw new Error(`NodePriority: node ${node} was not simulated`);
    const { graph, shortcuts, level } = this;
    for (let i = 0; i < shortcuts.count; i++) {
      const tail = this.shortcutTails[i];
      graph.addArc(tail, shortcuts.node[i], shortcuts.weight[i], -(node + 1), shortcuts.hops[i]);
    }
    const next = level[node] + 1;
    for (const list of [this.ins, this.outs]) {
      for (let i = 0; i < list.count; i++) {
        if (level[list.node[i]] < next) level[list.node[i]] = next;
      }
    }
    graph.removeNode(node);
    this.simulated = -1;
  }

  /** The shortcuts contracting `node` needs: one witness search per live in-neighbour. */
  private findShortcuts(node: number): void {
    this.collectArcs(node);
    const { ins, outs, shortcuts, witness } = this;
    shortcuts.count = 0;
    if (ins.count === 0 || outs.count === 0) return;
    if (this.viaCosts.length < outs.count) this.viaCosts = new Float64Array(outs.node.length);
    const { viaCosts } = this;
    for (let i = 0; i < ins.count; i++) {
      const from = ins.node[i];
      for (let j = 0; j < outs.count; j++) viaCosts[j] = ins.weight[i] + outs.weight[j];
      witness.run(from, node, outs.node, viaCosts, outs.count, WITNESS_SETTLE_LIMIT);
      for (let j = 0; j < outs.count; j++) {
        const to = outs.node[j];
        if (to === from) continue;
        const viaNode = ins.weight[i] + outs.weight[j];
        if (witness.distanceTo(to) <= viaNode) continue;
        if (shortcuts.count === this.shortcutTails.length) {
          const tails = new Int32Array(this.shortcutTails.length * 2);
          tails.set(this.shortcutTails);
          this.shortcutTails = tails;
        }
        this.shortcutTails[shortcuts.count] = from;
        shortcuts.push(to, viaNode, ins.hops[i] + outs.hops[j]);
      }
    }
  }

  /** Live in- and out-arcs of `node`: the other end, weight and hop count. */
  private collectArcs(node: number): void {
    const { graph, ins, outs } = this;
    for (const [list, blocks] of [
      [ins, graph.ins],
      [outs, graph.outs],
    ] as const) {
      list.count = 0;
      for (let i = blocks.start[node], end = i + blocks.count[node]; i < end; i++) {
        list.push(blocks.heads[i], blocks.weights[i], graph.hops[blocks.entries[i]]);
      }
    }
  }
}
