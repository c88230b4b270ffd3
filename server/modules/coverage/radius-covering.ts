/**
 * The CPU part of a straight-line suggestion, a pure function of plain data so it can run in a
 * worker thread: which demand the open stations already cover, which candidates could cover
 * something more, and greedy maximal covering over those. Bounded by `maxPairs`.
 */
import { greedyMaximalCovering, type GreedyPick } from './greedy-covering.js';
import { localFrame, pointsWithin } from './local-distance.js';

export interface LngLat {
  lng: number;
  lat: number;
}

export interface RadiusCoveringInput {
  demand: Array<LngLat & { weight: number }>;
  /** Open stations, fixed. */
  fixed: LngLat[];
  /** Candidate sites. */
  pool: LngLat[];
  radiusM: number;
  k: number;
  /** Candidate–demand pairs the request may hold (throws TooManyPairsError past it). */
  maxPairs: number;
}

export interface RadiusCoveringResult {
  picks: GreedyPick[];
  /** Index into `pool` of each candidate the picks refer to (picks[i].candidate indexes this). */
  useful: number[];
  total: number;
  before: number;
}

export function radiusCovering(input: RadiusCoveringInput): RadiusCoveringResult {
  const { demand, fixed, pool, radiusM, k, maxPairs } = input;
  // Demand already within reach of an open station is fixed as covered.
  const alreadyCovered = new Array<boolean>(demand.length).fill(false);
  pointsWithin(demand, fixed, radiusM, maxPairs).forEach((within) =>
    within.forEach((i) => (alreadyCovered[i] = true)),
  );
  // Only candidates that could cover something still uncovered are worth scoring.
  const covers = pointsWithin(demand, pool, radiusM, maxPairs).map((within) =>
    within.filter((i) => !alreadyCovered[i]),
  );
  const useful = covers.map((c, i) => (c.length > 0 ? i : -1)).filter((i) => i >= 0);
  const around = uncoveredAround(demand, alreadyCovered, radiusM);
  const picks = greedyMaximalCovering(
    {
      weights: demand.map((d) => d.weight),
      covers: useful.map((i) => covers[i]!),
      alreadyCovered,
      tieBreak: useful.map((i) => around(pool[i]!)),
    },
    k,
  );
  const total = demand.reduce((s, d) => s + d.weight, 0);
  const before = demand.reduce((s, d, i) => s + (alreadyCovered[i] ? d.weight : 0), 0);
  return { picks, useful, total, before };
}

/**
 * Uncovered demand in the ~6-radius square around a point (squares of two radii, the 3 × 3 around
 * it): between candidates of equal gain, the one in the larger uncovered neighbourhood is where
 * the next sites will also be needed (scan order would pick a border cell).
 */
function uncoveredAround(
  demand: Array<LngLat & { weight: number }>,
  alreadyCovered: boolean[],
  radiusM: number,
): (p: LngLat) => number {
  if (demand.length === 0) return () => 0;
  const frame = localFrame(demand[Math.floor(demand.length / 2)]!.lat);
  const sizeLng = (2 * radiusM) / frame.metresPerDegLng;
  const sizeLat = (2 * radiusM) / frame.metresPerDegLat;
  const sums = new Map<string, number>();
  demand.forEach((d, i) => {
    if (alreadyCovered[i]) return;
    const key = `${Math.floor(d.lng / sizeLng)},${Math.floor(d.lat / sizeLat)}`;
    sums.set(key, (sums.get(key) ?? 0) + d.weight);
  });
  return (p) => {
    const x = Math.floor(p.lng / sizeLng);
    const y = Math.floor(p.lat / sizeLat);
    let total = 0;
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) total += sums.get(`${x + dx},${y + dy}`) ?? 0;
    }
    return total;
  };
}
