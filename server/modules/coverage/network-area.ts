/**
 * Area covered by a band around reached streets, per area, measured by one sweep over horizontal
 * rows instead of a union of buffers. In each row (a fixed step of latitude, `rowM` metres on the
 * ground) every reached segment's band — the set of points within `radiusM` of it, a capsule — cuts
 * one exact interval of longitude; the row's covered set is the union of those intervals, and an
 * area's row is its own exact polygon crossing intervals. Covered km² is the sum over rows of
 * (area ∩ covered) length × row height, both in metres at that row's latitude on the WGS-84
 * ellipsoid: exact across each row, the midpoint rule between rows. Gaps are the area minus the
 * covered set, joined across rows into connected parts (the largest is reported) and, on request,
 * traced into polygons.
 *
 * Cost: each segment is handled in (its height + 2·radius) / rowM rows, each area edge likewise, so
 * the whole sweep is linear in the reached network and the area outlines (plus a sort per row).
 * Pure function of typed arrays and plain objects: it can run in a worker thread.
 */
import { localFrame } from './local-distance.js';

export interface SweepArea {
  /** Rings of the area's polygons as flat `[lng, lat, …]` arrays (outer rings and holes alike). */
  rings: Float64Array[];
}

export interface SweepInput {
  areas: SweepArea[];
  /** Segments whose band counts as covered: flat `[lng1, lat1, lng2, lat2, …]`. */
  covered: Float64Array;
  /** Half-width of the band, metres. */
  radiusM: number;
  /** Row height, metres. */
  rowM: number;
  /** Segments whose length is measured per area (no band), e.g. reached and all streets. */
  lengthSets?: Float64Array[];
  /** Trace the gaps into polygons (rings of `[lng, lat]`), simplified to this tolerance in metres. */
  traceGapsM?: number;
  /** `performance.now()` deadline; past it the sweep throws `SweepTimeout`. */
  deadline?: number;
}

export interface SweepAreaResult {
  coveredM2: number;
  /** The area as the sweep measured it (for checks; the table uses the spheroid area from SQL). */
  sweptM2: number;
  largestGapM2: number;
  largestGapPoint: [number, number] | null;
  /** Metres of each `lengthSets` entry inside the area. */
  lengthsM: number[];
  /**
   * The gap, when traced, as strips (polygons of `[lng, lat]` rings) that meet along row lines:
   * their union is the gap's outline (unioning them is bounded by the gap's own complexity).
   */
  gapPolygons?: Array<Array<Array<[number, number]>>>;
}

export class SweepTimeout extends Error {
  constructor() {
    super('coverage sweep ran out of time');
  }
}

/** A degree of latitude is at least this many metres anywhere on the ellipsoid. */
const MIN_METRES_PER_DEG_LAT = 110_500;

