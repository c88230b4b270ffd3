/**
 * Contraction hierarchies against the plain bidirectional Dijkstra (`RouteSearch`, itself tested
 * against a textbook Dijkstra in search.test.ts): random graphs with one-way arcs, parallel edges
 * and islands, then the real Andorra and Singapore extracts, on many random snapped pairs.
 * Durations must agree to 1e-3 s (they are the same float sums when the same edges are chosen).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildContractionHierarchy,
  type ContractOptions,
} from '../../../server/routing/contraction/contract.js';
import { ChRouteSearch } from '../../../server/routing/contraction/ch-search.js';
import {
  coreRankOf,
  coreSizeOf,
  hierarchyBytes,
  type ContractionHierarchy,
} from '../../../server/routing/contraction/hierarchy.js';
import {
  deserializeHierarchy,
  serializeHierarchy,
} from '../../../server/routing/contraction/serialize.js';
import type { RoadEdgeRow } from '../../../server/routing/graph-builder.js';
import { PROFILES, type ProfileName } from '../../../server/routing/profiles.js';
import { RoadGraph } from '../../../server/routing/road-graph.js';
import { RouteSearch, type EdgeSnap, type Route } from '../../../server/routing/search.js';
import { syntheticGridEdges } from '../../../scripts/lib/synthetic-grid.js';
import { loadRealNetwork, seededRandom, type ExtractName } from './real-networks.js';

const TOLERANCE_S = 1e-3;

function contract(
  graph: RoadGraph,
  profile: ProfileName,
  options?: ContractOptions,
): ContractionHierarchy {
  const { costs } = graph.profile(profile);
  return buildContractionHierarchy(
    {
      nodeCount: graph.nodeCount,
      edgeSource: graph.edgeSource,
      edgeTarget: graph.edgeTarget,
      costs,
    },
    options,
  );
}

/** A random road graph: nodes on a plane, random edges, some one-way or closed to a profile. */
function randomGraph(seed: number, nodeCount: number, edgeCount: number): RoadGraph {
  const random = seededRandom(seed);
  const at = Array.from({ length: nodeCount }, () => [random() * 0.05, random() * 0.05]);
  const edges: RoadEdgeRow[] = [];
  const time = (base: number) => Math.fround(base * (0.5 + random() * 2));
  const add = (source: number, target: number) => {
    const roll = random();
    edges.push({
      id: edges.length,
      source,
      target,
      coordinates: [at[source] as [number, number], at[target] as [number, number]],
      lengthM: Math.fround(50 + random() * 400),
      name: null,
      highway: 'residential',
      osmWayId: 0,
      walkFwdS: time(200),
      walkBwdS: roll < 0.05 ? null : time(200),
      bikeFwdS: time(60),
      bikeBwdS: roll < 0.3 ? null : time(60),
      driveFwdS: roll > 0.9 ? null : time(20),
      driveBwdS: roll < 0.4 || roll > 0.9 ? null : time(20),
    });
  };
  // A chain keeps every node used (RoadGraph needs dense node ids); the rest is random.
  for (let n = 1; n < nodeCount; n++) add(n - 1, n);
  while (edges.length < edgeCount) {
    const a = Math.floor(random() * nodeCount);
    // Mostly near neighbours (like streets), a few parallel edges and self-loops included.
    const b = random() < 0.8 ? Math.min(nodeCount - 1, a + 1 + Math.floor(random() * 8)) : a;
    add(a, random() < 0.02 ? a : b === a ? Math.floor(random() * nodeCount) : b);
  }
  return RoadGraph.fromEdgeRows(edges);
}

function randomSnaps(graph: RoadGraph, profile: ProfileName, seed: number, count: number) {
  const usable = [...Array(graph.edgeCount).keys()].filter((e) => graph.isEdgeUsable(profile, e));
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i): EdgeSnap => ({
    edgeId: usable[Math.floor(random() * usable.length)],
    fraction: i % 5 === 4 ? Math.round(random()) : random(),
  }));
}

