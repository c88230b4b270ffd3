import { lineString } from '@turf/helpers';
import { length as turfLength } from '@turf/length';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RoadEdgeRow } from '../../../server/routing/graph-builder.js';
import { PROFILES, waySpeeds } from '../../../server/routing/profiles.js';
import { loadRealNetwork, type RealNetwork } from './real-networks.js';

describe('buildRoadNetwork on the Andorra extract', () => {
  let andorra: RealNetwork;
  let edges: RoadEdgeRow[];
  beforeAll(async () => {
    andorra = await loadRealNetwork('andorra');
    edges = andorra.rows.edges;
  });

  it('produces a plausible number of dense-id nodes and edges', () => {
    const { nodes } = andorra.rows;
    expect(nodes.length).toBeGreaterThan(2_000);
    expect(edges.length).toBeGreaterThan(andorra.data.ways.length);
    expect(nodes.every((node, index) => node.id === index)).toBe(true);
    expect(edges.every((edge, index) => edge.id === index)).toBe(true);
  });

  it('starts and ends every edge at its nodes and measures it like turf does', () => {
    const { nodes } = andorra.rows;
    for (const edge of edges) {
      const first = edge.coordinates[0];
      const last = edge.coordinates[edge.coordinates.length - 1];
      expect(first).toEqual([nodes[edge.source].lng, nodes[edge.source].lat]);
      expect(last).toEqual([nodes[edge.target].lng, nodes[edge.target].lat]);
    }
    const sample = edges.filter((edge) => edge.lengthM > 0).slice(0, 300);
    for (const edge of sample) {
      const turfMetres = turfLength(lineString(edge.coordinates), { units: 'meters' });
      expect(Math.abs(edge.lengthM - turfMetres) / turfMetres).toBeLessThan(1e-6);
    }
  });

  it('splits ways exactly at intersections: shared OSM nodes become graph nodes', () => {
    const usableWays = andorra.data.ways.filter((way) =>
      PROFILES.some((profile) => {
        const speeds = waySpeeds(profile, way.tags);
        return speeds.forwardKmh !== null || speeds.backwardKmh !== null;
      }),
    );
    const uses = new Map<number, number>();
    for (const way of usableWays)
      for (const id of way.nodeIds) uses.set(id, (uses.get(id) ?? 0) + 1);
    const graphNodes = new Set(andorra.rows.nodes.map((node) => node.osmId));
    const shared = [...uses].filter(([, count]) => count > 1).map(([id]) => id);
    expect(shared.length).toBeGreaterThan(1_000);
    expect(shared.filter((id) => !graphNodes.has(id))).toEqual([]);
    // …and only those: every graph node is shared or the end of a way.
    const wayEnds = new Set(usableWays.flatMap((way) => [way.nodeIds[0], way.nodeIds.at(-1)!]));
    const unexplained = [...graphNodes].filter((id) => uses.get(id)! < 2 && !wayEnds.has(id));
    expect(unexplained).toEqual([]);
  });

  it('gives a real oneway street drive time one way only, and walk time both ways', () => {
    const onewayWayIds = new Set(
      andorra.data.ways
        .filter((way) => way.tags.oneway === 'yes' && way.tags.highway === 'primary')
        .map((way) => way.id),
    );
    const oneway = edges.find((edge) => onewayWayIds.has(edge.osmWayId) && edge.lengthM > 50)!;
    expect(oneway).toBeDefined();
    expect(oneway.driveFwdS).toBeGreaterThan(0);
    expect(oneway.driveBwdS).toBeNull();
    expect(oneway.walkFwdS).toBe(oneway.walkBwdS);
    expect(oneway.walkFwdS).toBeCloseTo(oneway.lengthM / (5 / 3.6), 2);
  });

  it('leaves out ways no profile may use and names edges by name, else ref', () => {
    expect(edges.some((edge) => edge.highway === 'construction')).toBe(false);
    const noAccess = edges.filter((edge) =>
      PROFILES.every((p) => edge[`${p}FwdS`] === null && edge[`${p}BwdS`] === null),
    );
    expect(noAccess).toEqual([]);
    const refOnly = andorra.data.ways.find((way) => way.tags.ref && !way.tags.name)!;
    expect(edges.find((edge) => edge.osmWayId === refOnly.id)?.name).toBe(refOnly.tags.ref);
  });

  it('stores times and lengths as float32 values, as the graph and a `real` column do', () => {
    for (const edge of edges.slice(0, 500)) {
      expect(Math.fround(edge.lengthM)).toBe(edge.lengthM);
      if (edge.driveFwdS !== null) expect(Math.fround(edge.driveFwdS)).toBe(edge.driveFwdS);
    }
  });
});

describe('buildRoadNetwork on the Singapore Bayfront extract', () => {
  it('builds a connected-looking city network with car oneways', async () => {
    const { rows } = await loadRealNetwork('bayfront_singapore');
    expect(rows.edges.length).toBeGreaterThan(300);
    const onewayForCars = rows.edges.filter(
      (edge) => (edge.driveFwdS === null) !== (edge.driveBwdS === null),
    );
    expect(onewayForCars.length).toBeGreaterThan(50);
  });
});