/** Growable typed-array list of numbers. */
class NumList {
  data: Float64Array;
  length = 0;
  constructor(capacity = 64) {
    this.data = new Float64Array(capacity);
  }
  push(v: number) {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/**
 * Segments bucketed by the first row they touch, so a sweep can add them as it reaches that row.
 * `stride` numbers per segment in `flat` (4: x1 y1 x2 y2).
 */
function bucketByRow(flat: Float64Array, marginDeg: number, hDeg: number, j0: number, rows: number) {
  const count = flat.length / 4;
  const first = new Int32Array(count);
  const last = new Int32Array(count);
  const starts = new Int32Array(rows + 1);
  for (let s = 0; s < count; s++) {
    const y1 = flat[s * 4 + 1]!;
    const y2 = flat[s * 4 + 3]!;
    const lo = Math.ceil((Math.min(y1, y2) - marginDeg) / hDeg - 0.5) - j0;
    const hi = Math.floor((Math.max(y1, y2) + marginDeg) / hDeg - 0.5) - j0;
    first[s] = Math.max(lo, 0);
    last[s] = Math.min(hi, rows - 1);
    if (first[s]! <= last[s]!) starts[first[s]! + 1]! += 1;
  }
  for (let r = 0; r < rows; r++) starts[r + 1]! += starts[r]!;
  const order = new Int32Array(starts[rows]!);
  const cursor = starts.slice(0, rows);
  for (let s = 0; s < count; s++) if (first[s]! <= last[s]!) order[cursor[first[s]!]!++] = s;
  return { starts, order, last };
}

/** Active segments of a sweep: added when their first row comes, dropped after their last. */
class ActiveSet {
  items = new Int32Array(64);
  size = 0;
  constructor(private readonly buckets: ReturnType<typeof bucketByRow>) {}
  advance(row: number) {
    const { starts, order, last } = this.buckets;
    let kept = 0;
    for (let i = 0; i < this.size; i++) {
      const s = this.items[i]!;
      if (last[s]! >= row) this.items[kept++] = s;
    }
    this.size = kept;
    for (let i = starts[row]!; i < starts[row + 1]!; i++) {
      if (this.size === this.items.length) {
        const next = new Int32Array(this.items.length * 2);
        next.set(this.items);
        this.items = next;
      }
      this.items[this.size++] = order[i]!;
    }
  }
}

/**
 * The interval of x (metres, relative to the segment's first point) where the horizontal line at
 * y = 0 passes within r of the segment A(0, ay)–B(bx, by); writes [lo, hi] into `out`, or returns
 * false when the line misses the band. The band is convex, so its pieces (two discs and the
 * rectangle between them) give one interval.
 */
function capsuleRow(ay: number, bx: number, by: number, r: number, out: Float64Array): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  if (Math.abs(ay) <= r) {
    const h = Math.sqrt(r * r - ay * ay);
    lo = -h;
    hi = h;
  }
  if (Math.abs(by) <= r) {
    const h = Math.sqrt(r * r - by * by);
    lo = Math.min(lo, bx - h);
    hi = Math.max(hi, bx + h);
  }
  const dx = bx;
  const dy = by - ay;
  const l2 = dx * dx + dy * dy;
  if (l2 > 0) {
    const l = Math.sqrt(l2);
    // Projection t = (x·dx − ay·dy) / l² within [0, 1] …
    let tLo = -Infinity;
    let tHi = Infinity;
    if (dx !== 0) {
      const a = (ay * dy) / dx;
      const b = (l2 + ay * dy) / dx;
      tLo = Math.min(a, b);
      tHi = Math.max(a, b);
    } else {
      const t = (-ay * dy) / l2;
      if (t < 0 || t > 1) tHi = -Infinity;
    }
    // … and distance to the line |x·dy + ay·dx| / l ≤ r.
    let cLo = -Infinity;
    let cHi = Infinity;
    if (dy !== 0) {
      const a = (r * l - ay * dx) / dy;
      const b = (-r * l - ay * dx) / dy;
      cLo = Math.min(a, b);
      cHi = Math.max(a, b);
    } else if (Math.abs(ay) > r) {
      cHi = -Infinity;
    }
    const sLo = Math.max(tLo, cLo);
    const sHi = Math.min(tHi, cHi);
    if (sLo <= sHi) {
      lo = Math.min(lo, sLo);
      hi = Math.max(hi, sHi);
    }
  }
  if (lo > hi) return false;
  out[0] = lo;
  out[1] = hi;
  return true;
}

/** Union of intervals given by separately sorted starts and ends (each start ≤ its end). */
function unionSorted(starts: Float64Array, ends: Float64Array, n: number, out: NumList) {
  out.length = 0;
  let i = 0;
  let k = 0;
  let depth = 0;
  let open = 0;
  while (k < n) {
    if (i < n && starts[i]! <= ends[k]!) {
      if (depth++ === 0) open = starts[i]!;
      i++;
    } else {
      if (--depth === 0) {
        out.push(open);
        out.push(ends[k]!);
      }
      k++;
    }
  }
}

interface AreaState {
  edges: Float64Array;
  buckets: ReturnType<typeof bucketByRow>;
  active: ActiveSet;
  j0: number;
  rows: number;
  coveredM2: number;
  sweptM2: number;
  lengthsM: number[];
  /** Gap intervals of the previous row with their component ids. */
  prevGaps: NumList;
  prevIds: NumList;
  nextIds: NumList;
  /** Every gap interval id of the area, to find its components at the end. */
  components: NumList;
  strips?: Strip[];
  traceScratch?: NumList;
  prevStrips?: Array<Strip | null>;
  closed?: Strip[];
}

interface Strip {
  left: number[];
  right: number[];
  ys: number[];
}

/** Polygon edges of an area as flat segments. */
function areaEdges(area: SweepArea): Float64Array {
  let n = 0;
  for (const ring of area.rings) n += ring.length / 2;
  const out = new Float64Array(n * 4);
  let o = 0;
  for (const ring of area.rings) {
    const m = ring.length / 2;
    for (let i = 0; i < m; i++) {
      const k = (i + 1) % m;
      out[o++] = ring[i * 2]!;
      out[o++] = ring[i * 2 + 1]!;
      out[o++] = ring[k * 2]!;
      out[o++] = ring[k * 2 + 1]!;
    }
  }
  return out;
}

export function sweepCoverage(input: SweepInput): SweepAreaResult[] {
  const { areas, covered, radiusM, rowM } = input;
  const lengthSets = input.lengthSets ?? [];
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (const area of areas) {
    for (const ring of area.rings) {
      for (let i = 1; i < ring.length; i += 2) {
        minLat = Math.min(minLat, ring[i]!);
        maxLat = Math.max(maxLat, ring[i]!);
      }
    }
  }
  const results: SweepAreaResult[] = areas.map(() => ({
    coveredM2: 0,
    sweptM2: 0,
    largestGapM2: 0,
    largestGapPoint: null,
    lengthsM: lengthSets.map(() => 0),
  }));
  if (!(minLat <= maxLat)) return results;
  // Rows are aligned to a fixed lattice of latitude, so an area's figures do not depend on scope.
  const hDeg = rowM / localFrame((minLat + maxLat) / 2).metresPerDegLat;
  const jMin = Math.ceil(minLat / hDeg - 0.5);
  const jMax = Math.floor(maxLat / hDeg - 0.5);
  const rows = Math.max(0, jMax - jMin + 1);
  const marginDeg = radiusM / MIN_METRES_PER_DEG_LAT;
  const capsules = bucketByRow(covered, marginDeg, hDeg, jMin, rows);
  const activeCapsules = new ActiveSet(capsules);
  // A segment counts in every row whose band [centre ± h/2] it crosses.
  const lineBuckets = lengthSets.map((set) => bucketByRow(set, hDeg / 2, hDeg, jMin, rows));
  const activeLines = lineBuckets.map((b) => new ActiveSet(b));
  const rowPieces = lengthSets.map(() => new RowPieces());

  const states: AreaState[] = areas.map((area) => {
    const edges = areaEdges(area);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 1; i < edges.length; i += 2) {
      lo = Math.min(lo, edges[i]!);
      hi = Math.max(hi, edges[i]!);
    }
    const j0 = Math.max(jMin, Math.ceil(lo / hDeg - 0.5));
    const areaRows = Math.max(0, Math.floor(hi / hDeg - 0.5) - j0 + 1);
    const buckets = bucketByRow(edges, 0, hDeg, j0, areaRows);
    return {
      edges,
      buckets,
      active: new ActiveSet(buckets),
      j0,
      rows: areaRows,
      coveredM2: 0,
      sweptM2: 0,
      lengthsM: lengthSets.map(() => 0),
      prevGaps: new NumList(),
      prevIds: new NumList(),
      nextIds: new NumList(),
      components: new NumList(),
      ...(input.traceGapsM !== undefined ? { strips: [], prevStrips: [], closed: [] } : {}),
    };
  });
  // Areas by their first row, so each row only visits the areas it crosses.
  const byStart = [...states.keys()].sort((a, b) => states[a]!.j0 - states[b]!.j0);
  let nextArea = 0;
  let live: number[] = [];

