/**
 * Geometry along edges: where a fraction lies on an edge and the coordinates of a route. Fractions
 * are measured by metres along the edge's polyline (0 = source node, 1 = target node), as in
 * `EdgeSnap`.
 */
import { haversineMetres, type LngLat } from './geo.js';
import type { RoadGraph } from './road-graph.js';
import type { Route } from './search.js';

/** What edge geometry is read from: the graph, or a view of its arrays in a worker thread. */
export type EdgeGeometrySource = Pick<RoadGraph, 'edgeFlatCoordinates'>;

/** Cumulative metres at each vertex of a flat `[lng, lat, …]` polyline; the last entry is the length. */
export function cumulativeMetres(flat: Float64Array): Float64Array {
  const along = new Float64Array(flat.length / 2);
  for (let i = 1; i < along.length; i++) {
    const j = i * 2;
    along[i] = along[i - 1] + haversineMetres(flat[j - 2], flat[j - 1], flat[j], flat[j + 1]);
  }
  return along;
}

/** The point at `fraction` of the edge's length. */
export function pointAtFraction(graph: RoadGraph, edgeId: number, fraction: number): LngLat {
  const flat = graph.edgeFlatCoordinates(edgeId);
  return interpolate(flat, cumulativeMetres(flat), fraction);
}

/**
 * Coordinates of the edge between two fractions, in travel order (reversed when `from > to`), with
 * the interpolated end points included.
 */
export function sliceEdge(graph: EdgeGeometrySource, edgeId: number, from: number, to: number): LngLat[] {
  const flat = graph.edgeFlatCoordinates(edgeId);
  const along = cumulativeMetres(flat);
  const total = along[along.length - 1];
  const low = Math.min(from, to) * total;
  const high = Math.max(from, to) * total;
  const coords: LngLat[] = [interpolate(flat, along, Math.min(from, to))];
  for (let i = 0; i < along.length; i++) {
    if (along[i] > low && along[i] < high) coords.push([flat[i * 2], flat[i * 2 + 1]]);
  }
  coords.push(interpolate(flat, along, Math.max(from, to)));
  return from > to ? coords.reverse() : coords;
}

/** The route as one LineString coordinate list, without repeated junction points. */
export function routeCoordinates(graph: RoadGraph, route: Route): LngLat[] {
  const line: LngLat[] = [];
  for (const edge of route.edges) {
    for (const point of sliceEdge(graph, edge.edgeId, edge.fromFraction, edge.toFraction)) {
      const last = line[line.length - 1];
      if (!last || last[0] !== point[0] || last[1] !== point[1]) line.push(point);
    }
  }
  return line;
}

function interpolate(flat: Float64Array, along: Float64Array, fraction: number): LngLat {
  const total = along[along.length - 1];
  const target = Math.min(1, Math.max(0, fraction)) * total;
  let i = 1;
  while (i < along.length - 1 && along[i] < target) i++;
  const segment = along[i] - along[i - 1];
  const t = segment > 0 ? (target - along[i - 1]) / segment : 0;
  const j = i * 2;
  return [flat[j - 2] + t * (flat[j] - flat[j - 2]), flat[j - 1] + t * (flat[j + 1] - flat[j - 1])];
}

/**
 * Converts a fraction measured in planar degrees (what PostGIS `ST_LineLocatePoint` returns on a
 * 4326 geometry) into the engine's fraction in metres along the edge. The two differ when an
 * edge's segments run in different directions, because a degree of longitude is shorter than one
 * of latitude.
 */
export function metreFractionFromPlanar(graph: RoadGraph, edgeId: number, planar: number): number {
  const flat = graph.edgeFlatCoordinates(edgeId);
  const metres = cumulativeMetres(flat);
  const degrees = new Float64Array(metres.length);
  for (let i = 1; i < degrees.length; i++) {
    const j = i * 2;
    degrees[i] = degrees[i - 1] + Math.hypot(flat[j] - flat[j - 2], flat[j + 1] - flat[j - 1]);
  }
  const totalDegrees = degrees[degrees.length - 1];
  const totalMetres = metres[metres.length - 1];
  if (totalDegrees === 0 || totalMetres === 0) return 0;
  const target = Math.min(1, Math.max(0, planar)) * totalDegrees;
  let i = 1;
  while (i < degrees.length - 1 && degrees[i] < target) i++;
  const segment = degrees[i] - degrees[i - 1];
  const t = segment > 0 ? (target - degrees[i - 1]) / segment : 0;
  return Math.min(1, (metres[i - 1] + t * (metres[i] - metres[i - 1])) / totalMetres);
}

/**
 * `ST_LineLocatePoint` on a 4326 edge, in memory: the fraction of the edge's planar (degree)
 * length at its point closest to `[lng, lat]` in planar degrees, the first segment winning a tie
 * as in PostGIS. Lets the in-memory snap answer exactly what the SQL snap answered.
 */
export function planarLocate(graph: RoadGraph, edgeId: number, lng: number, lat: number): number {
  const flat = graph.edgeFlatCoordinates(edgeId);
  let bestSquared = Infinity;
  let bestAlong = 0;
  let along = 0;
  for (let j = 2; j < flat.length; j += 2) {
    const [ax, ay, bx, by] = [flat[j - 2], flat[j - 1], flat[j], flat[j + 1]];
    const dx = bx - ax;
    const dy = by - ay;
    const squaredLength = dx * dx + dy * dy;
    const t =
      squaredLength > 0
        ? Math.min(1, Math.max(0, ((lng - ax) * dx + (lat - ay) * dy) / squaredLength))
        : 0;
    const ex = ax + t * dx - lng;
    const ey = ay + t * dy - lat;
    const squared = ex * ex + ey * ey;
    const length = Math.sqrt(squaredLength);
    if (squared < bestSquared) {
      bestSquared = squared;
      bestAlong = along + t * length;
    }
    along += length;
  }
  return along > 0 ? bestAlong / along : 0;
}
