/**
 * Benchmarks the in-process routing engine (no database):
 *   - Andorra (real OSM): p50 point-to-point route time over 200 random pairs per profile, and
 *     p50 nearestByTime (k = 5) against ~500 random targets;
 *   - a synthetic ~1M-edge grid: graph build time, route p50, memory per million edges.
 *
 * Usage: npx tsx scripts/bench-routing-core.ts [--grid-side 708] [--skip-grid]
 * Reads the extract from $SHARED_DATA_DIR/osm (default ../shared/data next to the repo).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildRoadNetwork, type RoadEdgeRow } from '../server/routing/graph-builder.js';
import { readOsmRoads } from '../server/routing/osm-reader.js';
import { PROFILES, type ProfileName } from '../server/routing/profiles.js';
import { RoadGraph } from '../server/routing/road-graph.js';
import { RouteSearch, type EdgeSnap } from '../server/routing/search.js';

const { values: args } = parseArgs({
  options: { 'grid-side': { type: 'string', default: '708' }, 'skip-grid': { type: 'boolean' } },
});
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const dataDir = process.env.SHARED_DATA_DIR ?? resolve(repoRoot, '../shared/data');

const rows: Array<[string, string]> = [];
const report = (label: string, value: string) => {
  rows.push([label, value]);
  process.stderr.write(`${label}: ${value}\n`); // progress while the slower parts run
};

/** Deterministic PRNG (mulberry32), so runs are comparable. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSnaps(graph: RoadGraph, profile: ProfileName, count: number, seed: number) {
  const usable = [...Array(graph.edgeCount).keys()].filter((e) => graph.isEdgeUsable(profile, e));
  const random = seededRandom(seed);
  return Array.from({ length: count }, (): EdgeSnap => {
    return { edgeId: usable[Math.floor(random() * usable.length)], fraction: random() };
  });
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function timeEach<T>(inputs: T[], run: (input: T) => unknown): number[] {
  return inputs.map((input) => {
    const start = performance.now();
    run(input);
    return performance.now() - start;
  });
}

const ms = (value: number) => `${value.toFixed(3)} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

async function benchAndorra(): Promise<void> {
  const file = resolve(dataDir, 'osm/andorra.osm.pbf');
  let start = performance.now();
  const data = await readOsmRoads(file);
  const network = buildRoadNetwork(data);
  const graph = RoadGraph.fromEdgeRows(network.edges);
  report('andorra: read + build', ms(performance.now() - start));
  report('andorra: nodes / edges', `${graph.nodeCount} / ${graph.edgeCount}`);
  report('andorra: graph memory', mb(graph.memoryBytes()));

  for (const profile of PROFILES) {
    const search = new RouteSearch(graph, profile);
    const snaps = randomSnaps(graph, profile, 400, 1);
    const pairs = Array.from({ length: 200 }, (_, i) => [snaps[i * 2], snaps[i * 2 + 1]] as const);
    for (const [from, to] of pairs.slice(0, 20)) search.route(from, to); // warm up the JIT
    let found = 0;
    const times = timeEach(pairs, ([from, to]) => (found += search.route(from, to) ? 1 : 0));
    report(
      `andorra: route p50 / p95, ${profile} (${found}/200 found)`,
      `${ms(percentile(times, 50))} / ${ms(percentile(times, 95))}`,
    );
  }

  start = performance.now();
  const search = new RouteSearch(graph, 'walk');
  const targets = randomSnaps(graph, 'walk', 500, 2).map((snap, id) => ({ id, snap }));
  const origins = randomSnaps(graph, 'walk', 100, 3);
  for (const origin of origins.slice(0, 10)) search.nearestByTime(origin, targets, 5, Infinity);
  const times = timeEach(origins, (origin) => search.nearestByTime(origin, targets, 5, Infinity));
  report('andorra: nearestByTime p50, walk, k=5 of 500', ms(percentile(times, 50)));
}

/** A square grid of two-way streets ~100 m apart near the equator; every 7th row is one-way. */
function gridEdgeRows(side: number): RoadEdgeRow[] {
  const spacingDeg = 0.0009;
  const node = (x: number, y: number) => y * side + x;
  const edges: RoadEdgeRow[] = [];
  const add = (
    a: number,
    b: number,
    ax: number,
    ay: number,
    bx: number,
    by: number,
    oneway: boolean,
  ) => {
    const lengthM = Math.fround(100);
    const walk = Math.fround(72);
    const bike = Math.fround(24);
    const drive = Math.fround(12);
    edges.push({
      id: edges.length,
      source: a,
      target: b,
      coordinates: [
        [ax * spacingDeg, ay * spacingDeg],
        [bx * spacingDeg, by * spacingDeg],
      ],
      lengthM,
      name: `Street ${ay}`,
      highway: 'residential',
      osmWayId: 0,
      walkFwdS: walk,
      walkBwdS: walk,
      bikeFwdS: bike,
      bikeBwdS: oneway ? null : bike,
      driveFwdS: drive,
      driveBwdS: oneway ? null : drive,
    });
  };
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      if (x + 1 < side) add(node(x, y), node(x + 1, y), x, y, x + 1, y, y % 7 === 3);
      if (y + 1 < side) add(node(x, y), node(x, y + 1), x, y, x, y + 1, false);
    }
  }
  return edges;
}

function benchGrid(side: number): void {
  let start = performance.now();
  const edges = gridEdgeRows(side);
  report(
    `grid ${side}x${side}: edge rows generated`,
    `${edges.length} in ${ms(performance.now() - start)}`,
  );
  start = performance.now();
  const graph = RoadGraph.fromEdgeRows(edges);
  report('grid: RoadGraph build (3 profiles)', ms(performance.now() - start));
  const bytes = graph.memoryBytes();
  report('grid: graph memory', mb(bytes));
  report('grid: memory per million edges', mb((bytes / graph.edgeCount) * 1e6));

  const search = new RouteSearch(graph, 'drive');
  report('grid: search scratch (reused)', mb(search.scratchBytes()));
  const snaps = randomSnaps(graph, 'drive', 100, 4);
  const pairs = Array.from({ length: 50 }, (_, i) => [snaps[i * 2], snaps[i * 2 + 1]] as const);
  search.route(pairs[0][0], pairs[0][1]);
  const times = timeEach(pairs, ([from, to]) => search.route(from, to));
  report(
    'grid: route p50 / p95, drive, 50 random pairs',
    `${ms(percentile(times, 50))} / ${ms(percentile(times, 95))}`,
  );
}

await benchAndorra();
if (!args['skip-grid']) benchGrid(Number(args['grid-side']));

console.log('\n| measure | value |\n| --- | --- |');
for (const [label, value] of rows) console.log(`| ${label} | ${value} |`);