  // Union-find over gap intervals, per component: area and its longest interval's middle.
  const parent: number[] = [];
  const compM2: number[] = [];
  const compBest: number[] = [];
  const compX: number[] = [];
  const compY: number[] = [];
  const find = (c: number): number => {
    while (parent[c] !== c) {
      parent[c] = parent[parent[c]!]!;
      c = parent[c]!;
    }
    return c;
  };
  const union = (a: number, b: number) => {
    a = find(a);
    b = find(b);
    if (a === b) return;
    if (compM2[a]! < compM2[b]!) [a, b] = [b, a];
    parent[b] = a;
    compM2[a]! += compM2[b]!;
    if (compBest[b]! > compBest[a]!) {
      compBest[a] = compBest[b]!;
      compX[a] = compX[b]!;
      compY[a] = compY[b]!;
    }
  };

  let starts = new Float64Array(64);
  let ends = new Float64Array(64);
  const cover = new NumList();
  const poly = new NumList();
  const crossings = new NumList();
  const gaps = new NumList();
  const interval = new Float64Array(2);

  for (let row = 0; row < rows; row++) {
    if (input.deadline !== undefined && (row & 255) === 0 && performance.now() > input.deadline) {
      throw new SweepTimeout();
    }
    const j = jMin + row;
    const y = (j + 0.5) * hDeg;
    const frame = localFrame(y);
    const kx = frame.metresPerDegLng;
    const ky = frame.metresPerDegLat;
    const rowHeightM = hDeg * ky;
    while (nextArea < byStart.length && states[byStart[nextArea]!]!.j0 <= j) {
      live.push(byStart[nextArea++]!);
    }
    live = live.filter((a) => {
      const s = states[a]!;
      if (j < s.j0 + s.rows) return true;
      finishArea(s, results[a]!, input.traceGapsM, hDeg, rowM);
      return false;
    });
    activeCapsules.advance(row);
    for (const set of activeLines) set.advance(row);
    if (live.length === 0) continue;
    for (let k = 0; k < rowPieces.length; k++) {
      rowPieces[k]!.collect(lengthSets[k]!, activeLines[k]!, y, hDeg, kx, ky);
    }

    // The covered set of this row: the union of every active band's interval.
    if (starts.length < activeCapsules.size) {
      starts = new Float64Array(activeCapsules.size * 2);
      ends = new Float64Array(activeCapsules.size * 2);
    }
    let n = 0;
    for (let i = 0; i < activeCapsules.size; i++) {
      const o = activeCapsules.items[i]! * 4;
      const x1 = covered[o]!;
      const ok = capsuleRow(
        (covered[o + 1]! - y) * ky,
        (covered[o + 2]! - x1) * kx,
        (covered[o + 3]! - y) * ky,
        radiusM,
        interval,
      );
      if (ok) {
        starts[n] = x1 + interval[0]! / kx;
        ends[n] = x1 + interval[1]! / kx;
        n++;
      }
    }
    const s = starts.subarray(0, n).sort();
    const e = ends.subarray(0, n).sort();
    unionSorted(s, e, n, cover);

    for (const a of live) {
      const state = states[a]!;
      state.active.advance(j - state.j0);
      // The area's own intervals on this row (even–odd rule: holes and separate parts alike).
      crossings.length = 0;
      for (let i = 0; i < state.active.size; i++) {
        const o = state.active.items[i]! * 4;
        const y1 = state.edges[o + 1]!;
        const y2 = state.edges[o + 3]!;
        if (y1 <= y !== y2 <= y) {
          const x1 = state.edges[o]!;
          crossings.push(x1 + ((y - y1) * (state.edges[o + 2]! - x1)) / (y2 - y1));
        }
      }
      const c = crossings.data.subarray(0, crossings.length).sort();
      poly.length = 0;
      for (let i = 0; i + 1 < c.length; i += 2) {
        if (c[i + 1]! > c[i]!) {
          poly.push(c[i]!);
          poly.push(c[i + 1]!);
        }
      }
      // Area ∩ covered, and area minus covered (the gaps), by merging the two sorted lists.
      gaps.length = 0;
      let coveredDeg = 0;
      let sweptDeg = 0;
      // First covered interval that may reach the area (binary search: rows hold many).
      let u = 0;
      if (poly.length > 0) {
        let lo = 0;
        let hi = cover.length / 2;
        const first = poly.data[0]!;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cover.data[mid * 2 + 1]! <= first) lo = mid + 1;
          else hi = mid;
        }
        u = lo * 2;
      }
      for (let p = 0; p < poly.length; p += 2) {
        const lo = poly.data[p]!;
        const hi = poly.data[p + 1]!;
        sweptDeg += hi - lo;
        let cursor = lo;
        while (u < cover.length && cover.data[u + 1]! <= lo) u += 2;
        let w = u;
        while (w < cover.length && cover.data[w]! < hi) {
          const cLo = Math.max(lo, cover.data[w]!);
          const cHi = Math.min(hi, cover.data[w + 1]!);
          if (cHi > cLo) {
            coveredDeg += cHi - cLo;
            if (cLo > cursor) {
              gaps.push(cursor);
              gaps.push(cLo);
            }
            cursor = Math.max(cursor, cHi);
          }
          w += 2;
        }
        if (hi > cursor) {
          gaps.push(cursor);
          gaps.push(hi);
        }
      }
      state.coveredM2 += coveredDeg * kx * rowHeightM;
      state.sweptM2 += sweptDeg * kx * rowHeightM;
      linkGaps(state, gaps, y, kx * rowHeightM, kx);
      if (state.strips) traceRow(state, gaps, y);
      for (let k = 0; k < rowPieces.length; k++) {
        state.lengthsM[k]! += rowPieces[k]!.lengthIn(poly);
      }
    }
  }
  for (const a of live) finishArea(states[a]!, results[a]!, input.traceGapsM, hDeg, rowM);

  function linkGaps(state: AreaState, row: NumList, y: number, m2PerDeg: number, kx: number) {
    const ids = state.nextIds;
    ids.length = 0;
    let p = 0;
    for (let g = 0; g < row.length; g += 2) {
      const lo = row.data[g]!;
      const hi = row.data[g + 1]!;
      const id = parent.length;
      parent.push(id);
      compM2.push((hi - lo) * m2PerDeg);
      compBest.push((hi - lo) * kx);
      compX.push((lo + hi) / 2);
      compY.push(y);
      ids.push(id);
      // Previous-row gaps overlapping this one belong to the same part.
      while (p < state.prevGaps.length && state.prevGaps.data[p + 1]! <= lo) p += 2;
      for (let q = p; q < state.prevGaps.length && state.prevGaps.data[q]! < hi; q += 2) {
        union(id, state.prevIds.data[q / 2]!);
      }
    }
    state.prevGaps.length = 0;
    for (let g = 0; g < row.length; g++) state.prevGaps.push(row.data[g]!);
    state.nextIds = state.prevIds;
    state.prevIds = ids;
    for (let i = 0; i < ids.length; i++) state.components.push(ids.data[i]!);
  }

  return results;

  function finishArea(
    state: AreaState,
    result: SweepAreaResult,
    traceM: number | undefined,
    h: number,
    rowMetres: number,
  ) {
    result.coveredM2 = state.coveredM2;
    result.sweptM2 = state.sweptM2;
    result.lengthsM = state.lengthsM;
    let best = -1;
    for (let i = 0; i < state.components.length; i++) {
      const root = find(state.components.data[i]!);
      if (best < 0 || compM2[root]! > compM2[best]!) best = root;
    }
    if (best >= 0 && compM2[best]! > 0) {
      result.largestGapM2 = compM2[best]!;
      result.largestGapPoint = [compX[best]!, compY[best]!];
    }
    if (state.strips && traceM !== undefined) {
      for (const strip of state.prevStrips ?? []) if (strip) state.closed!.push(strip);
      result.gapPolygons = state.closed!.map((strip) => stripPolygon(strip, h, traceM, rowMetres));
    }
  }
}

