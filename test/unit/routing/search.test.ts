import { lineString } from '@turf/helpers';
import { length as turfLength } from '@turf/length';
import { beforeAll, describe, expect, it } from 'vitest';
import { pointAtFraction, routeCoordinates } from '../../../server/routing/edge-geometry.js';
import type { RoadEdgeRow } from '../../../server/routing/graph-builder.js';
import { PROFILES, type ProfileName } from '../../../server/routing/profiles.js';
import { RouteSearch, type EdgeSnap, type Route } from '../../../server/routing/search.js';
import { routeSteps } from '../../../server/routing/steps.js';
import { loadRealNetwork, seededRandom, type RealNetwork } from './real-networks.js';

/**
 * Reference answer: the O(V²) Dijkstra from a textbook, on its own adjacency lists built from the
 * edge rows, with the two snapped ends as extra nodes S and T. It shares no code with the engine.
 */
function textbookFastest(
  edges: RoadEdgeRow[],
  nodeCount: number,
  profile: ProfileName,
  from: EdgeSnap,
  to: EdgeSnap,
): number | null {
  const fwd = (edge: RoadEdgeRow) => edge[`${profile}FwdS`];
  const bwd = (edge: RoadEdgeRow) => edge[`${profile}BwdS`];
  // Travelling a zero-length piece costs nothing, even against a oneway.
  const part = (span: number, cost: number | null) =>
    span === 0 ? 0 : cost === null ? Infinity : span * cost;
  const S = nodeCount;
  const T = nodeCount + 1;
  const next: Array<Array<[number, number]>> = Array.from({ length: nodeCount + 2 }, () => []);
  for (const edge of edges) {
    if (fwd(edge) !== null) next[edge.source].push([edge.target, fwd(edge)!]);
    if (bwd(edge) !== null) next[edge.target].push([edge.source, bwd(edge)!]);
  }
  const a = edges[from.edgeId];
  const b = edges[to.edgeId];
  next[S].push(
    [a.target, part(1 - from.fraction, fwd(a))],
    [a.source, part(from.fraction, bwd(a))],
  );
  next[b.source].push([T, part(to.fraction, fwd(b))]);
  next[b.target].push([T, part(1 - to.fraction, bwd(b))]);
  if (a.id === b.id) {
    const direct =
      to.fraction >= from.fraction
        ? part(to.fraction - from.fraction, fwd(a))
        : part(from.fraction - to.fraction, bwd(a));
    next[S].push([T, direct]);
  }

  const dist = new Array<number>(nodeCount + 2).fill(Infinity);
  const done = new Array<boolean>(nodeCount + 2).fill(false);
  dist[S] = 0;
  for (;;) {
    let u = -1;
    for (let v = 0; v < dist.length; v++) if (!done[v] && (u < 0 || dist[v] < dist[u])) u = v;
    if (u < 0 || dist[u] === Infinity || u === T) break;
    done[u] = true;
    for (const [v, cost] of next[u]) if (dist[u] + cost < dist[v]) dist[v] = dist[u] + cost;
  }
  return dist[T] === Infinity ? null : dist[T];
}

