/**
 * The graph being contracted. Every arc (original or shortcut) gets a stable id in one growable
 * pool (tail, head, weight, link, hops); the pool ends up holding exactly the hierarchy's arcs.
 *
 * Only arcs between not-yet-contracted nodes are *live*: each live node has an out-block and an
 * in-block of arc ids, and contracting a node removes its arcs from its neighbours' blocks. So the
 * witness searches, which dominate the build, walk short contiguous lists with no dead arcs in
 * them; out-blocks also keep the head and weight next to the id, so a search never leaves the block.
 *
 * At most one arc joins an ordered pair of nodes: adding a cheaper one overwrites the dearer one in
 * place (a shortcut may replace an original arc). That is safe: no shortcut can refer to an arc
 * between two live nodes yet, since a shortcut's halves always meet at a contracted node.
 */
import { ArcBlocks } from './arc-blocks.js';

export const NO_ARC = -1;

export class DynamicGraph {
  arcCount = 0;
  tail: Int32Array;
  head: Int32Array;
  weight: Float64Array;
  /** Original arcs: their edge ref (≥ 0). Shortcuts: `-(middle + 1)`. */
  link: Int32Array;
  /** Original arcs a shortcut stands for (1 for an original arc): the hop count of its unpacking. */
  hops: Int32Array;
  /** Live out-arcs per node: arc ids, with copies of their heads and weights for the searches. */
  readonly outs: ArcBlocks;
  /** Live in-arcs per node: arc ids, with their tails (in `heads`) and weights. */
  readonly ins: ArcBlocks;
  /** Live arcs (both ends not contracted). */
  liveArcCount = 0;

  constructor(
    readonly nodeCount: number,
    outDegree: Int32Array,
    inDegree: Int32Array,
  ) {
    let capacity = 16;
    for (let n = 0; n < nodeCount; n++) capacity += outDegree[n];
    this.tail = new Int32Array(capacity);
    this.head = new Int32Array(capacity);
    this.weight = new Float64Array(capacity);
    this.link = new Int32Array(capacity);
    this.hops = new Int32Array(capacity);
    this.outs = new ArcBlocks(nodeCount, outDegree);
    this.ins = new ArcBlocks(nodeCount, inDegree);
  }

  /** The live arc tail→head, or NO_ARC. */
  findArc(tail: number, head: number): number {
    const { outs } = this;
    for (let i = outs.start[tail], end = i + outs.count[tail]; i < end; i++) {
      if (outs.heads[i] === head) return outs.entries[i];
    }
    return NO_ARC;
  }

  /**
   * Adds tail→head unless a live arc at most as cheap already joins them; a dearer one is
   * overwritten. Returns whether the graph changed.
   */
  addArc(tail: number, head: number, weight: number, link: number, hops: number): boolean {
    const existing = this.findArc(tail, head);
    if (existing !== NO_ARC) {
      if (this.weight[existing] <= weight) return false;
      this.weight[existing] = weight;
      this.link[existing] = link;
      this.hops[existing] = hops;
      this.outs.setWeight(tail, existing, weight);
      this.ins.setWeight(head, existing, weight);
      return true;
    }
    if (this.arcCount === this.tail.length) this.grow();
    const arc = this.arcCount++;
    this.tail[arc] = tail;
    this.head[arc] = head;
    this.weight[arc] = weight;
    this.link[arc] = link;
    this.hops[arc] = hops;
    this.outs.add(tail, arc, head, weight);
    this.ins.add(head, arc, tail, weight);
    this.liveArcCount++;
    return true;
  }

  /** Takes `node` out of the live graph: its arcs leave its neighbours' blocks (they stay pooled). */
  removeNode(node: number): void {
    const { outs, ins } = this;
    for (let i = outs.start[node], end = i + outs.count[node]; i < end; i++) {
      ins.remove(outs.heads[i], outs.entries[i]);
    }
    for (let i = ins.start[node], end = i + ins.count[node]; i < end; i++) {
      outs.remove(ins.heads[i], ins.entries[i]);
    }
    this.liveArcCount -= outs.count[node] + ins.count[node];
    outs.clear(node);
    ins.clear(node);
  }

  private grow(): void {
    const capacity = Math.ceil(this.tail.length * 1.5);
    const grown = <T extends Int32Array | Float64Array>(old: T): T => {
      const next = new (old.constructor as new (n: number) => T)(capacity);
      next.set(old);
      return next;
    };
    this.tail = grown(this.tail);
    this.head = grown(this.head);
    this.weight = grown(this.weight);
    this.link = grown(this.link);
    this.hops = grown(this.hops);
  }
}