/**
 * The parts of a set of segments inside one row band, sorted by their west end, so each area
 * measures only the parts within its own longitudes (binary search) instead of the whole row.
 */
class RowPieces {
  lo = new Float64Array(64);
  hi = new Float64Array(64);
  len = new Float64Array(64);
  order = new Int32Array(64);
  sortedLo = new Float64Array(64);
  count = 0;
  widest = 0;

  collect(flat: Float64Array, active: ActiveSet, y: number, hDeg: number, kx: number, ky: number) {
    if (this.lo.length < active.size) {
      const size = active.size * 2;
      this.lo = new Float64Array(size);
      this.hi = new Float64Array(size);
      this.len = new Float64Array(size);
      this.order = new Int32Array(size);
      this.sortedLo = new Float64Array(size);
    }
    const bandLo = y - hDeg / 2;
    const bandHi = y + hDeg / 2;
    let n = 0;
    this.widest = 0;
    for (let i = 0; i < active.size; i++) {
      const o = active.items[i]! * 4;
      let x1 = flat[o]!;
      let y1 = flat[o + 1]!;
      let x2 = flat[o + 2]!;
      let y2 = flat[o + 3]!;
      if (y1 > y2) [x1, y1, x2, y2] = [x2, y2, x1, y1];
      // The part of the segment inside this row's band (half-open, so each part counts once).
      let t0 = 0;
      let t1 = 1;
      if (y2 > y1) {
        t0 = Math.max(0, (bandLo - y1) / (y2 - y1));
        t1 = Math.min(1, (bandHi - y1) / (y2 - y1));
        if (t1 <= t0) continue;
      } else if (!(y1 >= bandLo && y1 < bandHi)) continue;
      const ax = x1 + t0 * (x2 - x1);
      const bx = x1 + t1 * (x2 - x1);
      const lengthM = Math.hypot((bx - ax) * kx, (t1 - t0) * (y2 - y1) * ky);
      if (lengthM === 0) continue;
      this.lo[n] = Math.min(ax, bx);
      this.hi[n] = Math.max(ax, bx);
      this.len[n] = lengthM;
      this.order[n] = n;
      this.widest = Math.max(this.widest, this.hi[n]! - this.lo[n]!);
      n++;
    }
    this.count = n;
    const lo = this.lo;
    const order = this.order.subarray(0, n).sort((a, b) => lo[a]! - lo[b]!);
    for (let i = 0; i < n; i++) this.sortedLo[i] = lo[order[i]!]!;
  }