describe('RouteSearch on the Andorra network', () => {
  let andorra: RealNetwork;
  const searches = {} as Record<ProfileName, RouteSearch>;
  beforeAll(async () => {
    andorra = await loadRealNetwork('andorra');
    for (const profile of PROFILES) searches[profile] = new RouteSearch(andorra.graph, profile);
  });

  const randomSnaps = (profile: ProfileName, seed: number, count: number) =>
    randomUsableSnaps(andorra, profile, seed, count);

  it.each(PROFILES)(
    '%s: bidirectional search equals textbook Dijkstra on 50 random pairs',
    (profile) => {
      const snaps = randomSnaps(profile, PROFILES.indexOf(profile) + 1, 100);
      let reachable = 0;
      for (let i = 0; i < 50; i++) {
        const [from, to] = [snaps[i * 2], snaps[i * 2 + 1]];
        const expected = textbookFastest(
          andorra.rows.edges,
          andorra.graph.nodeCount,
          profile,
          from,
          to,
        );
        const route = searches[profile].route(from, to);
        if (expected === null) {
          expect(route).toBeNull();
          continue;
        }
        reachable++;
        expect(route).not.toBeNull();
        expect(Math.abs(route!.durationS - expected)).toBeLessThan(1e-6);
      }
      expect(reachable).toBeGreaterThan(20);
    },
  );

  it('equals textbook Dijkstra when both ends share an edge or its end nodes (oneways too)', () => {
    const { graph, rows } = andorra;
    const oneways = rows.edges
      .filter((edge) => (edge.driveFwdS === null) !== (edge.driveBwdS === null))
      .slice(0, 20);
    expect(oneways).toHaveLength(20);
    for (const edge of oneways) {
      // An edge leaving the oneway's target node, so the two ends touch at a node.
      const touching = graph.profile('drive').forward;
      const arc = touching.offsets[edge.target];
      const neighbour = arc < touching.offsets[edge.target + 1] ? touching.refs[arc] >> 1 : edge.id;
      const cases: Array<[EdgeSnap, EdgeSnap]> = [
        [
          { edgeId: edge.id, fraction: 0.9 },
          { edgeId: edge.id, fraction: 0.1 },
        ],
        [
          { edgeId: edge.id, fraction: 0.1 },
          { edgeId: edge.id, fraction: 0.9 },
        ],
        [
          { edgeId: edge.id, fraction: 0.5 },
          { edgeId: neighbour, fraction: 0.5 },
        ],
        [
          { edgeId: neighbour, fraction: 0.5 },
          { edgeId: edge.id, fraction: 0.5 },
        ],
        [
          { edgeId: edge.id, fraction: 1 },
          { edgeId: edge.id, fraction: 0 },
        ],
      ];
      for (const [from, to] of cases) {
        const expected = textbookFastest(rows.edges, graph.nodeCount, 'drive', from, to);
        const route = searches.drive.route(from, to);
        expect(route === null).toBe(expected === null);
        if (route) expect(Math.abs(route.durationS - expected!)).toBeLessThan(1e-6);
      }
    }
  });

  it('respects a real oneway street when driving, and ignores it when walking', () => {
    const { graph } = andorra;
    const drive = graph.profile('drive').costs;
    const oneway = andorra.rows.edges.find(
      (edge) =>
        edge.driveFwdS !== null &&
        edge.driveBwdS === null &&
        edge.walkBwdS !== null &&
        edge.lengthM > 100,
    )!;
    expect(oneway.name).not.toBeNull();
    const start: EdgeSnap = { edgeId: oneway.id, fraction: 0.1 };
    const end: EdgeSnap = { edgeId: oneway.id, fraction: 0.9 };

    const along = searches.drive.route(start, end)!;
    expect(along.durationS).toBeCloseTo(0.8 * drive[oneway.id * 2], 6);
    expect(along.edges).toHaveLength(1);
    const against = searches.drive.route(end, start);
    // Against the oneway the car must go round the block (or cannot get there at all).
    expect(against === null || against.durationS > along.durationS).toBe(true);
    if (against) expect(against.edges.length).toBeGreaterThan(2);

    const walkThere = searches.walk.route(start, end)!;
    const walkBack = searches.walk.route(end, start)!;
    expect(walkBack.durationS).toBeCloseTo(walkThere.durationS, 9);
    expect(walkBack.edges).toHaveLength(1);
    expect(walkBack.edges[0].forward).toBe(false);
  });

  it('walks every random pair in the same time both ways', () => {
    const snaps = randomSnaps('walk', 42, 40);
    for (let i = 0; i < 20; i++) {
      const there = searches.walk.route(snaps[i * 2], snaps[i * 2 + 1]);
      const back = searches.walk.route(snaps[i * 2 + 1], snaps[i * 2]);
      expect(back === null).toBe(there === null);
      if (there && back) expect(Math.abs(there.durationS - back.durationS)).toBeLessThan(1e-6);
    }
  });

  describe('a route', () => {
    const routes: Array<{ route: Route; from: EdgeSnap; to: EdgeSnap; profile: ProfileName }> = [];
    beforeAll(() => {
      for (let i = 0; i < 30; i++) {
        const profile = PROFILES[i % 3];
        const snaps = randomSnaps(profile, 7, 60);
        const [from, to] = [snaps[i * 2], snaps[i * 2 + 1]];
        const route = searches[profile].route(from, to);
        if (route && route.edges.length > 3) routes.push({ route, from, to, profile });
      }
      expect(routes.length).toBeGreaterThan(10);
    });

    it('is as long and as slow as the sum of its edges, which chain end to end', () => {
      const { graph } = andorra;
      for (const { route, profile } of routes) {
        const costs = graph.profile(profile).costs;
        expect(route.distanceM).toBeCloseTo(sum(route.edges.map((e) => e.distanceM)), 6);
        expect(route.durationS).toBeCloseTo(sum(route.edges.map((e) => e.durationS)), 6);
        const inner = route.edges.slice(1, -1);
        for (const edge of inner) {
          expect(edge.distanceM).toBe(graph.edgeLengthM[edge.edgeId]);
          expect(edge.durationS).toBe(costs[edge.edgeId * 2 + (edge.forward ? 0 : 1)]);
        }
        const nodeAt = (edgeId: number, fraction: number) =>
          fraction === 0 ? graph.edgeSource[edgeId] : graph.edgeTarget[edgeId];
        const passed = route.edges.slice(0, -1).map((e) => nodeAt(e.edgeId, e.toFraction));
        const entered = route.edges.slice(1).map((e) => nodeAt(e.edgeId, e.fromFraction));
        expect(entered).toEqual(passed);
        // The node path also names the route's ends when they lie exactly on nodes.
        const [first, last] = [route.edges[0], route.edges.at(-1)!];
        const onNode = (fraction: number) => fraction === 0 || fraction === 1;
        const startNode = onNode(first.fromFraction)
          ? [nodeAt(first.edgeId, first.fromFraction)]
          : [];
        const endNode = onNode(last.toFraction) ? [nodeAt(last.edgeId, last.toFraction)] : [];
        expect(route.nodePath).toEqual([...startNode, ...passed, ...endNode]);
      }
    });

    it('has a line from the snapped start to the snapped end as long as its distance', () => {
      for (const { route, from, to } of routes) {
        const line = routeCoordinates(andorra.graph, route);
        expect(line[0]).toEqual(pointAtFraction(andorra.graph, from.edgeId, from.fraction));
        expect(line.at(-1)).toEqual(pointAtFraction(andorra.graph, to.edgeId, to.fraction));
        const metres = turfLength(lineString(line), { units: 'meters' });
        expect(Math.abs(metres - route.distanceM) / route.distanceM).toBeLessThan(1e-5);
      }
    });

    it('has steps that add up to its distance and duration', () => {
      for (const { route } of routes) {
        const steps = routeSteps(andorra.graph, route);
        expect(steps.length).toBeGreaterThan(0);
        expect(steps.length).toBeLessThanOrEqual(route.edges.length);
        expect(sum(steps.map((s) => s.distanceM))).toBeCloseTo(route.distanceM, 6);
        expect(sum(steps.map((s) => s.durationS))).toBeCloseTo(route.durationS, 6);
        for (let i = 1; i < steps.length; i++) {
          const [a, b] = [steps[i - 1], steps[i]];
          expect(a.name !== b.name || (a.name === null && a.highway !== b.highway)).toBe(true);
          expect(b.edgeStart).toBe(a.edgeEnd);
        }
        expect(steps.at(-1)!.edgeEnd).toBe(route.edges.length);
      }
    });
  });

  it.each(['walk', 'drive'] as const)(
    '%s: nearestByTime returns the same k targets as routing to each one',
    (profile) => {
      const snaps = randomSnaps(profile, profile === 'walk' ? 13 : 12, 61);
      const [origin, ...targetSnaps] = snaps;
      const targets = targetSnaps.map((snap, i) => ({ id: `station-${i}`, snap }));
      const bruteForce = targets
        .map(({ id, snap }) => ({ id, route: searches[profile].route(origin, snap) }))
        .filter((t) => t.route !== null)
        .map(({ id, route }) => ({ id, durationS: route!.durationS, distanceM: route!.distanceM }))
        .sort((a, b) => a.durationS - b.durationS);
      expect(bruteForce.length).toBeGreaterThan(10);

      for (const [k, maxSeconds] of [
        [5, Infinity],
        [targets.length, Infinity],
        [10, bruteForce[6].durationS],
      ]) {
        const expected = bruteForce.filter((t) => t.durationS <= maxSeconds).slice(0, k);
        const nearest = searches[profile].nearestByTime(origin, targets, k, maxSeconds);
        expect(nearest.map((t) => t.id)).toEqual(expected.map((t) => t.id));
        nearest.forEach((t, i) => {
          expect(Math.abs(t.durationS - expected[i].durationS)).toBeLessThan(1e-6);
          expect(t.distanceM).toBeCloseTo(expected[i].distanceM, 3);
        });
      }
    },
  );

  it('gives the same answer to a repeated query after others (scratch is reset)', () => {
    const [from, to, ...others] = randomSnaps('walk', 99, 12);
    const first = searches.walk.route(from, to);
    for (let i = 0; i + 1 < others.length; i += 2) searches.walk.route(others[i], others[i + 1]);
    searches.walk.nearestByTime(
      from,
      others.map((snap, id) => ({ id, snap })),
      3,
      Infinity,
    );
    expect(searches.walk.route(from, to)).toEqual(first);
  });
});

