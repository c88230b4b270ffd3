/**
 * People within reach, per area: a pure function of plain (shared) arrays so it runs in the CPU
 * pool. A cell counts as covered when its centre lies within the radius of a site (straight-line
 * rules) or within the band either side of the reached streets (network rules), the same tests
 * the area figures use. Several questions (e.g. 24 hours of one day, each with its open stations
 * and its population) share one index of the cells.
 */
import { localFrame } from '../../coverage/local-distance.js';
import { pointsNearSegments } from '../../coverage/points-near-segments.js';

export interface PopulationQuestion {
  /** People per cell for this question's slot (cell order). */
  weights: Float32Array;
  /** Straight-line rule: sites as [lng0, lat0, lng1, lat1, …]. */
  sites?: Float64Array;
  /** Network rule: reached street segments as [x1, y1, x2, y2, …]. */
  segments?: Float64Array;
}

export interface PopulationCoverageInput {
  lngs: Float64Array;
  lats: Float64Array;
  /** Each cell's area index in the scope, or -1 outside it. */
  areaOf: Int32Array;
  areaCount: number;
  radiusM: number;
  questions: PopulationQuestion[];
}

export interface PopulationCoverageAnswer {
  /** People per area (scope order). */
  total: number[];
  covered: number[];
}

/** Cells in scope hashed into squares of `sizeM`, for lookups around a site. */
class CellGrid {
  private readonly buckets = new Map<number, number[]>();
  readonly cellLng: number;
  readonly cellLat: number;

  constructor(input: PopulationCoverageInput, sizeM: number, midLat: number) {
    const frame = localFrame(midLat);
    // 25 % slack on longitude: a degree shrinks northwards across the region.
    this.cellLng = (1.25 * sizeM) / frame.metresPerDegLng;
    this.cellLat = (1.25 * sizeM) / frame.metresPerDegLat;
    for (let i = 0; i < input.areaOf.length; i++) {
      if (input.areaOf[i]! < 0) continue;
      const key = this.key(
        Math.floor(input.lngs[i]! / this.cellLng),
        Math.floor(input.lats[i]! / this.cellLat),
      );
      const bucket = this.buckets.get(key);
      if (bucket) bucket.push(i);
      else this.buckets.set(key, [i]);
    }
  }

  key(i: number, j: number) {
    return i * 4_000_037 + j;
  }

  /** Marks the cells within `radiusM` of (lng, lat). */
  markAround(
    lng: number,
    lat: number,
    radiusM: number,
    input: PopulationCoverageInput,
    out: Uint8Array,
  ) {
    const f = localFrame(lat);
    const ci = Math.floor(lng / this.cellLng);
    const cj = Math.floor(lat / this.cellLat);
    const r2 = radiusM * radiusM;
    for (let di = -1; di <= 1; di++) {
      for (let dj = -1; dj <= 1; dj++) {
        const bucket = this.buckets.get(this.key(ci + di, cj + dj));
        if (!bucket) continue;
        for (const c of bucket) {
          const east = (input.lngs[c]! - lng) * f.metresPerDegLng;
          const north = (input.lats[c]! - lat) * f.metresPerDegLat;
          if (east * east + north * north <= r2) out[c] = 1;
        }
      }
    }
  }
}

export function populationCoverage(input: PopulationCoverageInput): PopulationCoverageAnswer[] {
  const n = input.areaOf.length;
  let grid: CellGrid | null = null;
  let inScope: number[] | null = null;
  const scopeCells = () => {
    if (!inScope) {
      inScope = [];
      for (let i = 0; i < n; i++) if (input.areaOf[i]! >= 0) inScope.push(i);
    }
    return inScope;
  };
  return input.questions.map((q) => {
    const covered = new Uint8Array(n);
    if (q.sites && q.sites.length > 0) {
      if (!grid) {
        const cells = scopeCells();
        const midLat = cells.length ? input.lats[cells[Math.floor(cells.length / 2)]!]! : 0;
        grid = new CellGrid(input, input.radiusM, midLat);
      }
      for (let s = 0; s < q.sites.length; s += 2) {
        grid.markAround(q.sites[s]!, q.sites[s + 1]!, input.radiusM, input, covered);
      }
    } else if (q.segments && q.segments.length > 0) {
      const cells = scopeCells();
      const near = pointsNearSegments(
        q.segments,
        cells.map((c) => ({ lng: input.lngs[c]!, lat: input.lats[c]! })),
        input.radiusM,
      );
      near.forEach((isNear, k) => {
        if (isNear) covered[cells[k]!] = 1;
      });
    }
    const total = new Array<number>(input.areaCount).fill(0);
    const coveredPeople = new Array<number>(input.areaCount).fill(0);
    for (let i = 0; i < n; i++) {
      const a = input.areaOf[i]!;
      if (a < 0) continue;
      const w = q.weights[i]!;
      total[a]! += w;
      if (covered[i]) coveredPeople[a]! += w;
    }
    return { total, covered: coveredPeople };
  });
}
