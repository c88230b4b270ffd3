import fs from 'node:fs';
import { RoadGraph } from '../server/routing/road-graph.js';
import { multiSourceReach, reachArrays } from '../server/modules/coverage/network-reach.js';
import { reachedSegments } from '../server/modules/coverage/network-coverage.js';
import { sweepCoverage } from '../server/modules/coverage/network-area.js';
import { shapeRings } from '../server/geo/shape-rings.js';
import { syntheticGrid } from './lib/synthetic-grid.js';
const districts = JSON.parse(fs.readFileSync('/work/shared/data/beijing/districts.geojson', 'utf8'));
const areas = districts.features.map((f: any) => ({ rings: shapeRings(f.geometry) }));
for (const side of [100, 200, 400, 708]) {
  const grid = syntheticGrid(side, [116.2, 39.75]);
  const graph = RoadGraph.fromEdgeRows(grid.edges as any, { profiles: ['walk'] });
  const seeds = grid.nodes.filter((n) => (n.id % side) % 10 === 5 && Math.floor(n.id / side) % 10 === 5);
  // seed at node: find an edge starting at node
  const edgeOf = new Map<number, number>();
  for (let e = 0; e < graph.edgeCount; e++) if (!edgeOf.has(graph.edgeSource[e])) edgeOf.set(graph.edgeSource[e], e);
  const seedEdges = Int32Array.from(seeds, (n) => edgeOf.get(n.id)!);
  let t = performance.now();
  const reach = multiSourceReach(reachArrays(graph, 'walk'), seedEdges, new Float64Array(seedEdges.length), 600);
  const reachMs = performance.now() - t;
  t = performance.now();
  const covered = reachedSegments(graph, reach);
  const segMs = performance.now() - t;
  t = performance.now();
  const swept = sweepCoverage({ areas, covered, radiusM: 50, rowM: 5 });
  const sweepMs = performance.now() - t;
  const km2 = swept.reduce((a, s) => a + s.coveredM2, 0) / 1e6;
  console.log(`${graph.edgeCount} edges: reach ${reachMs.toFixed(0)} ms (${reach.pieceEdges.length} pieces), segments ${segMs.toFixed(0)} ms, sweep ${sweepMs.toFixed(0)} ms, covered ${km2.toFixed(1)} km2`);
}