/** Compares CH with Dijkstra on `pairs` random pairs; returns how many were reachable. */
function compareOnPairs(
  graph: RoadGraph,
  profile: ProfileName,
  ch: ChRouteSearch,
  seed: number,
  pairs: number,
): number {
  const dijkstra = new RouteSearch(graph, profile);
  const snaps = randomSnaps(graph, profile, seed, pairs * 2);
  let reachable = 0;
  for (let i = 0; i < pairs; i++) {
    const [from, to] = [snaps[i * 2], snaps[i * 2 + 1]];
    const expected = dijkstra.route(from, to);
    const actual = ch.route(from, to);
    expect(actual === null, `pair ${i} reachability`).toBe(expected === null);
    if (!expected || !actual) continue;
    reachable++;
    expect(Math.abs(actual.durationS - expected.durationS), `pair ${i}`).toBeLessThanOrEqual(
      TOLERANCE_S,
    );
    expectConnected(graph, profile, actual, from, to);
  }
  return reachable;
}

/** The route's pieces chain end to end over edges the profile may travel, from `from` to `to`. */
function expectConnected(
  graph: RoadGraph,
  profile: ProfileName,
  route: Route,
  from: EdgeSnap,
  to: EdgeSnap,
) {
  const { costs } = graph.profile(profile);
  const endNode = (edgeId: number, fraction: number) =>
    fraction === 0 ? graph.edgeSource[edgeId] : fraction === 1 ? graph.edgeTarget[edgeId] : -1;
  const { edges } = route;
  if (edges.length === 0) return;
  expect(edges[0].edgeId === from.edgeId || endNode(from.edgeId, from.fraction) >= 0).toBe(true);
  for (let i = 0; i < edges.length; i++) {
    const edge = edges[i];
    expect(costs[edge.edgeId * 2 + (edge.forward ? 0 : 1)]).not.toBe(Infinity);
    if (i > 0) {
      const previous = edges[i - 1];
      expect(endNode(edge.edgeId, edge.fromFraction)).toBe(
        endNode(previous.edgeId, previous.toFraction),
      );
    }
  }
  const last = edges[edges.length - 1];
  expect(last.edgeId === to.edgeId || endNode(to.edgeId, to.fraction) >= 0).toBe(true);
  const sum = edges.reduce((total, edge) => total + edge.durationS, 0);
  expect(sum).toBe(route.durationS);
}

describe('contraction hierarchy on random graphs', () => {
  it.each([1, 2, 3, 4, 5, 6])('seed %i: every profile equals Dijkstra on 150 pairs', (seed) => {
    const graph = randomGraph(seed, 300 + seed * 50, 900 + seed * 100);
    for (const profile of PROFILES) {
      const ch = new ChRouteSearch(graph, profile, contract(graph, profile));
      compareOnPairs(graph, profile, ch, seed * 10 + PROFILES.indexOf(profile), 150);
    }
  });

  it('answers null for an unreachable pair (two islands) and routes along a shared edge', () => {
    const coords = (x: number): [number, number] => [x * 0.001, 0];
    const edge = (id: number, source: number, target: number, oneway = false): RoadEdgeRow => ({
      id,
      source,
      target,
      coordinates: [coords(source), coords(target)],
      lengthM: 100,
      name: null,
      highway: 'residential',
      osmWayId: 0,
      walkFwdS: 72,
      walkBwdS: 72,
      bikeFwdS: 24,
      bikeBwdS: oneway ? null : 24,
      driveFwdS: 12,
      driveBwdS: oneway ? null : 12,
    });
    // Island A: 0-1-2 with 1→2 one-way; island B: 3-4.
    const graph = RoadGraph.fromEdgeRows([edge(0, 0, 1), edge(1, 1, 2, true), edge(2, 3, 4)]);
    const ch = new ChRouteSearch(graph, 'drive', contract(graph, 'drive'));
    expect(ch.route({ edgeId: 0, fraction: 0.5 }, { edgeId: 2, fraction: 0.5 })).toBeNull();
    // Against the one-way with no way round: unreachable; along it: fine.
    expect(ch.route({ edgeId: 1, fraction: 0.8 }, { edgeId: 0, fraction: 0.5 })).toBeNull();
    expect(ch.route({ edgeId: 1, fraction: 0.8 }, { edgeId: 1, fraction: 0.2 })).toBeNull();
    const along = ch.route({ edgeId: 1, fraction: 0.2 }, { edgeId: 1, fraction: 0.8 })!;
    expect(along.edges).toHaveLength(1);
    expect(along.durationS).toBeCloseTo(0.6 * 12, 9);
    const across = ch.route({ edgeId: 0, fraction: 0.5 }, { edgeId: 1, fraction: 0.5 })!;
    expect(across.durationS).toBeCloseTo(12, 9);
    expect(across.nodePath).toEqual([1]);
  });

  it('survives a round trip through bytes', () => {
    const graph = randomGraph(9, 400, 1200);
    const hierarchy = contract(graph, 'drive');
    const bytes = serializeHierarchy(hierarchy);
    // Drivers hand back buffers at any offset: read from an unaligned copy.
    const unaligned = new Uint8Array(bytes.byteLength + 3).subarray(3);
    unaligned.set(bytes);
    const copy = deserializeHierarchy(unaligned);
    expect(hierarchyBytes(copy)).toBe(hierarchyBytes(hierarchy));
    expect(copy.up.weights).toEqual(hierarchy.up.weights);
    expect(copy.down.links).toEqual(hierarchy.down.links);
    const ch = new ChRouteSearch(graph, 'drive', copy);
    compareOnPairs(graph, 'drive', ch, 99, 100);
    expect(() => deserializeHierarchy(bytes.subarray(0, bytes.byteLength - 8))).toThrow(
      /truncated/,
    );
    // A hierarchy of other costs is refused rather than used.
    const other = randomGraph(10, 400, 1200);
    expect(() => new ChRouteSearch(other, 'drive', copy)).toThrow(/another graph/);
  });
});

