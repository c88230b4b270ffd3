/**
 * Where to add k stations: greedy maximal covering with the stations open at `at` fixed. Demand is
 * a planner's layer (weighted points) or, without one, a grid of cells weighted by their km² (area
 * as a proxy, said so in the answer). Candidate sites are grid cell centres or the layer's points.
 */
import type { AppDatabase } from '../../db/client.js';
import { badRequest } from '../../http/errors.js';
import { describeRule } from './coverage-rule.js';
import type { SuggestQuery } from './coverage.schemas.js';
import {
  radiusOf,
  resolveContext,
  type CoverageContext,
  type RoadNetworkSource,
} from './coverage.service.js';
import { COVERAGE_LIMITS, radiusGridCell } from './coverage-limits.js';
import { coverageProgress } from './greedy-covering.js';
import { thinByGrid } from './network-candidates.js';
import { runRadiusCovering } from './radius-covering-task.js';
import {
  MAX_NETWORK_CANDIDATES,
  NETWORK_SEARCH_BUDGET_MS,
  suggestNetworkSites,
  type NetworkSuggestLimits,
} from './network-suggest.js';
import { describeInstant } from './open-stations.js';
import { describePopulation, slotAt } from './population-figures.js';
import {
  INHABITED_PER_KM2,
  REACHABLE_M,
  onInhabitedLand,
  populationPoints,
  type LandMask,
} from './suggest-demand.js';
import {
  demandPointsInScope,
  gridPointsInScope,
  scopeAreaKm2,
  type ScopedPoint,
} from './suggest.repository.js';

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
  resolved?: CoverageContext,
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
  const ctx = resolved ?? (await resolveContext(db, q, now, roadNetworks));
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
  const cellM = radiusGridCell(await scopeAreaKm2(db, ctx.scope), radiusM, q.cell);
  const layer = ctx.demandLayer;
  const people = layer?.kind === 'population' ? layer : null;
  const slot = people ? slotAt(people, ctx.at) : null;
  const grid =
    q.candidates === 'grid' || !layer ? await gridPointsInScope(db, ctx.scope, cellM) : [];
  // Without a layer, area stands in for demand, but only on inhabited or reachable land.
  const land = layer
    ? null
    : await onInhabitedLand(
        db,
        grid,
        cellM,
        (l) => slotAt(l, ctx.at).index,
        (await roadNetworks?.current())?.graph ?? null,
      );
  const demand: ScopedPoint[] = people
    ? await populationPoints(db, people, ctx.scope, slot!.index, cellM)
    : layer
      ? await demandPointsInScope(db, ctx.scope, layer.id)
      : land!.points;
  // A layer's points as candidates are thinned by a grid (heavier points win their cell); grid
  // candidates stand on the same land as the demand when that is known.
  const pool =
    q.candidates === 'layer'
      ? thinByGrid(demand, q.max_candidates ?? COVERAGE_LIMITS.maxCandidates, (p) => p.weight)
      : land?.basis
        ? land.points
        : grid;
  const openSet = new Set(ctx.openIds);
  const fixed = ctx.stations.filter((s) => openSet.has(s.id));
  const { picks, useful, total, before } = await runRadiusCovering({
    demand: demand.map(({ lng, lat, weight }) => ({ lng, lat, weight })),
    fixed: fixed.map(({ lng, lat }) => ({ lng, lat })),
    pool: pool.map(({ lng, lat }) => ({ lng, lat })),
    radiusM,
    k: q.k,
    maxPairs: COVERAGE_LIMITS.maxCoverPairs,
  });
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
  return {
    rule: describeRule(ctx.rule),
    instant: describeInstant(ctx.at),
    method: METHOD,
    candidates: q.candidates,
    scope: ctx.scope,
    distance_kind: 'straight_line' as const,
    demand_basis: people ? 'population' : layer ? 'layer' : 'grid_area_proxy',
    demand: people
      ? {
          basis: 'population',
          layer: { id: people.id, name: people.name, weight_label: people.weight_label },
          unit: 'people',
          cell_m: cellM,
          population: describePopulation(people, slot!),
        }
      : layer
        ? {
            basis: 'layer',
            layer: { id: layer.id, name: layer.name, weight_label: layer.weight_label },
            unit: layer.weight_label ?? 'weight',
          }
        : areaProxyNote(cellM, land!),
    cell_m: cellM,
    demand_points: demand.length,
    candidate_sites: useful.length,
    stations_fixed: fixed.length,
    ...progress.totals,
    sites,
  };
}

/** How the area proxy was drawn: which land counted, said in both languages. */
function areaProxyNote(cellM: number, land: LandMask) {
  const where =
    land.basis === 'population'
      ? {
          en: ` on inhabited land only (at least ${INHABITED_PER_KM2} people per km² in "${land.layer!.name}")`,
          zh: `，仅计有人居住的网格（人口图层“${land.layer!.name}”中每平方公里至少 ${INHABITED_PER_KM2} 人）`,
        }
      : land.basis === 'roads'
        ? {
            en: ` on reachable land only (within ${Math.max(REACHABLE_M, cellM / 2)} m of the road network)`,
            zh: `，仅计道路网 ${Math.max(REACHABLE_M, cellM / 2)} 米以内的网格`,
          }
        : { en: '', zh: '' };
  return {
    basis: 'grid_area_proxy',
    cell_m: cellM,
    unit: 'km²',
    land: land.basis,
    ...(land.layer ? { land_layer: land.layer } : {}),
    note_en: `No demand layer: ${cellM} m grid cells weighted by area (km²) stand in for demand${where.en}.`,
    note_zh: `未选择需求图层：以 ${cellM} m 网格的面积（km²）代替需求${where.zh}。`,
  };
}
