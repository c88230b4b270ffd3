/**
 * Greedy maximal covering location (Church & ReVelle's MCLP): pick k sites one at a time, each the
 * candidate that newly covers the most remaining demand weight. Covering is a monotone submodular
 * function, so greedy is guaranteed at least (1 − 1/e) ≈ 63 % of the best possible k-set
 * (Nemhauser, Wolsey & Fisher 1978), and in practice is usually optimal or very close.
 */

export interface CoveringInstance {
  /** Weight of each demand point (index = demand id). */
  weights: ArrayLike<number>;
  /** For each candidate, the demand indices it would cover. */
  covers: ReadonlyArray<ArrayLike<number>>;
  /** Demand already covered by the fixed (existing) sites. */
  alreadyCovered?: ArrayLike<boolean>;
  /**
   * Per candidate: what decides between equal gains (higher first), e.g. the uncovered demand
   * around it, so ties go towards the larger uncovered neighbourhood rather than scan order.
   */
  tieBreak?: ArrayLike<number>;
}

export interface GreedyPick {
  candidate: number;
  /** Demand weight newly covered by this pick, given the earlier picks. */
  gain: number;
  /** Demand points newly covered. */
  newlyCovered: number;
}

/** Lazy greedy: a stale upper bound is re-evaluated only when it reaches the top (same result). */
export function greedyMaximalCovering(instance: CoveringInstance, k: number): GreedyPick[] {
  const covered = new Uint8Array(instance.weights.length);
  if (instance.alreadyCovered) {
    for (let i = 0; i < covered.length; i++) covered[i] = instance.alreadyCovered[i] ? 1 : 0;
  }
  const gainOf = (c: number) => {
    let gain = 0;
    const set = instance.covers[c]!;
    for (let i = 0; i < set.length; i++) if (!covered[set[i]!]) gain += instance.weights[set[i]!]!;
    return gain;
  };
  const bounds = instance.covers.map((_, c) => gainOf(c));
  const picks: GreedyPick[] = [];
  const taken = new Uint8Array(instance.covers.length);
  while (picks.length < k) {
    let best = -1;
    // Re-evaluate the highest bound until it is fresh; ties go to the higher tie-break, then to
    // the lower index (deterministic).
    const tie = instance.tieBreak;
    for (;;) {
      best = -1;
      for (let c = 0; c < bounds.length; c++) {
        if (taken[c]) continue;
        if (
          best < 0 ||
          bounds[c]! > bounds[best]! ||
          (tie !== undefined && bounds[c] === bounds[best] && tie[c]! > tie[best]!)
        ) {
          best = c;
        }
      }
      if (best < 0) break;
      const fresh = gainOf(best);
      if (fresh >= bounds[best]! - 1e-12) break;
      bounds[best] = fresh;
    }
    if (best < 0 || bounds[best]! <= 0) break;
    taken[best] = 1;
    let newlyCovered = 0;
    const set = instance.covers[best]!;
    for (let i = 0; i < set.length; i++) {
      if (!covered[set[i]!]) {
        covered[set[i]!] = 1;
        newlyCovered += 1;
      }
    }
    picks.push({ candidate: best, gain: bounds[best]!, newlyCovered });
    bounds[best] = 0;
  }
  return picks;
}

/** Weight covered by a set of candidates (plus the fixed sites): the objective greedy maximises. */
export function coveredWeight(instance: CoveringInstance, chosen: number[]): number {
  const covered = new Uint8Array(instance.weights.length);
  for (const c of chosen) {
    const set = instance.covers[c]!;
    for (let i = 0; i < set.length; i++) covered[set[i]!] = 1;
  }
  let total = 0;
  for (let i = 0; i < covered.length; i++) {
    if (covered[i] && !instance.alreadyCovered?.[i]) total += instance.weights[i]!;
  }
  return total;
}

/**
 * The before/after figures every suggestion reports, shared by the radius and network rules:
 * demand already covered by the fixed stations, then the running total after each pick.
 */
export function coverageProgress(total: number, before: number, gains: number[]) {
  const pct = (x: number) => (total > 0 ? Number(((100 * x) / total).toFixed(3)) : null);
  const afterEach: number[] = [];
  let cumulative = before;
  for (const gain of gains) afterEach.push((cumulative += gain));
  return {
    pct,
    afterEach,
    totals: {
      demand_total: Number(total.toFixed(4)),
      covered_before: Number(before.toFixed(4)),
      covered_before_pct: pct(before),
      covered_after: Number(cumulative.toFixed(4)),
      covered_after_pct: pct(cumulative),
    },
  };
}
