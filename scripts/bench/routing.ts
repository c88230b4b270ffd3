/**
 * Routing (issue 3), every figure measured in this run:
 *   - point-to-point route p50 on the real Andorra network: the in-process engine vs pgRouting's
 *     `pgr_dijkstra` on the same `road_edges` rows and the same node pairs, interleaved, every
 *     pair's duration compared (goal ≥ 5x faster, i.e. ratio ≤ 0.2x), when a PostgreSQL server is
 *     configured (BENCH_DATABASE_URL/TEST_DATABASE_URL);
 *   - GET /api/route end to end against the same job done by pgRouting (KNN snaps of both ends +
 *     `pgr_withPoints`, `route-pgrouting.ts`), interleaved request by request, durations compared;
 *   - GET /api/route through HTTP p50 (snapping both ends in PostGIS + search + GeoJSON);
 *   - nearest-k stations by travel time on Andorra: the engine's one-to-many search, and
 *     GET /api/nearest through HTTP (goal ≤ 20 ms p50);
 *   - a synthetic ~1M-edge grid: route p50 and graph memory per million edges (goal ≤ 200 MB),
 *     counted from the typed arrays and checked against the process's ArrayBuffer growth.
 *   - contraction hierarchies (issue 13) on the same grid, drive: build time (wall and CPU, with
 *     the load average), arcs, core size, memory and stored size, and route p50/p95 against plain
 *     Dijkstra on the same pairs, interleaved query by query (the order swaps every query), with
 *     the durations compared on every pair;
 *   - GET /api/route end to end on Andorra, now (in-memory snap + hierarchy) against before (two
 *     PostGIS KNN snaps + Dijkstra, `route-before.ts`), interleaved request by request.
 * BENCH_GRID_SIDE (default 708 → ~1M edges) scales the grid; 0 skips it.
 */
import os from 'node:os';
import { queryRows, sql, type DatabaseHandle } from '../../server/db/client.js';
import { importOsmRoadNetwork } from '../../server/modules/routes/road-import.service.js';
import {
  RoadNetworkCache,
  type LoadedRoadNetwork,
} from '../../server/modules/routes/road-network-cache.js';
import { insertStations } from '../../server/modules/stations/stations.repository.js';
import { pointAtFraction } from '../../server/routing/edge-geometry.js';
import { PROFILES, type ProfileName } from '../../server/routing/profiles.js';
import { RoadGraph } from '../../server/routing/road-graph.js';
import { RouteSearch, type EdgeSnap } from '../../server/routing/search.js';
import { ChRouteSearch } from '../../server/routing/contraction/ch-search.js';
import { buildContractionHierarchy } from '../../server/routing/contraction/contract.js';
import { coreSizeOf, hierarchyBytes } from '../../server/routing/contraction/hierarchy.js';
import { serializeHierarchy } from '../../server/routing/contraction/serialize.js';
import { startRouteBeforeServer } from './route-before.js';
import { startPgrWithPointsServer } from './route-pgrouting.js';
import { syntheticGridEdges } from '../lib/synthetic-grid.js';
import {
  BENCH_PG_URL,
  SHARED_DATA_DIR,
  httpGet,
  openBenchDatabase,
  percentile,
  seededRandom,
  timeAlternating,
  startBenchServer,
  timeRuns,
  type BenchRow,
} from './lib.js';

const ANDORRA = `${SHARED_DATA_DIR}/osm/andorra.osm.pbf`;
const ENGINE_PAIRS = 200;
const PGR_PAIRS = 60;
const HTTP_RUNS = 200;
const STATIONS = 300;
const GRID_SIDE = Number(process.env.BENCH_GRID_SIDE ?? 708);
const GRID_CH_PAIRS = 300;
const MB = 1e6;

type NodePair = { a: number; b: number; from: EdgeSnap; to: EdgeSnap };

