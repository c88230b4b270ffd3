/**
 * Candidate sites and demand for network-rule suggestions, as positions on the road graph: road
 * nodes thinned by a grid, grid or layer points snapped to the nearest usable street, and streets
 * cut into short pieces when no demand layer stands in for where workers are.
 */
import type { AppDatabase } from '../../db/client.js';
import { metreFractionFromPlanar, pointAtFraction } from '../../routing/edge-geometry.js';
import type { ProfileName } from '../../routing/profiles.js';
import type { RoadGraph } from '../../routing/road-graph.js';
import type { EdgeSnap } from '../../routing/search-side.js';
import { snapPointsToEdges } from './coverage.repository.js';
import { localFrame } from './local-distance.js';
import { MAX_SNAP_M } from './network-sites.js';
import type { ScopedPoint } from './suggest.repository.js';

export interface NetworkPoint extends ScopedPoint {
  snap: EdgeSnap;
  /** The graph node the site stands on (candidates=network). */
  nodeId?: number;
  /** The point before it was moved onto the street (grid and layer points). */
  snappedFrom?: [number, number];
}

/**
 * At most `cap` items, one per grid cell (the best-scored, ties to the first): a spatially even
 * subset rather than the first `cap` in id order. The cell is the smallest (within 5 %) that fits
 * `cap`, found by bisection, since streets cluster in valleys and towns and most cells are empty.
 */
export function thinByGrid<T extends { lng: number; lat: number }>(
  items: T[],
  cap: number,
  score: (item: T) => number = () => 0,
): T[] {
  if (items.length <= cap) return items;
  const lngs = items.map((p) => p.lng);
  const lats = items.map((p) => p.lat);
  const [x0, y0] = [Math.min(...lngs), Math.min(...lats)];
  const frame = localFrame((y0 + Math.max(...lats)) / 2);
  const widthM = (Math.max(...lngs) - x0) * frame.metresPerDegLng;
  const heightM = (Math.max(...lats) - y0) * frame.metresPerDegLat;
  const thin = (cellM: number) => {
    const best = new Map<string, T>();
    for (const item of items) {
      const key = `${Math.floor(((item.lng - x0) * frame.metresPerDegLng) / cellM)},${Math.floor(((item.lat - y0) * frame.metresPerDegLat) / cellM)}`;
      const held = best.get(key);
      if (!held || score(item) > score(held)) best.set(key, item);
    }
    return [...best.values()];
  };
  // One cell spanning everything fits any cap ≥ 1; a cell too small to merge any two items does not.
  let fits = Math.max(widthM, heightM, 1) * 1.01;
  let tooSmall = 0;
  let kept = thin(fits);
  while (fits - tooSmall > 0.05 * fits) {
    const mid = (fits + tooSmall) / 2;
    const trial = thin(mid);
    if (trial.length <= cap) [fits, kept] = [mid, trial];
    else tooSmall = mid;
  }
  return kept;
}

/** The graph's extent (nodes and bends), so points far from every street skip the snap query. */
const extents = new WeakMap<RoadGraph, [number, number, number, number]>();
function graphExtent(graph: RoadGraph): [number, number, number, number] {
  let extent = extents.get(graph);
  if (!extent) {
    extent = [Infinity, Infinity, -Infinity, -Infinity];
    for (const coords of [graph.nodeCoords, graph.geometryCoords]) {
      for (let i = 0; i < coords.length; i += 2) {
        extent[0] = Math.min(extent[0], coords[i]!);
        extent[1] = Math.min(extent[1], coords[i + 1]!);
        extent[2] = Math.max(extent[2], coords[i]!);
        extent[3] = Math.max(extent[3], coords[i + 1]!);
      }
    }
    extents.set(graph, extent);
  }
  return extent;
}