describe('contraction hierarchy with an uncontracted core', () => {
  // coreDegree 0: the core starts as soon as at most `coreNodes` nodes are left, dense or not.
  const coreOf = (graph: RoadGraph, share: number): ContractOptions => ({
    coreNodes: Math.round(graph.nodeCount * share),
    coreDegree: 0,
  });

  it.each([1, 2, 3, 4])(
    'seed %i: every profile equals Dijkstra with cores of 5% and 30%',
    (seed) => {
      const graph = randomGraph(seed + 20, 300 + seed * 50, 900 + seed * 100);
      for (const share of [0.05, 0.3]) {
        for (const profile of PROFILES) {
          const hierarchy = contract(graph, profile, coreOf(graph, share));
          expect(coreSizeOf(hierarchy)).toBe(coreOf(graph, share).coreNodes);
          const ch = new ChRouteSearch(graph, profile, hierarchy);
          compareOnPairs(graph, profile, ch, seed * 10 + PROFILES.indexOf(profile), 120);
        }
      }
    },
  );

  it('a core of every node is a plain bidirectional Dijkstra, islands and one-ways included', () => {
    const graph = randomGraph(31, 400, 1100);
    for (const profile of PROFILES) {
      const hierarchy = contract(graph, profile, { coreNodes: graph.nodeCount, coreDegree: 0 });
      expect(coreSizeOf(hierarchy)).toBe(graph.nodeCount);
      compareOnPairs(graph, profile, new ChRouteSearch(graph, profile, hierarchy), 77, 150);
    }
  });

  it('equals Dijkstra on a uniform grid (every route ties with many others), core or not', () => {
    // The bench's synthetic city in small: equal travel times, one-way rows for cars.
    const graph = RoadGraph.fromEdgeRows(syntheticGridEdges(30));
    for (const options of [{ coreNodes: 0 }, { coreNodes: 120, coreDegree: 0 }, {}]) {
      for (const profile of PROFILES) {
        const ch = new ChRouteSearch(graph, profile, contract(graph, profile, options));
        const reachable = compareOnPairs(graph, profile, ch, 5 + PROFILES.indexOf(profile), 150);
        expect(reachable).toBe(150);
      }
    }
  });

  it('answers null between two islands and routes within each, core on both', () => {
    // Two 12×12 grids side by side with no road between them; ids of the second shifted.
    const island = syntheticGridEdges(12);
    const shifted = syntheticGridEdges(12, [0.5, 0]).map((edge) => ({
      ...edge,
      id: edge.id + island.length,
      source: edge.source + 144,
      target: edge.target + 144,
    }));
    const graph = RoadGraph.fromEdgeRows([...island, ...shifted]);
    for (const profile of PROFILES) {
      const hierarchy = contract(graph, profile, { coreNodes: 60, coreDegree: 0 });
      const coreRank = coreRankOf(hierarchy);
      const inCore = [...hierarchy.rank.keys()].filter((n) => hierarchy.rank[n] === coreRank);
      expect(inCore.some((n) => n < 144) && inCore.some((n) => n >= 144)).toBe(true);
      const ch = new ChRouteSearch(graph, profile, hierarchy);
      const dijkstra = new RouteSearch(graph, profile);
      const random = seededRandom(40 + PROFILES.indexOf(profile));
      let unreachable = 0;
      for (let i = 0; i < 120; i++) {
        const snap = (): EdgeSnap => ({
          edgeId: Math.floor(random() * graph.edgeCount),
          fraction: random(),
        });
        const [from, to] = [snap(), snap()];
        const expected = dijkstra.route(from, to);
        const actual = ch.route(from, to);
        expect(actual === null, `pair ${i} reachability`).toBe(expected === null);
        if (expected === null) unreachable++;
        else
          expect(Math.abs(actual!.durationS - expected.durationS)).toBeLessThanOrEqual(TOLERANCE_S);
      }
      // About half the pairs straddle the two islands.
      expect(unreachable).toBeGreaterThan(30);
    }
  });

  it('survives a round trip through bytes with its core', () => {
    const graph = randomGraph(32, 500, 1400);
    const hierarchy = contract(graph, 'bike', coreOf(graph, 0.1));
    const copy = deserializeHierarchy(serializeHierarchy(hierarchy));
    expect(coreSizeOf(copy)).toBe(50);
    compareOnPairs(graph, 'bike', new ChRouteSearch(graph, 'bike', copy), 8, 150);
  });
});