/** Random node pairs, each end as a snap lying exactly on the node (fraction 0 or 1). */
function randomNodePairs(graph: RoadGraph, profile: ProfileName, count: number, seed: number) {
  const snapAt = new Map<number, EdgeSnap>();
  for (let edgeId = 0; edgeId < graph.edgeCount; edgeId++) {
    if (!graph.isEdgeUsable(profile, edgeId)) continue;
    if (!snapAt.has(graph.edgeSource[edgeId]))
      snapAt.set(graph.edgeSource[edgeId], { edgeId, fraction: 0 });
    if (!snapAt.has(graph.edgeTarget[edgeId]))
      snapAt.set(graph.edgeTarget[edgeId], { edgeId, fraction: 1 });
  }
  const nodes = [...snapAt.keys()];
  const random = seededRandom(seed);
  const pairs: NodePair[] = [];
  while (pairs.length < count) {
    const a = nodes[Math.floor(random() * nodes.length)]!;
    const b = nodes[Math.floor(random() * nodes.length)]!;
    if (a !== b) pairs.push({ a, b, from: snapAt.get(a)!, to: snapAt.get(b)! });
  }
  return pairs;
}

/** Synchronous work timed one call at a time, after a warm-up of the JIT. */
function timeSync<T>(inputs: T[], fn: (input: T) => unknown, warmup = 20): number[] {
  for (const input of inputs.slice(0, warmup)) fn(input);
  return inputs.map((input) => {
    const t0 = performance.now();
    fn(input);
    return performance.now() - t0;
  });
}

/** Points in the middle of random edges that `profile` may use: where a worker might stand. */
function pointsOnRoads(graph: RoadGraph, profile: ProfileName, count: number, seed: number) {
  const usable = [...Array(graph.edgeCount).keys()].filter((e) => graph.isEdgeUsable(profile, e));
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const edgeId = usable[Math.floor(random() * usable.length)]!;
    return pointAtFraction(graph, edgeId, 0.2 + random() * 0.6) as [number, number];
  });
}

/** pgr_dijkstra's cost (seconds) from node a to node b on the same rows, null when unreachable. */
async function pgrDijkstraDuration(db: DatabaseHandle, profile: ProfileName, pair: NodePair) {
  // Column names come from the fixed PROFILES list, never from input.
  const edgesSql =
    `select id, source, target, coalesce(${profile}_fwd_s, -1) as cost, ` +
    `coalesce(${profile}_bwd_s, -1) as reverse_cost from road_edges`;
  const rows = await queryRows<{ agg_cost: number }>(
    db.db,
    sql`select agg_cost from pgr_dijkstra(${edgesSql}, ${pair.a}::bigint,
          ${pair.b}::bigint, directed => true) where edge = -1`,
  );
  return rows[0] ? Number(rows[0].agg_cost) : null;
}

/** Two durations in seconds are the same route's when both are missing or within 1 ms. */
const sameDuration = (x: number | null, y: number | null) =>
  x === null || y === null ? x === y : Math.abs(x - y) <= 1e-3;

