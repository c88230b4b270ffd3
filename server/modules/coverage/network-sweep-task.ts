/**
 * The CPU-heavy half of network coverage, run in the CPU pool (cpu-tasks.ts): the reached street
 * pieces turned into segments, the row sweep of their band over the areas (network-area.ts), the
 * street km in total, and which demand points lie within the band. On a city's network this is
 * seconds of work (about 6 s at a million edges on the 2-core machine), which must not hold the
 * event loop. The graph's geometry arrays and the costs live in shared memory, so nothing of the
 * graph is copied to the thread; the areas and pieces are.
 *
 * Pure: no database, no process state.
 */
import { sliceEdge, type EdgeGeometrySource } from '../../routing/edge-geometry.js';
import { edgeFlatCoordinatesOf, type RoadGeometryArrays } from '../../routing/road-graph.js';
import { sweepCoverage, SweepTimeout, type SweepArea, type SweepAreaResult } from './network-area.js';
import type { ReachResult } from './network-reach.js';
import { pointsNearSegments } from './points-near-segments.js';

export interface NetworkSweepInput {
  geometry: RoadGeometryArrays;
  /** The reached pieces (network-reach.ts). */
  reach: Pick<ReachResult, 'pieceEdges' | 'pieceFrom' | 'pieceTo'>;
  areas: SweepArea[];
  /** Half-width of the band around reached streets, metres. */
  radiusM: number;
  rowM: number;
  /** The profile's costs when street km are asked for (reached and in total per area). */
  streetCosts?: Float32Array;
  traceGapsM?: number;
  /** Demand points to test against the band (one flag each comes back). */
  demandPoints?: ReadonlyArray<{ lng: number; lat: number }>;
  /** Milliseconds left of the computation's budget; past it the sweep stops. */
  budgetMs: number;
}

export type NetworkSweepOutput =
  | { swept: SweepAreaResult[]; demandNear: boolean[] | null }
  | { refused: 'timeout' };

/** Flat `[x1, y1, x2, y2, …]` segments of the reached pieces. */
export function reachedSegments(
  graph: EdgeGeometrySource,
  reach: Pick<ReachResult, 'pieceEdges' | 'pieceFrom' | 'pieceTo'>,
): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < reach.pieceEdges.length; i++) {
    const line = sliceEdge(graph, reach.pieceEdges[i]!, reach.pieceFrom[i]!, reach.pieceTo[i]!);
    for (let k = 1; k < line.length; k++) {
      out.push(line[k - 1]![0], line[k - 1]![1], line[k]![0], line[k]![1]);
    }
  }
  return Float64Array.from(out);
}

/** Segments of every edge the costs allow in some direction whose box meets `bbox`. */
function usableSegments(geometry: RoadGeometryArrays, costs: Float32Array, bbox: number[]): Float64Array {
  const out: number[] = [];
  for (let e = 0; e < geometry.edgeCount; e++) {
    if (costs[e * 2] === Infinity && costs[e * 2 + 1] === Infinity) continue;
    const flat = edgeFlatCoordinatesOf(geometry, e);
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 0; i < flat.length; i += 2) {
      x0 = Math.min(x0, flat[i]!);
      x1 = Math.max(x1, flat[i]!);
      y0 = Math.min(y0, flat[i + 1]!);
      y1 = Math.max(y1, flat[i + 1]!);
    }
    if (x1 < bbox[0]! || x0 > bbox[2]! || y1 < bbox[1]! || y0 > bbox[3]!) continue;
    for (let i = 2; i < flat.length; i += 2) {
      out.push(flat[i - 2]!, flat[i - 1]!, flat[i]!, flat[i + 1]!);
    }
  }
  return Float64Array.from(out);
}

function ringsBbox(areas: SweepArea[]): number[] {
  const bbox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const { rings } of areas) {
    for (const ring of rings) {
      for (let i = 0; i < ring.length; i += 2) {
        bbox[0] = Math.min(bbox[0]!, ring[i]!);
        bbox[1] = Math.min(bbox[1]!, ring[i + 1]!);
        bbox[2] = Math.max(bbox[2]!, ring[i]!);
        bbox[3] = Math.max(bbox[3]!, ring[i + 1]!);
      }
    }
  }
  return bbox;
}

export function networkSweep(input: NetworkSweepInput): NetworkSweepOutput {
  const deadline = performance.now() + input.budgetMs;
  const geometry = { edgeFlatCoordinates: (edgeId: number) => edgeFlatCoordinatesOf(input.geometry, edgeId) };
  const covered = reachedSegments(geometry, input.reach);
  const lengthSets = input.streetCosts
    ? [covered, usableSegments(input.geometry, input.streetCosts, ringsBbox(input.areas))]
    : [];
  try {
    const swept = sweepCoverage({
      areas: input.areas,
      covered,
      radiusM: input.radiusM,
      rowM: input.rowM,
      lengthSets,
      traceGapsM: input.traceGapsM,
      deadline,
    });
    const demandNear = input.demandPoints ? pointsNearSegments(covered, input.demandPoints, input.radiusM) : null;
    return { swept, demandNear };
  } catch (error) {
    // An Error's class does not survive the trip between threads: say it as data.
    if (error instanceof SweepTimeout) return { refused: 'timeout' };
    throw error;
  }
}
