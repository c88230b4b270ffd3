/**
 * The graph being contracted: every arc (original or shortcut) lives in one growable pool of typed
 * arrays and is threaded on two singly linked lists, the out-list of its tail and the in-list of its
 * head. Arcs are never removed from the pool (arc ids stay stable for the hierarchy built at the
 * end); searches skip contracted nodes, and `compact` now and then unlinks the arcs that lead to
 * them so the lists of the remaining nodes stay short.
 *
 * At most one arc joins an ordered pair of nodes: adding a cheaper one overwrites the dearer one in
 * place (a shortcut may replace an original arc), so the final graph never holds parallel arcs.
 */
export const NO_ARC = -1;

export class DynamicGraph {
  arcCount = 0;
  tail: Int32Array;
  head: Int32Array;
  weight: Float64Array;
  /** Original arcs: their edge ref (≥ 0). Shortcuts: `-(middle + 1)`. */
  link: Int32Array;
  nextOut: Int32Array;
  nextIn: Int32Array;
  readonly firstOut: Int32Array;
  readonly firstIn: Int32Array;

  constructor(
    readonly nodeCount: number,
    initialArcs: number,
  ) {
    const capacity = Math.max(16, initialArcs);
    this.tail = new Int32Array(capacity);
    this.head = new Int32Array(capacity);
    this.weight = new Float64Array(capacity);
    this.link = new Int32Array(capacity);
    this.nextOut = new Int32Array(capacity);
    this.nextIn = new Int32Array(capacity);
    this.firstOut = new Int32Array(nodeCount).fill(NO_ARC);
    this.firstIn = new Int32Array(nodeCount).fill(NO_ARC);
  }

  /** The arc tail→head, or NO_ARC. */
  findArc(tail: number, head: number): number {
    for (let arc = this.firstOut[tail]; arc !== NO_ARC; arc = this.nextOut[arc]) {
      if (this.head[arc] === head) return arc;
    }
    return NO_ARC;
  }

  /**
   * Adds tail→head unless an arc at most as cheap already joins them; a dearer one is overwritten.
   * Returns whether the graph changed.
   */
  addArc(tail: number, head: number, weight: number, link: number): boolean {
    const existing = this.findArc(tail, head);
    if (existing !== NO_ARC) {
      if (this.weight[existing] <= weight) return false;
      this.weight[existing] = weight;
      this.link[existing] = link;
      return true;
    }
    if (this.arcCount === this.tail.length) this.grow();
    const arc = this.arcCount++;
    this.tail[arc] = tail;
    this.head[arc] = head;
    this.weight[arc] = weight;
    this.link[arc] = link;
    this.nextOut[arc] = this.firstOut[tail];
    this.firstOut[tail] = arc;
    this.nextIn[arc] = this.firstIn[head];
    this.firstIn[head] = arc;
    return true;
  }

  /**
   * Unlinks, from the lists of live nodes, every arc whose other end is `dead` (contracted). The
   * arcs stay in the pool (the hierarchy is built from it); searches just stop walking past them,
   * which matters late in the contraction when most of a node's arcs lead to contracted nodes.
   */
  compact(dead: Uint8Array): void {
    this.firstOut.fill(NO_ARC);
    this.firstIn.fill(NO_ARC);
    for (let arc = 0; arc < this.arcCount; arc++) {
      const tail = this.tail[arc];
      const head = this.head[arc];
      if (dead[tail] || dead[head]) continue;
      this.nextOut[arc] = this.firstOut[tail];
      this.firstOut[tail] = arc;
      this.nextIn[arc] = this.firstIn[head];
      this.firstIn[head] = arc;
    }
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
    this.nextOut = grown(this.nextOut);
    this.nextIn = grown(this.nextIn);
  }
}