async function benchDatabase(kind: 'pglite' | 'postgres'): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const db = await openBenchDatabase(kind, 0);
  try {
    let t0 = performance.now();
    const imported = await importOsmRoadNetwork(db.db, ANDORRA);
    rows.push({
      name: `Andorra import, ${imported.edgeCount} edges (${db.label})`,
      value: performance.now() - t0,
      unit: 'ms',
    });
    t0 = performance.now();
    const networks = new RoadNetworkCache(db.db);
    const network = (await networks.current()) as LoadedRoadNetwork;
    rows.push({
      name: `Andorra graph load from the database (${db.label})`,
      value: performance.now() - t0,
      unit: 'ms',
    });
    const { graph } = network;
    if (kind === 'pglite') rows.push(...benchAndorraEngine(network));

    // Same pairs on both sides, interleaved query by query: the engine answers from memory,
    // pgr_dijkstra from the table; every pair's duration is compared.
    const pgrSamples: number[] = [];
    if (kind === 'postgres') {
      await db.db.execute(sql`create extension if not exists pgrouting`);
      for (const profile of PROFILES) {
        const pairs = randomNodePairs(graph, profile, PGR_PAIRS, 5 + PROFILES.indexOf(profile));
        const search = network.searches[profile];
        const ab = await timeAlternating(
          pairs.length,
          (i) => search.route(pairs[i]!.from, pairs[i]!.to)?.durationS ?? null,
          (i) => pgrDijkstraDuration(db, profile, pairs[i]!),
          sameDuration,
          3,
        );
        pgrSamples.push(...ab.b);
        const [ours, theirs] = [percentile(ab.a, 50), percentile(ab.b, 50)];
        rows.push({
          name: `route p50 Andorra ${profile}, engine vs pgr_dijkstra (same pairs, interleaved; same duration on ${ab.same}/${pairs.length})`,
          value: ours,
          unit: 'ms',
          baseline: theirs,
          ratio: ours / theirs,
          goal: '≤ 0.2x (≥ 5x faster), every duration the same',
        });
      }
    }

    const random = seededRandom(21);
    const stationPoints = pointsOnRoads(graph, 'walk', STATIONS, 22);
    await insertStations(
      db.db,
      stationPoints.map(([lng, lat], i) => ({
        name: `Andorra bench ${i}`,
        kind: 'warm_post',
        amenities: { hot_water: 'available' },
        opening_hours: '24/7',
        lng,
        lat,
      })),
    );
    const server = await startBenchServer(db);
    try {
      const from = pointsOnRoads(graph, 'walk', HTTP_RUNS + 20, 23);
      const to = pointsOnRoads(graph, 'walk', HTTP_RUNS + 20, 24);
      const modes = from.map(() => PROFILES[Math.floor(random() * PROFILES.length)]!);
      const routeUrl = (base: string, i: number) =>
        `${base}/api/route?from=${from[i]!.join(',')}&to=${to[i]!.join(',')}&mode=${modes[i]}`;
      const askRoute = async (base: string, i: number) => {
        const res = await httpGet(routeUrl(base, i));
        if (res.status !== 200 && res.status !== 422)
          throw new Error(`route ${res.status}: ${res.body}`);
        return res.status === 200 ? JSON.parse(res.body).properties.duration_s : null;
      };
      const before = await startRouteBeforeServer(db.db, networks);
      let route: number[];
      try {
        const ab = await timeAlternating(
          HTTP_RUNS,
          (i) => askRoute(server.baseUrl, i),
          (i) => askRoute(before.baseUrl, i),
        );
        route = ab.a;
        rows.push({
          name: `GET /api/route p50, Andorra, mixed modes: now vs before (KNN snaps + Dijkstra), interleaved (${db.label})`,
          value: percentile(ab.a, 50),
          unit: 'ms',
          baseline: percentile(ab.b, 50),
          ratio: percentile(ab.a, 50) / percentile(ab.b, 50),
          goal: `same durations: ${ab.same}/${HTTP_RUNS}`,
        });
      } finally {
        await before.close();
      }
      // End to end against pgRouting doing the same job: KNN snaps of both ends and one
      // pgr_withPoints, behind the same HTTP; durations compared request by request (rounded to
      // 0.1 s like the API, so within 0.1 s).
      if (kind === 'postgres') {
        const pgr = await startPgrWithPointsServer(db.db, networks);
        try {
          const ab = await timeAlternating(
            HTTP_RUNS,
            (i) => askRoute(server.baseUrl, i),
            (i) => askRoute(pgr.baseUrl, i),
            (x, y) => (x === null || y === null ? x === y : Math.abs(x - y) <= 0.1 + 1e-9),
          );
          rows.push({
            name: `GET /api/route p50, Andorra, mixed modes: ours vs KNN snaps + pgr_withPoints, interleaved (${db.label})`,
            value: percentile(ab.a, 50),
            unit: 'ms',
            baseline: percentile(ab.b, 50),
            ratio: percentile(ab.a, 50) / percentile(ab.b, 50),
            goal: `same duration (±0.1 s): ${ab.same}/${HTTP_RUNS}`,
          });
        } finally {
          await pgr.close();
        }
      }
      // End to end (HTTP, snapping both ends, search, GeoJSON) against the bare query.
      const pgrP50 = pgrSamples.length > 0 ? percentile(pgrSamples, 50) : undefined;
      rows.push({
        name: `GET /api/route p50, Andorra, mixed modes (${db.label})`,
        value: percentile(route, 50),
        unit: 'ms',
        ...(pgrP50 === undefined
          ? {}
          : {
              baseline: pgrP50,
              ratio: percentile(route, 50) / pgrP50,
              goal: 'vs pgr_dijkstra p50',
            }),
      });
      const nearest = await timeRuns(HTTP_RUNS, async (i) => {
        const res = await httpGet(
          `${server.baseUrl}/api/nearest?lng=${from[i]![0]}&lat=${from[i]![1]}&k=5&mode=walk&open=any`,
        );
        if (res.status !== 200) throw new Error(`nearest ${res.status}: ${res.body}`);
        if (!res.body.includes('"network"'))
          throw new Error('nearest did not use the road network');
      });
      rows.push({
        name: `GET /api/nearest by travel time p50, Andorra, k=5 of ${STATIONS} (${db.label})`,
        value: percentile(nearest, 50),
        unit: 'ms',
        goal: '≤ 20 ms',
      });
    } finally {
      await server.close();
    }
  } finally {
    await db.close();
  }
  return rows;
}

