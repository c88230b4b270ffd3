/**
 * Demand for site suggestions beyond a planner's points: a population layer's people (summed into
 * squares of the suggestion's cell, weighted centres), or — without any layer — grid cells weighted
 * by area, but only on inhabited or reachable land: cells with people when a population layer is
 * loaded, else cells near the road network when one is loaded. Otherwise empty mountains weigh as
 * much as a city block and win on area alone (issue 14).
 */
import type { AppDatabase } from '../../db/client.js';
import type { RoadGraph } from '../../routing/road-graph.js';
import { listDemandLayers, type DemandLayerRecord } from '../demand/demand.repository.js';
import { populationStore } from '../demand/population/population-store.js';
import type { AreaScope } from './coverage.repository.js';
import { localFrame } from './local-distance.js';
import { pointsNearSegments } from './points-near-segments.js';
import { scopeCodes } from './population-scope.repository.js';
import { readDataVersions } from './results-cache.repository.js';
import type { ScopedPoint } from './suggest.repository.js';

/** People per km² from which a grid cell counts as inhabited (about one person per hectare). */
export const INHABITED_PER_KM2 = 100;
/** A grid cell centre this close to a street counts as reachable land. */
export const REACHABLE_M = 300;

/** Square buckets of `sizeM` around the scope's middle latitude. */
function bucketer(lat: number, sizeM: number) {
  const f = localFrame(lat);
  const dx = sizeM / f.metresPerDegLng;
  const dy = sizeM / f.metresPerDegLat;
  return {
    dx,
    dy,
    key: (lng: number, lat: number) => `${Math.floor(lng / dx)},${Math.floor(lat / dy)}`,
  };
}

/** A population layer's people in scope, summed per `cellM` square and area (weighted centres). */
export async function populationPoints(
  db: AppDatabase,
  layer: DemandLayerRecord,
  scope: AreaScope,
  slot: number,
  cellM: number,
): Promise<ScopedPoint[]> {
  const store = populationStore(db);
  const { areas } = await readDataVersions(db);
  const [positions, weights, level, codes] = await Promise.all([
    store.cellPositions(layer),
    store.slotWeights(layer, slot),
    store.levelAssignment(layer, scope.level, areas),
    scopeCodes(db, scope),
  ]);
  const inScope = new Set(codes);
  const sums = new Map<string, { w: number; x: number; y: number; code: string }>();
  const mid = positions.lats[Math.floor(positions.lats.length / 2)] ?? 0;
  const b = bucketer(mid, cellM);
  for (let i = 0; i < weights.length; i++) {
    const a = level.areaOf[i]!;
    const w = weights[i]!;
    if (a < 0 || !(w > 0) || !inScope.has(level.codes[a]!)) continue;
    const code = level.codes[a]!;
    const key = `${b.key(positions.lngs[i]!, positions.lats[i]!)}/${code}`;
    const s = sums.get(key);
    if (s) ((s.w += w), (s.x += w * positions.lngs[i]!), (s.y += w * positions.lats[i]!));
    else sums.set(key, { w, x: w * positions.lngs[i]!, y: w * positions.lats[i]!, code });
  }
  return [...sums.values()].map((s) => ({
    lng: s.x / s.w,
    lat: s.y / s.w,
    weight: s.w,
    code: s.code,
  }));
}

export interface LandMask {
  points: ScopedPoint[];
  /** What decided which cells count: people, streets, or nothing (all of the area). */
  basis: 'population' | 'roads' | null;
  layer: { id: number; name: string; citation: string | null } | null;
  slot: number | null;
}

/** The loaded population layer with the most people (the region's own, not a small test). */
async function mainPopulationLayer(db: AppDatabase): Promise<DemandLayerRecord | null> {
  const layers = (await listDemandLayers(db)).filter((l) => l.kind === 'population' && !l.loading);
  return layers.sort((a, b) => b.total_weight - a.total_weight || b.id - a.id)[0] ?? null;
}

/**
 * The grid cells (centres, `cellM` squares) on inhabited or reachable land. `slotOf` picks the
 * layer's slot (the instant asked about).
 */
export async function onInhabitedLand(
  db: AppDatabase,
  grid: ScopedPoint[],
  cellM: number,
  slotOf: (layer: DemandLayerRecord) => number,
  graph: RoadGraph | null,
): Promise<LandMask> {
  if (grid.length === 0) return { points: grid, basis: null, layer: null, slot: null };
  const layer = await mainPopulationLayer(db);
  if (layer) {
    const store = populationStore(db);
    const slot = slotOf(layer);
    const [positions, weights] = await Promise.all([
      store.cellPositions(layer),
      store.slotWeights(layer, slot),
    ]);
    const f = localFrame(grid[0]!.lat);
    const b = bucketer(grid[0]!.lat, cellM);
    const centres = new Map<string, number[]>();
    grid.forEach((g, i) => {
      const key = b.key(g.lng, g.lat);
      const list = centres.get(key);
      if (list) list.push(i);
      else centres.set(key, [i]);
    });
    // People per grid square: each raster cell goes to the nearest grid centre (the squares are
    // the centres' nearest-neighbour cells), looked up in the 3 × 3 buckets around it.
    const people = new Float64Array(grid.length);
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (!(w > 0)) continue;
      const lng = positions.lngs[i]!;
      const lat = positions.lats[i]!;
      const bx = Math.floor(lng / b.dx);
      const by = Math.floor(lat / b.dy);
      let best = -1;
      let bestD = cellM * cellM; // farther than a cell from every centre: outside the grid
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          for (const g of centres.get(`${bx + dx},${by + dy}`) ?? []) {
            const e = (grid[g]!.lng - lng) * f.metresPerDegLng;
            const n = (grid[g]!.lat - lat) * f.metresPerDegLat;
            if (e * e + n * n < bestD) ((bestD = e * e + n * n), (best = g));
          }
        }
      }
      if (best >= 0) people[best]! += w;
    }
    const threshold = INHABITED_PER_KM2 * (cellM / 1000) ** 2;
    return {
      points: grid.filter((_, i) => people[i]! >= threshold),
      basis: 'population',
      layer: { id: layer.id, name: layer.name, citation: layer.citation },
      slot,
    };
  }
  if (graph) {
    const near = pointsNearSegments(streetSegments(graph), grid, Math.max(REACHABLE_M, cellM / 2));
    return { points: grid.filter((_, i) => near[i]), basis: 'roads', layer: null, slot: null };
  }
  return { points: grid, basis: null, layer: null, slot: null };
}

/** Every edge of the graph as flat segments [x1, y1, x2, y2, …]. */
function streetSegments(graph: RoadGraph): Float64Array {
  const out: number[] = [];
  for (let e = 0; e < graph.edgeCount; e++) {
    const flat = graph.edgeFlatCoordinates(e);
    for (let i = 2; i < flat.length; i += 2)
      out.push(flat[i - 2]!, flat[i - 1]!, flat[i]!, flat[i + 1]!);
  }
  return Float64Array.from(out);
}