describe('RouteSearch on the Singapore Bayfront network', () => {
  it.each(PROFILES)('%s: equals textbook Dijkstra on 30 random pairs', async (profile) => {
    const bayfront = await loadRealNetwork('bayfront_singapore');
    const search = new RouteSearch(bayfront.graph, profile);
    const snaps = randomUsableSnaps(bayfront, profile, 3, 60);
    for (let i = 0; i < 30; i++) {
      const [from, to] = [snaps[i * 2], snaps[i * 2 + 1]];
      const { edges } = bayfront.rows;
      const expected = textbookFastest(edges, bayfront.graph.nodeCount, profile, from, to);
      const route = search.route(from, to);
      expect(route === null).toBe(expected === null);
      if (expected !== null) expect(Math.abs(route!.durationS - expected)).toBeLessThan(1e-6);
    }
  });
});

/** Random points on edges the profile may use; every fifth one sits exactly on a node. */
function randomUsableSnaps(
  { graph }: RealNetwork,
  profile: ProfileName,
  seed: number,
  count: number,
): EdgeSnap[] {
  const usable = [...Array(graph.edgeCount).keys()].filter((e) => graph.isEdgeUsable(profile, e));
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    edgeId: usable[Math.floor(random() * usable.length)],
    fraction: i % 5 === 4 ? Math.round(random()) : random(),
  }));
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
