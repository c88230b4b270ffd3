/**
 * Site suggestions under a network rule (walk|bike|drive:<min>): candidate sites are road nodes
 * (candidates=network) or grid / layer points moved onto the nearest usable street; each covers the
 * demand from which a worker gets to it within the time on the network (towards the site, so
 * one-way streets count in that direction). Demand is the layer's points snapped to the streets,
 * else street length (km) as the proxy. Open stations are fixed first; then greedy maximal covering.
 *
 * Bounded work: at most `MAX_NETWORK_CANDIDATES` candidates (thinned by a grid) and a time budget
 * for their searches; candidates are searched in a spread-out order, so a budget cut leaves an
 * even sample of the area rather than one corner, and the answer says it was cut.
 */
import type { AppDatabase } from '../../db/client.js';
import { badRequest } from '../../http/errors.js';
import type { RoadGraph } from '../../routing/road-graph.js';
import { COVERAGE_LIMITS } from './coverage-limits.js';
import type { CoverageRule } from './coverage-rule.js';
import type { CoverageContext } from './coverage.service.js';
import type { SuggestQuery } from './coverage.schemas.js';
import { coverageProgress, greedyMaximalCovering } from './greedy-covering.js';
import {
  nodeCandidates,
  snapToNetwork,
  streetPieces,
  thinByGrid,
  type NetworkPoint,
} from './network-candidates.js';
import { CandidateReach, coveredByStations, indexDemandByEdge } from './network-covering.js';
import { reachArrays } from './network-reach.js';
import { runCpuTask } from '../../work/cpu-pool.js';
import { slotAt } from './population-figures.js';
import { populationPoints } from './suggest-demand.js';
import {
  demandPointsInScope,
  gridPointsInScope,
  roadEdgesInScope,
  roadNodesInScope,
  scopeAreaKm2,
} from './suggest.repository.js';

export const MAX_NETWORK_CANDIDATES = COVERAGE_LIMITS.maxCandidates;
/** Wall-clock budget for the candidates' searches (the whole answer stays under 10 s). */
export const NETWORK_SEARCH_BUDGET_MS = 6_000;
/** Longest stretch the candidate search holds the event loop. */
const YIELD_EVERY_MS = 20;
/** Memory bound: demand indices held over all candidates' cover lists (4 bytes each). */
const MAX_COVER_ENTRIES = 30_000_000;

export interface NetworkSuggestLimits {
  maxCandidates: number;
  budgetMs: number;
}

type NetworkRule = Extract<CoverageRule, { kind: 'network' }>;

/** A permutation of 0‥n-1 that strides across the list, so any prefix is spread over it. */
function spreadOrder(n: number): number[] {
  let stride = Math.max(1, Math.round(n * 0.618_034));
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  while (n > 1 && gcd(stride, n) !== 1) stride += 1;
  return Array.from({ length: n }, (_, i) => (i * stride) % n);
}

async function networkDemand(db: AppDatabase, ctx: CoverageContext, graph: RoadGraph) {
  const rule = ctx.rule as NetworkRule;
  if (ctx.demandLayer) {
    const layer = ctx.demandLayer;
    // People summed into squares, at most about as many as candidates: each demand point is
    // snapped to a street in SQL (a KNN per point), which at 20 000 points outran the statement
    // timeout on a busy machine.
    const raw =
      layer.kind === 'population'
        ? await populationPoints(
            db,
            layer,
            ctx.scope,
            slotAt(layer, ctx.at).index,
            Math.ceil(
              Math.max(
                COVERAGE_LIMITS.minCellM * 2,
                Math.sqrt(
                  (1e6 * (await scopeAreaKm2(db, ctx.scope))) / COVERAGE_LIMITS.maxCandidates,
                ),
              ),
            ),
          )
        : await demandPointsInScope(db, ctx.scope, layer.id);
    const points = await snapToNetwork(db, graph, rule.mode, raw);
    const rawTotal = raw.reduce((s, p) => s + p.weight, 0);
    return { points, raw, offNetwork: raw.length - points.length, rawTotal, pieceM: null };
  }
  const { points, pieceM } = streetPieces(graph, rule.mode, await roadEdgesInScope(db, ctx.scope));
  const total = points.reduce((s, p) => s + p.weight, 0);
  return { points, raw: null, offNetwork: 0, rawTotal: total, pieceM };
}

