/**
 * In-memory snapping: the nearest point on the nearest usable edge, through a uniform grid of edge
 * segments. `/api/route` snaps with it whenever the graph is loaded (no SQL round trip per end);
 * the database's KNN path (`findNearbyEdges`) remains for callers without the graph.
 */
import { geodesicDistanceM } from '../geo/geodesic.js';
import { cumulativeMetres } from './edge-geometry.js';
import { haversineMetres, metresPerDegree, type LngLat } from './geo.js';
import type { ProfileName } from './profiles.js';
import type { RoadGraph } from './road-graph.js';
import type { EdgeSnap } from './search-side.js';

export interface SnapResult extends EdgeSnap {
  /** The snapped point on the edge. */
  point: LngLat;
  /** Metres from the query point to `point`. */
  distanceM: number;
}

export interface SnapOptions {
  /** Give up beyond this distance; default 1000 m. */
  maxDistanceM?: number;
  /** Only edges this profile may travel in at least one direction. */
  profile?: ProfileName;
}

/** Segments within 0.2 % + 1 cm of the nearest are re-measured on the ellipsoid (`breakNearTie`). */
const NEAR_TIE = 1.002;
const NEAR_TIE_M = 0.01;
/** Distances closer than this are equal (one junction reached along different edges). */
const TIE_M = 1e-6;

/** About 550 m north–south: small enough that a query scans few segments in a city. */
const DEFAULT_CELL_DEG = 0.005;

export class SnapIndex {
  private readonly cellOffsets: Int32Array;
  private readonly cellSegments: Int32Array;
  /** Per segment: `[lng1, lat1, lng2, lat2]`, its edge, and its first vertex's index in the edge. */
  private readonly segmentCoords: Float64Array;
  private readonly segmentEdge: Int32Array;
  private readonly segmentVertex: Int32Array;
  /** South-west corner of the grid and its size in cells. */
  private readonly originLng: number;
  private readonly originLat: number;
  private readonly columns: number;
  private readonly rows: number;
  /** Smallest ground size of a cell side anywhere in the grid, for the search's stopping rule. */
  private readonly minCellMetres: number;

  private readonly cellDeg: number;