/** Points moved onto the nearest street the mode may use (≤ MAX_SNAP_M); the rest are dropped. */
export async function snapToNetwork(
  db: AppDatabase,
  graph: RoadGraph,
  profile: ProfileName,
  points: ScopedPoint[],
): Promise<NetworkPoint[]> {
  const [x0, y0, x1, y1] = graphExtent(graph);
  // MAX_SNAP_M in degrees, generously (a degree of longitude is ≥ 75 km below 47° N).
  const margin = MAX_SNAP_M / 75_000;
  const near = points.filter(
    (p) =>
      p.lng >= x0 - margin && p.lng <= x1 + margin && p.lat >= y0 - margin && p.lat <= y1 + margin,
  );
  const snaps = await snapPointsToEdges(
    db,
    near.map((p) => [p.lng, p.lat]),
    profile,
    MAX_SNAP_M,
  );
  // An edge id beyond the loaded graph means a newer import landed meanwhile: skip, never misread.
  return snaps
    .filter((s) => s.edge_id < graph.edgeCount)
    .map((s) => {
      const p = near[s.index]!;
      const fraction = metreFractionFromPlanar(graph, s.edge_id, s.planar_fraction);
      const [lng, lat] = pointAtFraction(graph, s.edge_id, fraction);
      return {
        lng,
        lat,
        weight: p.weight,
        code: p.code,
        snap: { edgeId: s.edge_id, fraction },
        snappedFrom: [p.lng, p.lat] as [number, number],
      };
    });
}

/**
 * Road nodes a worker can arrive at by the mode (some arc enters them), thinned to `cap`; junctions
 * with more streets win their cell, since a station there is on more ways in.
 */
export function nodeCandidates(
  graph: RoadGraph,
  profile: ProfileName,
  nodes: Array<{ id: number; code: string }>,
  cap: number,
): NetworkPoint[] {
  const { reverse, forward } = graph.profile(profile);
  const degree = (n: number) =>
    reverse.offsets[n + 1]! - reverse.offsets[n]! + forward.offsets[n + 1]! - forward.offsets[n]!;
  const usable = nodes
    .filter(({ id }) => id < graph.nodeCount && reverse.offsets[id + 1]! > reverse.offsets[id]!)
    .map(({ id, code }) => {
      const [lng, lat] = graph.nodeLngLat(id);
      return { id, code, lng, lat };
    });
  return thinByGrid(usable, cap, (n) => degree(n.id)).map(({ id, code, lng, lat }) => {
    // Stand on the node as the end of a street entering it.
    const ref = reverse.refs[reverse.offsets[id]!]!;
    const snap = { edgeId: ref >> 1, fraction: ref & 1 ? 0 : 1 };
    return { lng, lat, weight: 0, code, snap, nodeId: id };
  });
}

/** Streets at most this long count as one demand piece; longer ones are cut into equal pieces. */
export const STREET_PIECE_M = 100;
const MAX_STREET_PIECES = 150_000;

/**
 * The street-length proxy: every usable street in scope cut into pieces of ≤ `pieceM` metres, each
 * a demand point at its middle weighted by its length in km.
 */
export function streetPieces(
  graph: RoadGraph,
  profile: ProfileName,
  edges: Array<{ id: number; code: string }>,
): { points: NetworkPoint[]; pieceM: number } {
  const usable = edges.filter(({ id }) => id < graph.edgeCount && graph.isEdgeUsable(profile, id));
  const totalM = usable.reduce((s, { id }) => s + graph.edgeLengthM[id]!, 0);
  const pieceM = Math.max(STREET_PIECE_M, Math.ceil(totalM / MAX_STREET_PIECES));
  const points: NetworkPoint[] = [];
  for (const { id, code } of usable) {
    const lengthM = graph.edgeLengthM[id]!;
    const n = Math.max(1, Math.ceil(lengthM / pieceM));
    for (let i = 0; i < n; i++) {
      const fraction = (i + 0.5) / n;
      const [lng, lat] = pointAtFraction(graph, id, fraction);
      points.push({ lng, lat, weight: lengthM / n / 1000, code, snap: { edgeId: id, fraction } });
    }
  }
  return { points, pieceM };
}
