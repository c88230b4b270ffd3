/**
 * Builds a contraction hierarchy for one profile of a `RoadGraph`: nodes are contracted one at a
 * time, least important first, and each contraction adds the shortcuts `u→w` (remembering the
 * middle node `v`) needed to keep every shortest path between the remaining nodes.
 *
 * Node order: the priority is the edge difference (shortcuts added minus arcs removed) plus the
 * number of already contracted neighbours, which spreads contraction evenly over the map instead of
 * eating one region at a time. Priorities go stale as neighbours are contracted; they are refreshed
 * lazily: the node on top of the queue is re-simulated and contracted only if it still beats the
 * next one, otherwise it goes back with its new priority.
 */
import { IndexedMinHeap } from '../min-heap.js';
import type { ProfileGraph } from '../road-graph.js';
import { DynamicGraph, NO_ARC } from './dynamic-graph.js';
import { hierarchyFromContraction, type ContractionHierarchy } from './hierarchy.js';
import { WitnessSearch } from './witness-search.js';

export interface ContractOptions {
  /** Nodes a witness search may settle before giving up (and adding the shortcut); default 60. */
  witnessSettleLimit?: number;
}

/** The road graph's shape the contraction needs: node count, edge ends and one profile's costs. */
export interface ContractionInput {
  nodeCount: number;
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  costs: ProfileGraph['costs'];
}

export function buildContractionHierarchy(
  input: ContractionInput,
  options: ContractOptions = {},
): ContractionHierarchy {
  const contractor = new Contractor(input, options.witnessSettleLimit ?? 60);
  contractor.contractAll();
  return hierarchyFromContraction(input, contractor.graph, contractor.rank);
}

class Contractor {
  readonly graph: DynamicGraph;
  readonly rank: Int32Array;
  private readonly contracted: Uint8Array;
  private readonly deletedNeighbours: Int32Array;
  private readonly witness: WitnessSearch;
  // Scratch for one node's live neighbours; grown when a node has more.
  private inNodes = new Int32Array(64);
  private inWeights = new Float64Array(64);
  private outNodes = new Int32Array(64);
  private outWeights = new Float64Array(64);
  private inCount = 0;
  private outCount = 0;

  constructor(input: ContractionInput, settleLimit: number) {
    const { nodeCount, edgeSource, edgeTarget, costs } = input;
    this.graph = new DynamicGraph(nodeCount, Math.ceil(costs.length * 1.6));
    for (let ref = 0; ref < costs.length; ref++) {
      const cost = costs[ref];
      if (cost === Infinity) continue;
      const edge = ref >> 1;
      const tail = ref & 1 ? edgeTarget[edge] : edgeSource[edge];
      const head = ref & 1 ? edgeSource[edge] : edgeTarget[edge];
      // A loop never shortens a path; parallel edges keep the cheaper (addArc).
      if (tail !== head) this.graph.addArc(tail, head, cost, ref);
    }
    this.rank = new Int32Array(nodeCount);
    this.contracted = new Uint8Array(nodeCount);
    this.deletedNeighbours = new Int32Array(nodeCount);
    this.witness = new WitnessSearch(this.graph, this.contracted, settleLimit);
  }

  contractAll(): void {
    const { nodeCount } = this.graph;
    const queue = new IndexedMinHeap(nodeCount);
    for (let node = 0; node < nodeCount; node++) queue.pushOrDecrease(node, this.priority(node));
    let nextRank = 0;
    while (queue.size > 0) {
      const node = queue.pop();
      const priority = this.priority(node);
      if (queue.size > 0 && priority > queue.peekKey()) {
        queue.pushOrDecrease(node, priority);
        continue;
      }
      this.contract(node, true);
      this.contracted[node] = 1;
      this.rank[node] = nextRank++;
      for (let i = 0; i < this.inCount; i++) this.deletedNeighbours[this.inNodes[i]]++;
      for (let i = 0; i < this.outCount; i++) this.deletedNeighbours[this.outNodes[i]]++;
    }
  }

  private priority(node: number): number {
    const shortcuts = this.contract(node, false);
    return shortcuts - (this.inCount + this.outCount) + this.deletedNeighbours[node];
  }

  /**
   * Finds the shortcuts contracting `node` needs; adds them when `apply`. Returns how many. Leaves
   * the node's live neighbours in the scratch arrays.
   */
  private contract(node: number, apply: boolean): number {
    this.collectNeighbours(node);
    const { inNodes, inWeights, outNodes, outWeights, inCount, outCount, witness } = this;
    if (inCount === 0 || outCount === 0) return 0;
    let maxOut = 0;
    for (let j = 0; j < outCount; j++) maxOut = Math.max(maxOut, outWeights[j]);
    let shortcuts = 0;
    for (let i = 0; i < inCount; i++) {
      const from = inNodes[i];
      witness.run(from, node, inWeights[i] + maxOut, outNodes, outCount);
      for (let j = 0; j < outCount; j++) {
        const to = outNodes[j];
        if (to === from) continue;
        const viaNode = inWeights[i] + outWeights[j];
        if (witness.distanceTo(to) <= viaNode) continue;
        shortcuts++;
        if (apply) this.graph.addArc(from, to, viaNode, -(node + 1));
      }
    }
    return shortcuts;
  }

  /** Not-yet-contracted in- and out-neighbours of `node` with their arc weights. */
  private collectNeighbours(node: number): void {
    const { graph, contracted } = this;
    this.inCount = 0;
    for (let arc = graph.firstIn[node]; arc !== NO_ARC; arc = graph.nextIn[arc]) {
      const tail = graph.tail[arc];
      if (contracted[tail]) continue;
      if (this.inCount === this.inNodes.length) this.growScratch();
      this.inNodes[this.inCount] = tail;
      this.inWeights[this.inCount++] = graph.weight[arc];
    }
    this.outCount = 0;
    for (let arc = graph.firstOut[node]; arc !== NO_ARC; arc = graph.nextOut[arc]) {
      const head = graph.head[arc];
      if (contracted[head]) continue;
      if (this.outCount === this.outNodes.length) this.growScratch();
      this.outNodes[this.outCount] = head;
      this.outWeights[this.outCount++] = graph.weight[arc];
    }
  }

  private growScratch(): void {
    const size = this.inNodes.length * 2;
    const grow = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.inNodes = grow(this.inNodes, (n) => new Int32Array(n));
    this.inWeights = grow(this.inWeights, (n) => new Float64Array(n));
    this.outNodes = grow(this.outNodes, (n) => new Int32Array(n));
    this.outWeights = grow(this.outWeights, (n) => new Float64Array(n));
  }
}
