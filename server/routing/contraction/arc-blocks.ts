/**
 * One list of arcs per node, each in a contiguous block of a shared pool (typed arrays): the arc
 * id, the node at the other end and the weight side by side, so a search reads a node's arcs from
 * one place. A full block moves to the pool's end with twice the room; when the holes left behind
 * outweigh the arcs in use, the pool is packed again. Removal swaps in the block's last entry, so
 * the order inside a block means nothing.
 */
export class ArcBlocks {
  readonly start: Int32Array;
  readonly count: Int32Array;
  private readonly capacity: Int32Array;
  entries: Int32Array;
  /** The node at the other end of each arc. */
  heads: Int32Array;
  weights: Float64Array;
  private used = 0;
  private live = 0;

  /** `degree[n]`: the room node `n` starts with (its original degree). */
  constructor(
    readonly nodeCount: number,
    degree: Int32Array,
  ) {
    this.start = new Int32Array(nodeCount);
    this.count = new Int32Array(nodeCount);
    this.capacity = new Int32Array(nodeCount);
    let total = 0;
    for (let n = 0; n < nodeCount; n++) {
      this.start[n] = total;
      this.capacity[n] = degree[n] + 2;
      total += degree[n] + 2;
    }
    this.used = total;
    const size = Math.ceil(total * 1.5) + 16;
    this.entries = new Int32Array(size);
    this.heads = new Int32Array(size);
    this.weights = new Float64Array(size);
  }

  add(node: number, entry: number, head: number, weight: number): void {
    if (this.count[node] === this.capacity[node]) this.relocate(node, this.capacity[node] * 2);
    const slot = this.start[node] + this.count[node]++;
    this.entries[slot] = entry;
    this.heads[slot] = head;
    this.weights[slot] = weight;
    this.live++;
  }

  /** Removes `entry` from `node`'s block (it must be there). */
  remove(node: number, entry: number): void {
    const first = this.start[node];
    const last = first + this.count[node] - 1;
    for (let slot = first; slot <= last; slot++) {
      if (this.entries[slot] !== entry) continue;
      this.entries[slot] = this.entries[last];
      this.heads[slot] = this.heads[last];
      this.weights[slot] = this.weights[last];
      this.count[node]--;
      this.live--;
      return;
    }
    throw new Error(`ArcBlocks: arc ${entry} is not listed at node ${node}`);
  }

  setWeight(node: number, entry: number, weight: number): void {
    for (let slot = this.start[node], end = slot + this.count[node]; slot < end; slot++) {
      if (this.entries[slot] === entry) {
        this.weights[slot] = weight;
        return;
      }
    }
  }

  /** Empties `node`'s block for good (a contracted node gets no more arcs). */
  clear(node: number): void {
    this.live -= this.count[node];
    this.count[node] = 0;
    this.capacity[node] = 0;
  }

  private relocate(node: number, capacity: number): void {
    if (this.used + capacity > this.entries.length) {
      if (this.used - this.live > this.live) this.pack();
      if (this.used + capacity > this.entries.length) {
        this.resize(Math.ceil((this.used + capacity) * 1.5));
      }
    }
    const from = this.start[node];
    const to = this.used;
    this.entries.copyWithin(to, from, from + this.count[node]);
    this.heads.copyWithin(to, from, from + this.count[node]);
    this.weights.copyWithin(to, from, from + this.count[node]);
    this.start[node] = to;
    this.capacity[node] = capacity;
    this.used += capacity;
  }

  /** Moves every block to the front, in node order, with a little room each. */
  private pack(): void {
    let size = 16;
    for (let n = 0; n < this.nodeCount; n++) size += this.packedCapacity(n);
    size = Math.max(size, this.entries.length);
    const entries = new Int32Array(size);
    const heads = new Int32Array(size);
    const weights = new Float64Array(size);
    let used = 0;
    for (let n = 0; n < this.nodeCount; n++) {
      const from = this.start[n];
      const count = this.count[n];
      entries.set(this.entries.subarray(from, from + count), used);
      heads.set(this.heads.subarray(from, from + count), used);
      weights.set(this.weights.subarray(from, from + count), used);
      this.start[n] = used;
      this.capacity[n] = this.packedCapacity(n);
      used += this.capacity[n];
    }
    this.entries = entries;
    this.heads = heads;
    this.weights = weights;
    this.used = used;
  }

  /** Room for a node's block after packing: none once it is contracted, else a quarter spare. */
  private packedCapacity(node: number): number {
    const count = this.count[node];
    return this.capacity[node] === 0 ? 0 : count + Math.max(2, count >> 2);
  }

  private resize(size: number): void {
    const grown = <T extends Int32Array | Float64Array>(old: T): T => {
      const next = new (old.constructor as new (n: number) => T)(size);
      next.set(old.subarray(0, this.used));
      return next;
    };
    this.entries = grown(this.entries);
    this.heads = grown(this.heads);
    this.weights = grown(this.weights);
  }
}
