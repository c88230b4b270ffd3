/**
 * What one planner request may cost. Each parameter that multiplies work has a cap here, stated in
 * the schemas' descriptions (and so in the OpenAPI document); what depends on the data (how many
 * grid cells an area holds, how many demand points fall within a radius) is checked before the
 * heavy part starts, from cheap figures, and refused with the smallest setting that would fit.
 */
import { badRequest } from '../../http/errors.js';
import { MAX_MINUTES, MAX_RADIUS_M } from './coverage-rule.js';

export const COVERAGE_LIMITS = {
  /** New sites per suggestion. */
  maxK: 50,
  /** Straight-line service radius and travel time (see coverage-rule.ts). */
  maxRadiusM: MAX_RADIUS_M,
  maxMinutes: MAX_MINUTES,
  /** Smallest grid cell a request may ask for. */
  minCellM: 100,
  /** Grid cells (demand stand-ins and candidate sites) in the scope. */
  maxGridCells: 40_000,
  /** Candidate–demand pairs scored by a radius suggestion (4 bytes each: 20 MB). */
  maxCoverPairs: 5_000_000,
  /** Candidate sites of a suggestion (layer points and road nodes are thinned by a grid to this). */
  maxCandidates: 2_000,
  /** Demand points used (an upload holds at most this many). */
  maxDemandPoints: 20_000,
  /** What-if: hypothetical new sites and removed stations. */
  maxWhatIfSites: 50,
  maxWhatIfRemovals: 1_000,
  /** Outline simplification tolerance. */
  maxSimplifyM: 2_000,
  /** A timeline is one Beijing day: at most 24 hourly computations. */
  timelineHours: 24,
} as const;

/**
 * The grid cell of a straight-line suggestion over `areaKm2`: the request's, or by default half the
 * radius (coarser when the area needs it). The smallest allowed keeps the cells under
 * `maxGridCells` and the candidate–demand pairs (cells × cells per radius disc) under
 * `maxCoverPairs`; a finer request is a 400 that names it.
 */
export function radiusGridCell(areaKm2: number, radiusM: number, requested?: number): number {
  const areaM2 = areaKm2 * 1e6;
  const smallest = Math.ceil(
    Math.max(
      COVERAGE_LIMITS.minCellM,
      Math.sqrt(areaM2 / COVERAGE_LIMITS.maxGridCells),
      ((areaM2 * Math.PI * radiusM * radiusM) / COVERAGE_LIMITS.maxCoverPairs) ** 0.25,
    ),
  );
  if (requested === undefined) return Math.max(smallest, Math.ceil(radiusM / 2));
  if (requested < smallest) {
    throw badRequest(
      `cell ${requested} m is too fine for ${Math.round(areaKm2)} km² at radius ${radiusM} m (at most ${COVERAGE_LIMITS.maxGridCells} cells and ${COVERAGE_LIMITS.maxCoverPairs} candidate–demand pairs); use cell ≥ ${smallest}, a smaller radius or one area`,
    );
  }
  return Math.ceil(requested);
}
