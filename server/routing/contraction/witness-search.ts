/**
 * The local searches that decide whether contracting a node needs a shortcut: from an in-neighbour
 * `u` of `v`, is there a path to each out-neighbour `w` that avoids `v` and costs no more than
 * `u→v→w`? Each search is a Dijkstra over the not-yet-contracted nodes, bounded by that cost and by
 * a number of settled nodes. Stopping early only ever adds a shortcut that was not needed, never
 * drops one that was, so the bound trades preprocessing time for hierarchy size, not correctness.
 */
import { IndexedMinHeap } from '../min-heap.js';
import { NO_ARC, type DynamicGraph } from './dynamic-graph.js';

export class WitnessSearch {
  private readonly dist: Float64Array;
  private readonly stampOf: Uint32Array;
  private readonly targetStamp: Uint32Array;
  private readonly heap: IndexedMinHeap;
  private stamp = 0;

  constructor(
    private readonly graph: DynamicGraph,
    private readonly contracted: Uint8Array,
    private readonly settleLimit: number,
  ) {
    this.dist = new Float64Array(graph.nodeCount);
    this.stampOf = new Uint32Array(graph.nodeCount);
    this.targetStamp = new Uint32Array(graph.nodeCount);
    this.heap = new IndexedMinHeap(graph.nodeCount);
  }

  /**
   * Searches from `source` avoiding `avoid`, up to cost `maxCost`, until every node of
   * `targets[0‥targetCount-1]` is settled or the settle limit is reached. Read the answers with
   * `distanceTo` before the next call.
   */
  run(
    source: number,
    avoid: number,
    maxCost: number,
    targets: Int32Array,
    targetCount: number,
  ): void {
    const { graph, contracted, dist, stampOf, heap } = this;
    this.nextStamp();
    const stamp = this.stamp;
    let targetsLeft = 0;
    for (let i = 0; i < targetCount; i++) {
      if (this.targetStamp[targets[i]] !== stamp) {
        this.targetStamp[targets[i]] = stamp;
        targetsLeft++;
      }
    }
    heap.clear();
    stampOf[source] = stamp;
    dist[source] = 0;
    heap.pushOrDecrease(source, 0);
    let settled = 0;
    while (heap.size > 0 && heap.peekKey() <= maxCost) {
      const node = heap.pop();
      if (this.targetStamp[node] === stamp && --targetsLeft === 0) break;
      if (++settled > this.settleLimit) break;
      const nodeDist = dist[node];
      for (let arc = graph.firstOut[node]; arc !== NO_ARC; arc = graph.nextOut[arc]) {
        const next = graph.head[arc];
        if (next === avoid || contracted[next]) continue;
        const candidate = nodeDist + graph.weight[arc];
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