/** The in-memory search alone, on the graph the server loaded (no database, no HTTP). */
function benchAndorraEngine(network: LoadedRoadNetwork): BenchRow[] {
  const { graph } = network;
  const rows: BenchRow[] = [];
  for (const profile of PROFILES) {
    const pairs = randomNodePairs(graph, profile, ENGINE_PAIRS, 1 + PROFILES.indexOf(profile));
    const times = timeSync(pairs, (p) => network.searches[profile].route(p.from, p.to));
    rows.push({
      name: `route p50 Andorra ${profile}, engine only`,
      value: percentile(times, 50),
      unit: 'ms',
    });
  }
  const search = network.searches.walk;
  const targets = randomNodePairs(graph, 'walk', 500, 2).map((p, id) => ({
    id,
    snap: p.from,
  }));
  const origins = randomNodePairs(graph, 'walk', 200, 3).map((p) => p.from);
  const times = timeSync(origins, (origin) => search.nearestByTime(origin, targets, 5, 3 * 3600));
  rows.push({
    name: 'nearest-k by travel time p50 Andorra, engine only, walk, k=5 of 500',
    value: percentile(times, 50),
    unit: 'ms',
    goal: '≤ 20 ms',
  });
  return rows;
}

async function benchGrid(side: number): Promise<BenchRow[]> {
  let edges: ReturnType<typeof syntheticGridEdges> | null = syntheticGridEdges(side);
  const edgeCount = edges.length;
  globalThis.gc?.();
  const buffersBefore = process.memoryUsage().arrayBuffers;
  let t0 = performance.now();
  const graph = RoadGraph.fromEdgeRows(edges);
  const buildMs = performance.now() - t0;
  edges = null;
  globalThis.gc?.();
  const measured = process.memoryUsage().arrayBuffers - buffersBefore;
  const counted = graph.memoryBytes();
  const perMillion = (bytes: number) => (bytes / MB) * (1e6 / edgeCount);
  const search = new RouteSearch(graph, 'drive');
  const pairs = randomNodePairs(graph, 'drive', 60, 4);
  t0 = performance.now();
  const times = timeSync(pairs, (p) => search.route(p.from, p.to), 5);
  const label = `grid ${side}x${side}, ${(edgeCount / 1e6).toFixed(2)}M edges`;
  return [
    { name: `${label}: graph build (3 profiles)`, value: buildMs, unit: 'ms' },
    {
      name: `${label}: route p50, drive`,
      value: percentile(times, 50),
      unit: 'ms',
    },
    {
      name: `${label}: route p95, drive`,
      value: percentile(times, 95),
      unit: 'ms',
    },
    {
      name: `${label}: graph memory per 1M edges (typed arrays)`,
      value: perMillion(counted),
      unit: 'MB',
      goal: '≤ 200 MB',
    },
    {
      name: `${label}: ArrayBuffer growth per 1M edges (process)`,
      value: perMillion(measured),
      unit: 'MB',
      goal: '≤ 200 MB',
    },
    {
      name: `${label}: search scratch (one per profile, reused)`,
      value: search.scratchBytes() / MB,
      unit: 'MB',
    },
    ...(await benchGridHierarchy(graph, search, label)),
  ];
}

/**
 * The drive profile's contraction hierarchy on the grid: build time (wall and CPU, with the load
 * average, since other work on a shared machine stretches the wall time), arcs, core, memory and
 * stored bytes, then routes on the same pairs as plain Dijkstra, interleaved query by query,
 * durations compared on every pair.
 */