  /** Metres of the row's parts inside the area's intervals `poly` (sorted, disjoint). */
  lengthIn(poly: NumList): number {
    if (poly.length === 0 || this.count === 0) return 0;
    const west = poly.data[0]! - this.widest;
    const east = poly.data[poly.length - 1]!;
    let a = 0;
    let b = this.count;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (this.sortedLo[mid]! < west) a = mid + 1;
      else b = mid;
    }
    let total = 0;
    for (let i = a; i < this.count && this.sortedLo[i]! <= east; i++) {
      const k = this.order[i]!;
      const lo = this.lo[k]!;
      const hi = this.hi[k]!;
      let inside = 0;
      if (hi - lo < 1e-12) {
        for (let p = 0; p < poly.length; p += 2) {
          if (lo >= poly.data[p]! && lo <= poly.data[p + 1]!) inside = 1;
        }
      } else {
        for (let p = 0; p < poly.length; p += 2) {
          const from = Math.max(lo, poly.data[p]!);
          const to = Math.min(hi, poly.data[p + 1]!);
          if (to > from) inside += (to - from) / (hi - lo);
        }
      }
      total += this.len[k]! * inside;
    }
    return total;
  }
}

/** Gap geometry is written with 6 decimals; slivers narrower than a few of those are not drawn. */
const MIN_TRACE_WIDTH_DEG = 4e-6;

