/**
 * A synthetic city for scaling benchmarks: a square grid of two-way streets ~100 m apart near the
 * equator, every 7th row one-way for bikes and cars, so it has the shape (not the data) of a real
 * network. `side` 708 gives ~1M edges. `origin` moves its south-west corner (lng, lat).
 */
import type { RoadEdgeRow, RoadNetworkRows } from '../../server/routing/graph-builder.js';

const SPACING_DEG = 0.0009;

/** Nodes and edges, ready for `replaceRoadNetwork`. */
export function syntheticGrid(side: number, origin: [number, number] = [0, 0]): RoadNetworkRows {
  const nodes = Array.from({ length: side * side }, (_, id) => ({
    id,
    osmId: id + 1,
    lng: origin[0] + (id % side) * SPACING_DEG,
    lat: origin[1] + Math.floor(id / side) * SPACING_DEG,
  }));
  return { nodes, edges: syntheticGridEdges(side, origin) };
}

export function syntheticGridEdges(side: number, [lng0, lat0] = [0, 0]): RoadEdgeRow[] {
  const node = (x: number, y: number) => y * side + x;
  const edges: RoadEdgeRow[] = [];
  // Float32 values, as the database's `real` columns hold them.
  const [lengthM, walk, bike, drive] = [100, 72, 24, 12].map(Math.fround);
  const add = (ax: number, ay: number, bx: number, by: number, oneway: boolean) => {
    edges.push({
      id: edges.length,
      source: node(ax, ay),
      target: node(bx, by),
      coordinates: [
        [lng0 + ax * SPACING_DEG, lat0 + ay * SPACING_DEG],
        [lng0 + bx * SPACING_DEG, lat0 + by * SPACING_DEG],
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
      if (x + 1 < side) add(x, y, x + 1, y, y % 7 === 3);
      if (y + 1 < side) add(x, y, x, y + 1, false);
    }
  }
  return edges;
}
