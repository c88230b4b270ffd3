/**
 * Builds a contraction hierarchy for one profile of a `RoadGraph`: nodes are contracted one at a
 * time, least important first, and each contraction adds the shortcuts `u→w` (remembering the
 * middle node `v`) needed to keep every shortest path between the remaining nodes.
 *
 * Node order (node-priority.ts) favours nodes whose contraction adds few shortcuts standing for few
 * original edges, and low levels, so the hierarchy grows evenly over the map. Priorities go stale as
 * neighbours are contracted and are refreshed lazily: the node on top of the queue is re-simulated
 * and contracted only if it still beats the next one, otherwise it goes back with its new priority.
 * (Re-simulating every neighbour after each contraction, as OSRM does between rounds, gave the
 * same search spaces on the 200×200 grid for 2.4x the witness-search work.)
 *
 * Core: the last nodes of a grid-like network form a dense graph where each contraction needs
 * many witness searches over hundreds of nodes; once few nodes are left and the remaining graph is
 * dense, they are left uncontracted, sharing the top rank, and the query searches among them with
 * a plain bidirectional Dijkstra (hierarchy.ts, ch-search.ts). On the 1M-edge grid the last 5,000
 * nodes took 14% of the build; with them as a core, routes were no slower.
 */
import { IndexedMinHeap } from '../min-heap.js';
import type { ProfileGraph } from '../road-graph.js';
import { DynamicGraph } from './dynamic-graph.js';
import { hierarchyFromContraction, type ContractionHierarchy } from './hierarchy.js';
import { NodePriority } from './node-priority.js';

export interface ContractOptions {
  /**
   * Leave the last nodes uncontracted (the core) once at most this many remain and their average
   * out-degree reaches `coreDegree`. 0 contracts every node.
   */
  coreNodes?: number;
  /** Average out-degree of the remaining graph at which the core starts (with `coreNodes`). */
  coreDegree?: number;
}

/** The road graph's shape the contraction needs: node count, edge ends and one profile's costs. */
export interface ContractionInput {
  nodeCount: number;
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  costs: ProfileGraph['costs'];
}

export const DEFAULT_CORE_NODES = 5000;
export const DEFAULT_CORE_DEGREE = 8;

export function buildContractionHierarchy(
  input: ContractionInput,
  options: ContractOptions = {},
): ContractionHierarchy {
  const graph = dynamicGraphOf(input);
  const contractor = new Contractor(graph);
  contractor.contractAll(
    options.coreNodes ?? DEFAULT_CORE_NODES,
    options.coreDegree ?? DEFAULT_CORE_DEGREE,
  );
  return hierarchyFromContraction(input, graph, contractor.rank);
}

/** Every usable direction of every edge as an arc (loops dropped, parallel arcs the cheaper). */
function dynamicGraphOf({ nodeCount, edgeSource, edgeTarget, costs }: ContractionInput) {
  const outDegree = new Int32Array(nodeCount);
  const inDegree = new Int32Array(nodeCount);
  const tailOf = (ref: number) => (ref & 1 ? edgeTarget[ref >> 1] : edgeSource[ref >> 1]);
  const headOf = (ref: number) => (ref & 1 ? edgeSource[ref >> 1] : edgeTarget[ref >> 1]);
  for (let ref = 0; ref < costs.length; ref++) {
    if (costs[ref] === Infinity || tailOf(ref) === headOf(ref)) continue;
    outDegree[tailOf(ref)]++;
    inDegree[headOf(ref)]++;
  }
  const graph = new DynamicGraph(nodeCount, outDegree, inDegree);
  for (let ref = 0; ref < costs.length; ref++) {
    // A loop never shortens a path; parallel edges keep the cheaper (addArc).
    if (costs[ref] === Infinity || tailOf(ref) === headOf(ref)) continue;
    graph.addArc(tailOf(ref), headOf(ref), costs[ref], ref, 1);
  }
  return graph;
}

class Contractor {
  readonly rank: Int32Array;
  private readonly priority: NodePriority;

  constructor(private readonly graph: DynamicGraph) {
    this.rank = new Int32Array(graph.nodeCount);
    this.priority = new NodePriority(graph);
  }

  contractAll(coreNodes: number, coreDegree: number): void {
    const { graph, priority } = this;
    const { nodeCount } = graph;
    const queue = new IndexedMinHeap(nodeCount);
    for (let node = 0; node < nodeCount; node++) {
      queue.pushOrDecrease(node, priority.simulate(node));
    }
    let nextRank = 0;
    while (queue.size > 0) {
      const liveNodes = queue.size;
      if (liveNodes <= coreNodes && graph.liveArcCount >= coreDegree * liveNodes) break;
      const node = queue.pop();
      // Re-simulating also leaves this node's shortcuts ready to add.
      const key = priority.simulate(node);
      if (queue.size > 0 && key > queue.peekKey()) {
        queue.pushOrDecrease(node, key);
        continue;
      }
      priority.contract(node);
      this.rank[node] = nextRank++;
    }
    // The core: every node left shares the top rank.
    while (queue.size > 0) this.rank[queue.pop()] = nextRank;
  }
}