async function networkCandidates(
  db: AppDatabase,
  q: SuggestQuery,
  ctx: CoverageContext,
  graph: RoadGraph,
  demand: Awaited<ReturnType<typeof networkDemand>>,
  cap: number,
): Promise<{ pool: NetworkPoint[]; cellM: number | null }> {
  const mode = (ctx.rule as NetworkRule).mode;
  if (q.candidates === 'network') {
    return {
      pool: nodeCandidates(graph, mode, await roadNodesInScope(db, ctx.scope), cap),
      cellM: null,
    };
  }
  if (q.candidates === 'layer') {
    // The layer's points already on the network, thinned (heavier points win their cell).
    return { pool: thinByGrid(demand.points, cap, (p) => p.weight), cellM: null };
  }
  const areaKm2 = await scopeAreaKm2(db, ctx.scope);
  const cellM = Math.ceil(
    q.cell ?? Math.max(COVERAGE_LIMITS.minCellM, Math.sqrt((areaKm2 * 1e6) / cap)),
  );
  if ((areaKm2 * 1e6) / (cellM * cellM) > 4 * cap) {
    throw badRequest(
      `cell ${cellM} m is too fine for ${Math.round(areaKm2)} km² under a network rule (at most ${cap} candidates); use cell ≥ ${Math.ceil(Math.sqrt((areaKm2 * 1e6) / cap))}`,
    );
  }
  const grid = await gridPointsInScope(db, ctx.scope, cellM);
  return { pool: thinByGrid(await snapToNetwork(db, graph, mode, grid), cap), cellM };
}