async function benchGridHierarchy(
  graph: RoadGraph,
  dijkstra: RouteSearch,
  label: string,
): Promise<BenchRow[]> {
  const { costs } = graph.profile('drive');
  const loadBefore = os.loadavg()[0];
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  const hierarchy = buildContractionHierarchy({
    nodeCount: graph.nodeCount,
    edgeSource: graph.edgeSource,
    edgeTarget: graph.edgeTarget,
    costs,
  });
  const buildMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpuBefore);
  const load = `load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}`;
  const storedBytes = serializeHierarchy(hierarchy).byteLength;
  const arcs = hierarchy.up.heads.length + hierarchy.down.heads.length;
  const ch = new ChRouteSearch(graph, 'drive', hierarchy);
  const pairs = gridRoutePairs(graph);
  let worstDifference = 0;
  const ab = await timeAlternating(
    pairs.length,
    (i) => ch.route(pairs[i]!.from, pairs[i]!.to)?.durationS ?? null,
    (i) => dijkstra.route(pairs[i]!.from, pairs[i]!.to)?.durationS ?? null,
    (x, y) => {
      if (x === null || y === null) return x === y;
      worstDifference = Math.max(worstDifference, Math.abs(x - y));
      return Math.abs(x - y) <= 1e-3;
    },
    5,
  );
  const ratio = (p: number) => percentile(ab.a, p) / percentile(ab.b, p);
  return [
    {
      name: `${label}: contraction hierarchy build, drive, wall (one thread; ${load})`,
      value: buildMs / 1000,
      unit: 's',
      goal: '≤ 300 s',
    },
    {
      name: `${label}: contraction hierarchy build, drive, CPU time of the process`,
      value: (cpu.user + cpu.system) / 1e6,
      unit: 's',
    },
    {
      name: `${label}: hierarchy memory, drive (${arcs} arcs, core of ${coreSizeOf(hierarchy)} nodes)`,
      value: hierarchyBytes(hierarchy) / MB,
      unit: 'MB',
    },
    { name: `${label}: hierarchy stored (bytea), drive`, value: storedBytes / MB, unit: 'MB' },
    {
      name: `${label}: route p50, drive, hierarchy vs Dijkstra (interleaved, same pairs)`,
      value: percentile(ab.a, 50),
      unit: 'ms',
      baseline: percentile(ab.b, 50),
      ratio: ratio(50),
      goal: '≤ 5 ms',
    },
    {
      name: `${label}: route p95, drive, hierarchy vs Dijkstra (interleaved, same pairs)`,
      value: percentile(ab.a, 95),
      unit: 'ms',
      baseline: percentile(ab.b, 95),
      ratio: ratio(95),
      goal: '≤ 20 ms',
    },
    {
      name: `${label}: pairs with the same duration (≤ 1e-3 s) as Dijkstra, of ${pairs.length}; worst difference ${worstDifference.toExponential(1)} s`,
      value: ab.same,
      unit: 'pairs',
      goal: `${pairs.length}`,
    },
  ];
}

/** Node pairs and pairs of points inside edges (the snapped ends a request has), half each. */
function gridRoutePairs(graph: RoadGraph): Array<{ from: EdgeSnap; to: EdgeSnap }> {
  const random = seededRandom(31);
  const nodePairs = randomNodePairs(graph, 'drive', GRID_CH_PAIRS / 2, 32);
  const edgePairs = Array.from({ length: GRID_CH_PAIRS / 2 }, () => {
    const snap = (): EdgeSnap => ({
      edgeId: Math.floor(random() * graph.edgeCount),
      fraction: random(),
    });
    return { from: snap(), to: snap() };
  });
  return [...nodePairs, ...edgePairs];
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const kinds: Array<'pglite' | 'postgres'> = BENCH_PG_URL ? ['pglite', 'postgres'] : ['pglite'];
  for (const kind of kinds) {
    rows.push(...(await benchDatabase(kind)));
  }
  if (GRID_SIDE > 0) rows.push(...(await benchGrid(GRID_SIDE)));
  return rows;
}
