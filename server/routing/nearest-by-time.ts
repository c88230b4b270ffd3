/**
 * One-to-many Dijkstra from a snapped origin to snapped targets (stations), stopping as soon as the
 * k fastest are known or the time budget is spent. Targets are queued as virtual heap items after
 * the graph's nodes (item `nodeCount + i`), offered from both ends of their edge, so a target is
 * final exactly when it is popped — no second pass, no guessing a search radius.
 */
import type { ProfileGraph, RoadGraph } from './road-graph.js';
import {
  partialCost,
  seedOrigin,
  sharedEdgeCost,
  type EdgeSnap,
  type SearchSide,
} from './search-side.js';

export interface RouteTarget<Id> {
  id: Id;
  snap: EdgeSnap;
}

export interface ReachedTarget<Id> {
  id: Id;
  durationS: number;
  distanceM: number;
}

interface Arrival {
  target: number;
  /** Seconds and metres from the node along the target's edge to the target point. */
  cost: number;
  metres: number;
}

export function nearestByTime<Id>(
  graph: RoadGraph,
  profileGraph: ProfileGraph,
  side: SearchSide,
  origin: EdgeSnap,
  targets: readonly RouteTarget<Id>[],
  k: number,
  maxSeconds: number,
): ReachedTarget<Id>[] {
  const { costs, forward } = profileGraph;
  const nodeCount = graph.nodeCount;
  side.reset();
  side.heap.ensureCapacity(nodeCount + targets.length);

  const bestTime = new Float64Array(targets.length).fill(Infinity);
  const bestDistance = new Float64Array(targets.length);
  const offer = (target: number, durationS: number, distanceM: number) => {
    if (durationS >= bestTime[target]) return;
    bestTime[target] = durationS;
    bestDistance[target] = distanceM;
    side.heap.pushOrDecrease(nodeCount + target, durationS);
  };

  const arrivals = arrivalsByNode(graph, costs, targets);
  targets.forEach(({ snap }, target) => {
    const direct = sharedEdgeCost(costs, origin, snap);
    const metres = Math.abs(snap.fraction - origin.fraction) * graph.edgeLengthM[snap.edgeId];
    if (direct !== Infinity) offer(target, direct, metres);
  });
  seedOrigin(side, graph, costs, origin);

  const reached: ReachedTarget<Id>[] = [];
  while (side.heap.size > 0 && reached.length < k && side.heap.peekKey() <= maxSeconds) {
    const item = side.heap.pop();
    if (item >= nodeCount) {
      const target = item - nodeCount;
      const { id } = targets[target];
      reached.push({ id, durationS: bestTime[target], distanceM: bestDistance[target] });
      continue;
    }
    const nodeDist = side.dist[item];
    const nodeTravelled = side.travelled[item];
    for (const arrival of arrivals.get(item) ?? []) {
      offer(arrival.target, nodeDist + arrival.cost, nodeTravelled + arrival.metres);
    }
    for (let arc = forward.offsets[item], end = forward.offsets[item + 1]; arc < end; arc++) {
      const ref = forward.refs[arc];
      const travelled = nodeTravelled + graph.edgeLengthM[ref >> 1];
      side.improve(forward.heads[arc], nodeDist + costs[ref], travelled, ref);
    }
  }
  return reached;
}

/** For each end node of a target's edge, how to continue from it to the target point. */
function arrivalsByNode(
  graph: RoadGraph,
  costs: Float32Array,
  targets: readonly RouteTarget<unknown>[],
): Map<number, Arrival[]> {
  const arrivals = new Map<number, Arrival[]>();
  const add = (node: number, arrival: Arrival) => {
    if (arrival.cost === Infinity) return;
    const list = arrivals.get(node);
    if (list) list.push(arrival);
    else arrivals.set(node, [arrival]);
  };
  targets.forEach(({ snap: { edgeId, fraction } }, target) => {
    const length = graph.edgeLengthM[edgeId];
    const rest = 1 - fraction;
    const fromSource = partialCost(fraction, costs[edgeId * 2]);
    const fromTarget = partialCost(rest, costs[edgeId * 2 + 1]);
    add(graph.edgeSource[edgeId], { target, cost: fromSource, metres: fraction * length });
    add(graph.edgeTarget[edgeId], { target, cost: fromTarget, metres: rest * length });
  });
  return arrivals;
}