describe.each<ExtractName>(['andorra', 'bayfront_singapore'])(
  'contraction hierarchy on %s',
  (name) => {
    let graph: RoadGraph;
    const searches = {} as Record<ProfileName, ChRouteSearch>;
    beforeAll(async () => {
      graph = (await loadRealNetwork(name)).graph;
      for (const profile of PROFILES) {
        searches[profile] = new ChRouteSearch(graph, profile, contract(graph, profile));
      }
    });

    it.each(PROFILES)('%s: equals Dijkstra on 300 random pairs', (profile) => {
      const reachable = compareOnPairs(graph, profile, searches[profile], 7 + profile.length, 300);
      expect(reachable).toBeGreaterThan(100);
    });

    it('drive: equals Dijkstra on one-way streets, both directions, same edge and touching', () => {
      const { costs, forward } = graph.profile('drive');
      const dijkstra = new RouteSearch(graph, 'drive');
      const oneways = [...Array(graph.edgeCount).keys()]
        .filter((e) => (costs[e * 2] === Infinity) !== (costs[e * 2 + 1] === Infinity))
        .slice(0, 40);
      expect(oneways.length).toBeGreaterThan(10);
      for (const edgeId of oneways) {
        const target = graph.edgeTarget[edgeId];
        const arc = forward.offsets[target];
        const neighbour = arc < forward.offsets[target + 1] ? forward.refs[arc] >> 1 : edgeId;
        const cases: Array<[EdgeSnap, EdgeSnap]> = [
          [
            { edgeId, fraction: 0.9 },
            { edgeId, fraction: 0.1 },
          ],
          [
            { edgeId, fraction: 0.1 },
            { edgeId, fraction: 0.9 },
          ],
          [
            { edgeId, fraction: 0.5 },
            { edgeId: neighbour, fraction: 0.5 },
          ],
          [
            { edgeId: neighbour, fraction: 0.5 },
            { edgeId, fraction: 0.5 },
          ],
          [
            { edgeId, fraction: 1 },
            { edgeId, fraction: 0 },
          ],
          [
            { edgeId, fraction: 0.3 },
            { edgeId, fraction: 0.3 },
          ],
        ];
        for (const [from, to] of cases) {
          const expected = dijkstra.route(from, to);
          const actual = searches.drive.route(from, to);
          expect(actual === null).toBe(expected === null);
          if (expected && actual) {
            expect(Math.abs(actual.durationS - expected.durationS)).toBeLessThanOrEqual(
              TOLERANCE_S,
            );
            expectConnected(graph, 'drive', actual, from, to);
          }
        }
      }
    });
  },
);