/** Continues, starts and ends the gap strips of an area for one row. */
function traceRow(state: AreaState, all: NumList, y: number) {
  const row = state.traceScratch ?? (state.traceScratch = new NumList());
  row.length = 0;
  for (let g = 0; g < all.length; g += 2) {
    if (all.data[g + 1]! - all.data[g]! >= MIN_TRACE_WIDTH_DEG) {
      row.push(all.data[g]!);
      row.push(all.data[g + 1]!);
    }
  }
  const prev = state.prevStrips!;
  const prevCount = prev.length;
  // The previous row's gaps are the open strips' last intervals.
  const prevLo = prev.map((s) => (s ? s.left[s.left.length - 1]! : 0));
  const prevHi = prev.map((s) => (s ? s.right[s.right.length - 1]! : 0));
  const n = row.length / 2;
  const overlapsPrev = new Int32Array(prevCount);
  const overlapsCur = new Int32Array(n);
  const match = new Int32Array(n).fill(-1);
  let p = 0;
  for (let g = 0; g < n; g++) {
    const lo = row.data[g * 2]!;
    const hi = row.data[g * 2 + 1]!;
    while (p < prevCount && prevHi[p]! <= lo) p++;
    for (let q = p; q < prevCount && prevLo[q]! < hi; q++) {
      overlapsPrev[q]! += 1;
      overlapsCur[g]! += 1;
      match[g] = q;
    }
  }
  const next: Array<Strip | null> = [];
  const continued = new Uint8Array(prevCount);
  for (let g = 0; g < n; g++) {
    const lo = row.data[g * 2]!;
    const hi = row.data[g * 2 + 1]!;
    const q = match[g]!;
    if (overlapsCur[g] === 1 && overlapsPrev[q] === 1 && prev[q]) {
      prev[q]!.left.push(lo);
      prev[q]!.right.push(hi);
      prev[q]!.ys.push(y);
      next.push(prev[q]!);
      continued[q] = 1;
    } else {
      next.push({ left: [lo], right: [hi], ys: [y] });
    }
  }
  for (let q = 0; q < prevCount; q++) if (!continued[q] && prev[q]) state.closed!.push(prev[q]!);
  state.prevStrips = next;
}