  constructor(
    private readonly graph: RoadGraph,
    preferredCellDeg = DEFAULT_CELL_DEG,
  ) {
    let [minLng, minLat, maxLng, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
    const segmentTotal = graph.geometryCoords.length / 2 + graph.edgeCount;
    this.segmentCoords = new Float64Array(segmentTotal * 4);
    this.segmentEdge = new Int32Array(segmentTotal);
    this.segmentVertex = new Int32Array(segmentTotal);
    let segment = 0;
    for (let edge = 0; edge < graph.edgeCount; edge++) {
      const flat = graph.edgeFlatCoordinates(edge);
      for (let i = 0; i + 3 < flat.length; i += 2, segment++) {
        this.segmentCoords.set(flat.subarray(i, i + 4), segment * 4);
        this.segmentEdge[segment] = edge;
        this.segmentVertex[segment] = i / 2;
        for (let j = i; j <= i + 2; j += 2) {
          minLng = Math.min(minLng, flat[j]);
          maxLng = Math.max(maxLng, flat[j]);
          minLat = Math.min(minLat, flat[j + 1]);
          maxLat = Math.max(maxLat, flat[j + 1]);
        }
      }
    }
    // Sparse networks over a large area (a country) get bigger cells: at most ~4 cells per segment.
    const area = segmentTotal > 0 ? (maxLng - minLng) * (maxLat - minLat) : 0;
    const cellDeg = Math.max(preferredCellDeg, Math.sqrt(area / (4 * segmentTotal + 1)));
    this.cellDeg = cellDeg;
    this.originLng = segmentTotal > 0 ? minLng : 0;
    this.originLat = segmentTotal > 0 ? minLat : 0;
    this.columns = segmentTotal > 0 ? Math.floor((maxLng - minLng) / cellDeg) + 1 : 1;
    this.rows = segmentTotal > 0 ? Math.floor((maxLat - minLat) / cellDeg) + 1 : 1;
    const worstLat = Math.max(Math.abs(minLat), Math.abs(maxLat));
    const scale = metresPerDegree(Number.isFinite(worstLat) ? worstLat : 0);
    this.minCellMetres = cellDeg * Math.min(scale.x, scale.y);

    // Counting sort of segments into the cells their bounding box covers.
    this.cellOffsets = new Int32Array(this.columns * this.rows + 1);
    this.forEachSegmentCell((cell) => this.cellOffsets[cell + 1]++);
    for (let c = 0; c < this.columns * this.rows; c++)
      this.cellOffsets[c + 1] += this.cellOffsets[c];
    this.cellSegments = new Int32Array(this.cellOffsets[this.columns * this.rows]);
    const cursor = this.cellOffsets.slice(0, -1);
    this.forEachSegmentCell((cell, seg) => (this.cellSegments[cursor[cell]++] = seg));
  }

  /** Nearest point on a usable edge within `maxDistanceM`, or `null` when there is none. */
  nearest(lng: number, lat: number, options: SnapOptions = {}): SnapResult | null {
    const maxDistanceM = options.maxDistanceM ?? 1000;
    const profile = options.profile;
    const scale = metresPerDegree(lat);
    const column = Math.floor((lng - this.originLng) / this.cellDeg);
    const row = Math.floor((lat - this.originLat) / this.cellDeg);

    let bestSegment = -1;
    let bestT = 0;
    let bestMetres = Infinity;
    const seen = new Set<number>();
    /** `[segment, t, metres]` of every segment about as near as the best so far. */
    const near: number[] = [];
    const coords = this.segmentCoords;
    for (let ring = 0; ; ring++) {
      // Every cell of the next ring is at least `ring` whole cells away from the query point.
      const ringMinMetres = Math.max(0, ring - 1) * this.minCellMetres;
      if (ringMinMetres > Math.min(bestMetres, maxDistanceM)) break;
      if (ring > this.columns + this.rows + Math.abs(column) + Math.abs(row)) break;
      for (const cell of this.ringCells(column, row, ring)) {
        for (let i = this.cellOffsets[cell]; i < this.cellOffsets[cell + 1]; i++) {
          const seg = this.cellSegments[i];
          if (seen.has(seg)) continue;
          seen.add(seg);
          if (profile && !this.graph.isEdgeUsable(profile, this.segmentEdge[seg])) continue;
          // Point-to-segment projection in a local metric frame centred on the query point.
          const ax = (coords[seg * 4] - lng) * scale.x;
          const ay = (coords[seg * 4 + 1] - lat) * scale.y;
          const dx = (coords[seg * 4 + 2] - lng) * scale.x - ax;
          const dy = (coords[seg * 4 + 3] - lat) * scale.y - ay;
          const squared = dx * dx + dy * dy;
          const t = squared > 0 ? Math.min(1, Math.max(0, -(ax * dx + ay * dy) / squared)) : 0;
          const metres = Math.hypot(ax + t * dx, ay + t * dy);
          if (metres <= bestMetres * NEAR_TIE + NEAR_TIE_M) near.push(seg, t, metres);
          if (metres < bestMetres) {
            bestMetres = metres;
            bestSegment = seg;
            bestT = t;
          }
        }
      }
    }
    if (bestSegment < 0 || bestMetres > maxDistanceM) return null;
    [bestSegment, bestT] = this.breakNearTie(near, bestMetres, lng, lat) ?? [bestSegment, bestT];
    return this.describe(bestSegment, bestT, lng, lat);
  }

  /**
   * Among segments within a hair of the best (the local frame is only approximately the
   * ellipsoid), the nearest by WGS-84 geodesic distance, as PostGIS measures geography; on an equal
   * distance (a junction where several edges meet) the lowest edge id, like the SQL snap's
   * `order by distance_m, id`. Null when one edge is clearly nearest.
   */
  private breakNearTie(
    near: number[],
    bestMetres: number,
    lng: number,
    lat: number,
  ): [number, number] | null {
    let chosen: [number, number] | null = null;
    let chosenMetres = Infinity;
    let chosenEdge = -1;
    for (let i = 0; i < near.length; i += 3) {
      if (near[i + 2] > bestMetres * NEAR_TIE + NEAR_TIE_M) continue;
      const [seg, t] = [near[i], near[i + 1]];
      const c = this.segmentCoords;
      // End points exactly, so edges meeting at a node measure the very same point.
      const k = seg * 4 + (t === 1 ? 2 : 0);
      const [x, y] =
        t === 0 || t === 1
          ? [c[k], c[k + 1]]
          : [
              c[seg * 4] + t * (c[seg * 4 + 2] - c[seg * 4]),
              c[seg * 4 + 1] + t * (c[seg * 4 + 3] - c[seg * 4 + 1]),
            ];
      const metres = geodesicDistanceM(lng, lat, x, y);
      const edge = this.segmentEdge[seg];
      if (metres < chosenMetres - TIE_M || (metres <= chosenMetres + TIE_M && edge < chosenEdge)) {
        chosen = [seg, t];
        chosenMetres = Math.min(metres, chosenMetres);
        chosenEdge = edge;
      }
    }
    return chosen;
  }

  private describe(seg: number, t: number, lng: number, lat: number): SnapResult {
    const c = this.segmentCoords.subarray(seg * 4, seg * 4 + 4);
    const point: LngLat = [c[0] + t * (c[2] - c[0]), c[1] + t * (c[3] - c[1])];
    const edgeId = this.segmentEdge[seg];
    const along = cumulativeMetres(this.graph.edgeFlatCoordinates(edgeId));
    const vertex = this.segmentVertex[seg];
    const total = along[along.length - 1];
    const metresAlong = along[vertex] + t * (along[vertex + 1] - along[vertex]);
    const fraction = total > 0 ? Math.min(1, metresAlong / total) : 0;
    return { edgeId, fraction, point, distanceM: haversineMetres(lng, lat, point[0], point[1]) };
  }

  /** Grid cells at Chebyshev distance `ring` from (column, row), clipped to the grid. */
  private *ringCells(column: number, row: number, ring: number): Generator<number> {
    for (let y = row - ring; y <= row + ring; y++) {
      if (y < 0 || y >= this.rows) continue;
      const onEdgeRow = y === row - ring || y === row + ring;
      for (let x = column - ring; x <= column + ring; x += onEdgeRow || ring === 0 ? 1 : 2 * ring) {
        if (x >= 0 && x < this.columns) yield y * this.columns + x;
      }
    }
  }

  private forEachSegmentCell(visit: (cell: number, segment: number) => void): void {
    const coords = this.segmentCoords;
    for (let seg = 0; seg < this.segmentEdge.length; seg++) {
      const [x1, y1, x2, y2] = [0, 1, 2, 3].map((k) => coords[seg * 4 + k]);
      const colLow = Math.floor((Math.min(x1, x2) - this.originLng) / this.cellDeg);
      const colHigh = Math.floor((Math.max(x1, x2) - this.originLng) / this.cellDeg);
      const rowLow = Math.floor((Math.min(y1, y2) - this.originLat) / this.cellDeg);
      const rowHigh = Math.floor((Math.max(y1, y2) - this.originLat) / this.cellDeg);
      for (let r = rowLow; r <= rowHigh; r++) {
        for (let c = colLow; c <= colHigh; c++) visit(r * this.columns + c, seg);
      }
    }
  }
}
