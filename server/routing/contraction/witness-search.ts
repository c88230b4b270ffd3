/**
 * The local searches that decide whether contracting a node needs a shortcut: from an in-neighbour
 * `u` of `v`, is there a path to each out-neighbour `w` that avoids `v` and costs no more than
 * `u→v→w`? Each search is a Dijkstra over the live graph (not-yet-contracted nodes), bounded by that
 * cost and by a number of settled nodes. Stopping early only ever adds a shortcut that was not
 * needed, never drops one that was (every distance found is a real path's), so the bound trades
 * preprocessing time for hierarchy size, not correctness.
 *
 * The bound is generous (1000 settled nodes) and there is no hop limit: on the uniform grid the
 * bench uses, every route ties with many others and witnesses are long, so tighter searches miss
 * them, add shortcuts, and the denser graph costs more than they saved (200×200 grid: a limit of
 * 50 took 13x longer than 1000; hop limits of 2‥8 added 50% more arcs and doubled the time).
 */
import { IndexedMinHeap } from '../min-heap.js';
import type { DynamicGraph } from './dynamic-graph.js';

export class WitnessSearch {
  private readonly dist: Float64Array;
  private readonly stampOf: Uint32Array;
  private readonly targetStamp: Uint32Array;
  private readonly heap: IndexedMinHeap;
  private stamp = 0;

  constructor(private readonly graph: DynamicGraph) {
    this.dist = new Float64Array(graph.nodeCount);
    this.stampOf = new Uint32Array(graph.nodeCount);
    this.targetStamp = new Uint32Array(graph.nodeCount);
    this.heap = new IndexedMinHeap(graph.nodeCount);
  }

  /**
   * Searches from `source` avoiding `avoid` until every node of `targets[0‥targetCount-1]` is
   * settled or `settleLimit` nodes are. A witness to `targets[i]` only matters if it costs at most
   * `targetCosts[i]` (the path through `avoid`), so the search stops at the largest of those
   * costs. Read the answers with `distanceTo` before the next call.
   */
  run(
    source: number,
    avoid: number,
    targets: Int32Array,
    targetCosts: Float64Array,
    targetCount: number,
    settleLimit: number,
  ): void {
    const { dist, stampOf, heap, targetStamp } = this;
    const { start, count, heads, weights } = this.graph.outs;
    this.nextStamp();
    const stamp = this.stamp;
    let targetsLeft = 0;
    let maxCost = -Infinity;
    for (let i = 0; i < targetCount; i++) {
      const target = targets[i];
      if (target === source) continue;
      targetStamp[target] = stamp;
      maxCost = Math.max(maxCost, targetCosts[i]);
      targetsLeft++;
    }
    if (targetsLeft === 0) return;
    heap.clear();
    stampOf[source] = stamp;
    dist[source] = 0;
    heap.pushOrDecrease(source, 0);
    let settled = 0;
    while (heap.size > 0 && heap.peekKey() <= maxCost) {
      const node = heap.pop();
      if (targetStamp[node] === stamp && --targetsLeft === 0) break;
      if (++settled > settleLimit) break;
      const nodeDist = dist[node];
      for (let slot = start[node], end = slot + count[node]; slot < end; slot++) {
        const next = heads[slot];
        if (next === avoid) continue;
        const candidate = nodeDist + weights[slot];
        if (candidate > maxCost) continue;
        if (stampOf[next] === stamp && dist[next] <= candidate) continue;
        stampOf[next] = stamp;
        dist[next] = candidate;
        heap.pushOrDecrease(next, candidate);
      }
    }
  }

  /** Best cost found to `node` by the last run, Infinity if it was not reached. */
  distanceTo(node: number): number {
    return this.stampOf[node] === this.stamp ? this.dist[node] : Infinity;
  }

  private nextStamp(): void {
    if (this.stamp === 0xffffffff) {
      this.stampOf.fill(0);
      this.targetStamp.fill(0);
      this.stamp = 0;
    }
    this.stamp++;
  }
}