/** One strip as a polygon ring: left chain up, right chain down, its rows' half-heights added. */
function stripPolygon(
  strip: Strip,
  hDeg: number,
  toleranceM: number,
  rowM: number,
): Array<Array<[number, number]>> {
  const n = strip.ys.length;
  // Strips meet exactly where a gap splits or joins (a union of them is the gap's outline).
  const half = hDeg / 2;
  const left: Array<[number, number]> = [[strip.left[0]!, strip.ys[0]! - half]];
  for (let i = 0; i < n; i++) left.push([strip.left[i]!, strip.ys[i]!]);
  left.push([strip.left[n - 1]!, strip.ys[n - 1]! + half]);
  const right: Array<[number, number]> = [[strip.right[n - 1]!, strip.ys[n - 1]! + half]];
  for (let i = n - 1; i >= 0; i--) right.push([strip.right[i]!, strip.ys[i]!]);
  right.push([strip.right[0]!, strip.ys[0]! - half]);
  const degPerM = hDeg / rowM;
  const tol = Math.max(toleranceM, rowM / 4) * degPerM;
  // Simplifying the two sides apart could make them cross where the strip is narrower than a few
  // tolerances; such strips keep every vertex.
  let narrowest = Infinity;
  for (let i = 0; i < n; i++) narrowest = Math.min(narrowest, strip.right[i]! - strip.left[i]!);
  const simplify = narrowest > 6 * tol;
  const ring = simplify
    ? [...simplifyChain(left, tol), ...simplifyChain(right, tol)]
    : [...left, ...right];
  ring.push(ring[0]!);
  return [ring];
}

/** Douglas–Peucker on an open chain (end points kept), in degrees. */
function simplifyChain(points: Array<[number, number]>, tol: number): Array<[number, number]> {
  if (points.length <= 2) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: Array<[number, number]> = [[0, points.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const [ax, ay] = points[a]!;
    const [bx, by] = points[b]!;
    const dx = bx - ax;
    const dy = by - ay;
    const len = Math.hypot(dx, dy);
    let worst = -1;
    let worstD = tol;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = points[i]!;
      const d =
        len === 0 ? Math.hypot(px - ax, py - ay) : Math.abs((px - ax) * dy - (py - ay) * dx) / len;
      if (d > worstD) {
        worstD = d;
        worst = i;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push([a, worst], [worst, b]);
    }
  }
  return points.filter((_, i) => keep[i]);
}