export async function suggestNetworkSites(
  db: AppDatabase,
  q: SuggestQuery,
  ctx: CoverageContext,
  limits: NetworkSuggestLimits,
) {
  const started = performance.now();
  const rule = ctx.rule as NetworkRule;
  const graph = ctx.network!.graph;
  const limitS = rule.minutes * 60;

  const phaseMs: Record<string, number> = {};
  let phaseStart = started;
  const endPhase = (name: string) => {
    const t = performance.now();
    phaseMs[name] = Math.round(t - phaseStart);
    phaseStart = t;
  };
  const demand = await networkDemand(db, ctx, graph);
  endPhase('demand');
  const index = indexDemandByEdge(
    graph,
    demand.points.map((p) => p.snap),
  );
  const openSet = new Set(ctx.openIds);
  const open = ctx.stations.filter((s) => openSet.has(s.id));
  const fixed = await snapToNetwork(
    db,
    graph,
    rule.mode,
    open.map((s) => ({ lng: s.lng, lat: s.lat, weight: 0, code: '' })),
  );
  const fixedSnaps = fixed.map((f) => f.snap);
  // The open stations' one multi-source search: a second or more on a city's network, so in the
  // CPU pool (the candidates' small searches below hand the event loop back slice by slice).
  const stationReach = await runCpuTask('networkReach', {
    graph: reachArrays(graph, rule.mode),
    seedEdges: Int32Array.from(fixedSnaps, (s) => s.edgeId),
    seedFractions: Float64Array.from(fixedSnaps, (s) => s.fraction),
    limitS,
  });
  const alreadyCovered = coveredByStations(graph, rule.mode, index, fixedSnaps, stationReach.nodeSeconds, limitS);
  endPhase('stations');
  const { pool, cellM } = await networkCandidates(db, q, ctx, graph, demand, limits.maxCandidates);
  endPhase('candidates');
  const reach = new CandidateReach(graph, rule.mode, index, limitS);
  const searchStart = performance.now();
  const useful: Array<{ site: NetworkPoint; covers: Int32Array }> = [];
  let evaluated = 0;
  let entries = 0;
  let cutBy: 'time' | 'memory' | null = null;
  let sliceStart = performance.now();
  for (const c of spreadOrder(pool.length)) {
    // The graph lives on this thread: hand the event loop back every slice so /healthz and the
    // nearest search keep answering while the candidates are searched.
    if (performance.now() - sliceStart > YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    if (evaluated > 0 && performance.now() - searchStart > limits.budgetMs) cutBy = 'time';
    else if (entries > MAX_COVER_ENTRIES) cutBy = 'memory';
    if (cutBy) break;
    evaluated += 1;
    const covers = reach.covers(pool[c]!.snap).filter((d) => !alreadyCovered[d]);
    entries += covers.length;
    if (covers.length > 0) useful.push({ site: pool[c]!, covers });
  }
  endPhase('search');
  const picks = greedyMaximalCovering(
    {
      weights: demand.points.map((p) => p.weight),
      covers: useful.map((u) => u.covers),
      alreadyCovered,
    },
    q.k,
  );

  const total = demand.rawTotal;
  const before = demand.points.reduce((s, d, i) => s + (alreadyCovered[i] ? d.weight : 0), 0);
  const progress = coverageProgress(
    total,
    before,
    picks.map((pick) => pick.gain),
  );
  const { pct } = progress;
  const sites = picks.map((pick, rank) => {
    const site = useful[pick.candidate]!.site;
    return {
      rank: rank + 1,
      lng: Number(site.lng.toFixed(6)),
      lat: Number(site.lat.toFixed(6)),
      area_code: site.code,
      node_id: site.nodeId ?? null,
      snapped_from: site.snappedFrom?.map((v) => Number(v.toFixed(6))) ?? null,
      gain: Number(pick.gain.toFixed(4)),
      gain_pct_points: pct(pick.gain),
      demand_points_newly_covered: pick.newlyCovered,
      covered_after_pct: pct(progress.afterEach[rank]!),
    };
  });
  const layer = ctx.demandLayer;
  const demandBasis = layer ? 'layer' : 'street_length_proxy';
  return {
    distance_kind: 'network' as const,
    demand_basis: demandBasis,
    cell_m: cellM,
    demand: layer
      ? {
          basis: demandBasis,
          layer: { id: layer.id, name: layer.name, weight_label: layer.weight_label },
          unit: layer.weight_label ?? 'weight',
          points_off_network: demand.offNetwork,
          note_en: `Demand points are moved onto the nearest street usable by ${rule.mode} (≤ 500 m); ${demand.offNetwork} farther away count in the total but cannot be covered.`,
          note_zh: `需求点已吸附到最近的可通行道路（≤ 500 米）；${demand.offNetwork} 个更远的点计入总量但无法被覆盖。`,
        }
      : {
          basis: demandBasis,
          unit: 'km',
          piece_m: demand.pieceM,
          note_en: `No demand layer: km of streets usable by ${rule.mode} stand in for demand (cut into pieces of ≤ ${demand.pieceM} m, each counted when its middle is within reach).`,
          note_zh: `未选择需求图层：以可通行道路长度（km）代替需求（每段 ≤ ${demand.pieceM} 米，以中点是否可达计）。`,
        },
    network: { id: ctx.network!.info.id, name: ctx.network!.info.name },
    limits: {
      max_candidates: limits.maxCandidates,
      search_budget_ms: limits.budgetMs,
      candidates_in_pool: pool.length,
      candidates_evaluated: evaluated,
      cut_by: cutBy,
      phase_ms: phaseMs,
      total_ms: Math.round(performance.now() - started),
    },
    demand_points: demand.raw ? demand.raw.length : demand.points.length,
    candidate_sites: useful.length,
    stations_fixed: open.length,
    stations_fixed_on_network: fixed.length,
    ...progress.totals,
    sites,
  };
}
