/**
 * Where to add k stations: greedy maximal covering with the stations open at `at` fixed. Demand is
 * a planner's layer (weighted points) or, without one, a grid of cells weighted by their km² (area
 * as a proxy, said so in the answer). Candidate sites are grid cell centres or the layer's points.
 */
import type { AppDatabase } from '../../db/client.js';
import { badRequest } from '../../http/errors.js';
import { describeRule } from './coverage-rule.js';
import type { SuggestQuery } from './coverage.schemas.js';
import { radiusOf, resolveContext, type RoadNetworkSource } from './coverage.service.js';
import { coverageProgress, greedyMaximalCovering } from './greedy-covering.js';
import { pointsWithin } from './local-distance.js';
import {
  MAX_NETWORK_CANDIDATES,
  NETWORK_SEARCH_BUDGET_MS,
  suggestNetworkSites,
  type NetworkSuggestLimits,
} from './network-suggest.js';
import { describeInstant } from './open-stations.js';
import {
  demandPointsInScope,
  gridPointsInScope,
  scopeAreaKm2,
  type ScopedPoint,
} from './suggest.repository.js';

/** Enough cells to resolve a radius, few enough to stay fast city-wide (~40k cells). */
const MAX_GRID_CELLS = 40_000;

const METHOD =
  'greedy maximal covering location (existing open stations fixed); ≥ (1 − 1/e) of the optimum';

export async function suggestSites(
  db: AppDatabase,
  q: SuggestQuery,
  now = new Date(),
  roadNetworks?: RoadNetworkSource,
  limits: NetworkSuggestLimits = {
    maxCandidates: MAX_NETWORK_CANDIDATES,
    budgetMs: NETWORK_SEARCH_BUDGET_MS,
  },
) {
  if (q.candidates === 'layer' && q.demand === undefined) {
    throw badRequest(
      'candidates=layer needs demand=<layer id>: the layer’s points are the candidate sites',
    );
  }
  if (q.candidates === 'network' && q.rule.kind !== 'network') {
    throw badRequest(
      'candidates=network (road nodes) needs a network rule such as rule=walk:10; use candidates=grid with a radius rule',
    );
  }
  const ctx = await resolveContext(db, q, now, roadNetworks);
  if (ctx.rule.kind === 'network') {
    const capped = {
      ...limits,
      maxCandidates: Math.min(limits.maxCandidates, q.max_candidates ?? Infinity),
    };
    return {
      rule: describeRule(ctx.rule),
      instant: describeInstant(ctx.at),
      method: METHOD,
      candidates: q.candidates,
      scope: ctx.scope,
      ...(await suggestNetworkSites(db, q, ctx, capped)),
    };
  }
  const radiusM = radiusOf(ctx.rule);
  const areaKm2 = await scopeAreaKm2(db, ctx.scope);
  const cellM = Math.ceil(
    q.cell ?? Math.max(radiusM / 2, Math.sqrt((areaKm2 * 1e6) / MAX_GRID_CELLS)),
  );
  if ((areaKm2 * 1e6) / (cellM * cellM) > 4 * MAX_GRID_CELLS) {
    throw badRequest(
      `cell ${cellM} m is too fine for ${Math.round(areaKm2)} km²; use cell ≥ ${Math.ceil(Math.sqrt((areaKm2 * 1e6) / (4 * MAX_GRID_CELLS)))}`,
    );
  }
  const grid =
    q.candidates === 'grid' || !ctx.demandLayer
      ? await gridPointsInScope(db, ctx.scope, cellM)
      : [];
  const demand: ScopedPoint[] = ctx.demandLayer
    ? await demandPointsInScope(db, ctx.scope, ctx.demandLayer.id)
    : grid;

  const openSet = new Set(ctx.openIds);
  const fixed = ctx.stations.filter((s) => openSet.has(s.id));
  // Demand already within reach of an open station is fixed as covered.
  const alreadyCovered = new Array<boolean>(demand.length).fill(false);
  pointsWithin(demand, fixed, radiusM).forEach((within) =>
    within.forEach((i) => (alreadyCovered[i] = true)),
  );

  // Only candidates that could cover something still uncovered are worth scoring.
  const pool = q.candidates === 'layer' ? demand : grid;
  const covers = pointsWithin(demand, pool, radiusM).map((within) =>
    within.filter((i) => !alreadyCovered[i]),
  );
  const useful = covers.map((c, i) => (c.length > 0 ? i : -1)).filter((i) => i >= 0);
  const picks = greedyMaximalCovering(
    { weights: demand.map((d) => d.weight), covers: useful.map((i) => covers[i]!), alreadyCovered },
    q.k,
  );

  const total = demand.reduce((s, d) => s + d.weight, 0);
  const before = demand.reduce((s, d, i) => s + (alreadyCovered[i] ? d.weight : 0), 0);
  const progress = coverageProgress(total, before, picks.map((pick) => pick.gain));
  const { pct } = progress;
  const sites = picks.map((pick, rank) => {
    const site = pool[useful[pick.candidate]!]!;
    return {
      rank: rank + 1,
      lng: Number(site.lng.toFixed(6)),
      lat: Number(site.lat.toFixed(6)),
      area_code: site.code,
      gain: Number(pick.gain.toFixed(4)),
      gain_pct_points: pct(pick.gain),
      demand_points_newly_covered: pick.newlyCovered,
      covered_after_pct: pct(progress.afterEach[rank]!),
    };
  });
  const layer = ctx.demandLayer;
  return {
    rule: describeRule(ctx.rule),
    instant: describeInstant(ctx.at),
    method: METHOD,
    candidates: q.candidates,
    scope: ctx.scope,
    distance_kind: 'straight_line' as const,
    demand_basis: layer ? 'layer' : 'grid_area_proxy',
    demand: layer
      ? {
          basis: 'layer',
          layer: { id: layer.id, name: layer.name, weight_label: layer.weight_label },
          unit: layer.weight_label ?? 'weight',
        }
      : {
          basis: 'grid_area_proxy',
          cell_m: cellM,
          unit: 'km²',
          note_en: `No demand layer: ${cellM} m grid cells weighted by area (km²) stand in for demand.`,
          note_zh: `未选择需求图层：以 ${cellM} m 网格的面积（km²）代替需求。`,
        },
    cell_m: cellM,
    demand_points: demand.length,
    candidate_sites: useful.length,
    stations_fixed: fixed.length,
    ...progress.totals,
    sites,
  };
}
