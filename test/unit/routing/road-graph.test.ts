import { beforeAll, describe, expect, it } from 'vitest';
import { PROFILES } from '../../../server/routing/profiles.js';
import { RoadGraph } from '../../../server/routing/road-graph.js';
import { loadRealNetwork, type RealNetwork } from './real-networks.js';

describe('RoadGraph built from the Andorra edge rows', () => {
  let andorra: RealNetwork;
  beforeAll(async () => {
    andorra = await loadRealNetwork('andorra');
  });

  it('holds every node and edge with its coordinates and geometry', () => {
    const { graph, rows } = andorra;
    expect(graph.nodeCount).toBe(rows.nodes.length);
    expect(graph.edgeCount).toBe(rows.edges.length);
    for (const node of rows.nodes) expect(graph.nodeLngLat(node.id)).toEqual([node.lng, node.lat]);
    for (const edge of rows.edges) {
      expect(Array.from(graph.edgeFlatCoordinates(edge.id))).toEqual(edge.coordinates.flat());
      expect(graph.edgeName(edge.id)).toBe(edge.name);
      expect(graph.edgeHighway(edge.id)).toBe(edge.highway);
      expect(graph.edgeLengthM[edge.id]).toBe(edge.lengthM);
    }
  });

  it.each(PROFILES)(
    '%s: forward and reverse adjacency hold exactly the allowed directions',
    (profile) => {
      const { graph, rows } = andorra;
      const { costs, forward, reverse } = graph.profile(profile);
      const allowed = rows.edges.flatMap((edge) => {
        const arcs: string[] = [];
        if (edge[`${profile}FwdS`] !== null)
          arcs.push(`${edge.source}>${edge.target}#${edge.id * 2}`);
        if (edge[`${profile}BwdS`] !== null)
          arcs.push(`${edge.target}>${edge.source}#${edge.id * 2 + 1}`);
        return arcs;
      });
      const listed = (adjacency: typeof forward, reversed: boolean) => {
        const arcs: string[] = [];
        for (let node = 0; node < graph.nodeCount; node++) {
          for (let arc = adjacency.offsets[node]; arc < adjacency.offsets[node + 1]; arc++) {
            const [from, to] = reversed
              ? [adjacency.heads[arc], node]
              : [node, adjacency.heads[arc]];
            arcs.push(`${from}>${to}#${adjacency.refs[arc]}`);
          }
        }
        return arcs.sort();
      };
      expect(listed(forward, false)).toEqual([...allowed].sort());
      expect(listed(reverse, true)).toEqual([...allowed].sort());
      for (const edge of rows.edges) {
        expect(costs[edge.id * 2]).toBe(edge[`${profile}FwdS`] ?? Infinity);
        expect(costs[edge.id * 2 + 1]).toBe(edge[`${profile}BwdS`] ?? Infinity);
      }
    },
  );

  it('reports memory as the sum of its typed arrays', () => {
    const { graph } = andorra;
    const arrays = [
      graph.nodeCoords,
      graph.edgeSource,
      graph.edgeTarget,
      graph.edgeLengthM,
      graph.edgeNameIndex,
      graph.edgeHighwayIndex,
      graph.geometryOffsets,
      graph.geometryCoords,
      ...Object.values(graph.profiles).flatMap((p) => [
        p.costs,
        ...[p.forward, p.reverse].flatMap((a) => [a.offsets, a.heads, a.refs]),
      ]),
    ];
    expect(graph.memoryBytes()).toBe(arrays.reduce((sum, array) => sum + array.byteLength, 0));
    expect(graph.memoryBytes()).toBeLessThan(2_000_000);
  });

  it('can be built for a subset of profiles', () => {
    const walkOnly = RoadGraph.fromEdgeRows(andorra.rows.edges, { profiles: ['walk'] });
    expect(walkOnly.profile('walk').forward.heads.length).toBeGreaterThan(0);
    expect(() => walkOnly.profile('drive')).toThrow(
      'RoadGraph was built without the drive profile',
    );
  });

  it('refuses rows whose ids are not dense', () => {
    const [first, second] = andorra.rows.edges;
    expect(() => RoadGraph.fromEdgeRows([first, { ...second, id: 7 }])).toThrow(
      'RoadGraph needs edges sorted by dense id: row 1 has id 7',
    );
    expect(() => RoadGraph.fromEdgeRows([{ ...first, id: 0, source: 0, target: 5 }])).toThrow(
      'RoadGraph needs dense node ids: node 1 is not used by any edge',
    );
  });
});
