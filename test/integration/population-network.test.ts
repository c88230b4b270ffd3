/**
 * People-weighted coverage under a network rule (issue 14): the real Andorra network moved onto
 * 延庆区, a synthetic WGS-84 population raster laid over it, and the people within the 50 m band
 * of the reached streets checked against PostGIS (ST_DWithin of each cell centre to the reached
 * pieces) within 0.5 %, on whichever engine runs the test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importNetworkIntoDistrict } from '../../scripts/lib/road-fixtures.js';
import { queryRows, sql, type AppDatabase } from '../../server/db/client.js';
import { reachWithin } from '../../server/modules/coverage/network-reach.js';
import { importPopulationFiles } from '../../server/modules/demand/population/population-import.js';
import { loadRoadEdgeRows } from '../../server/modules/routes/road-network.repository.js';
import { sliceEdge } from '../../server/routing/edge-geometry.js';
import { RoadGraph } from '../../server/routing/road-graph.js';
import { createUser, loginAs, type LoggedIn } from '../setup/auth.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';
import { syntheticWgs84Raster } from '../setup/synthetic-raster.js';
import { extractPath } from '../unit/routing/real-networks.js';

let server: TestServer;
let db: AppDatabase;
let planner: LoggedIn;
let layerId: number;
let stationNodes: number[] = [];
let tmp: string;
const NOON = '2026-03-04T12:00';

beforeAll(async () => {
  server = await startTestServer();
  db = server.database.handle.db;
  await importNetworkIntoDistrict(db, extractPath('andorra'), '110119');
  const nodes = await queryRows<{ id: number; lng: number; lat: number }>(
    db,
    sql`select n.id, ST_X(n.geom) as lng, ST_Y(n.geom) as lat from road_nodes n
        join districts d on d.code = '110119' and ST_Intersects(d.geom, n.geom)
        where (select count(*) from road_edges e where (e.source = n.id or e.target = n.id)
                 and e.walk_fwd_s is not null and e.walk_bwd_s is not null) >= 3
        order by n.id`,
  );
  const picked = [0.2, 0.5, 0.8].map((f) => nodes[Math.floor(nodes.length * f)]!);
  for (const node of picked) {
    await newStation(db, { lng: node.lng, lat: node.lat, opening_hours: '24/7' });
  }
  stationNodes = picked.map((n) => n.id);
  // ~85 m cells over the network's extent, people varying by row and column.
  const [box] = await queryRows<{ west: number; south: number; east: number; north: number }>(
    db,
    sql`select ST_XMin(e) as west, ST_YMin(e) as south, ST_XMax(e) as east, ST_YMax(e) as north
        from (select ST_Extent(geom)::geometry as e from road_edges) t`,
  );
  const cellDeg = 0.001;
  const width = Math.ceil((box!.east - box!.west) / cellDeg);
  const height = Math.ceil((box!.north - box!.south) / cellDeg);
  const values = Array.from({ length: height }, (_, r) =>
    Array.from({ length: width }, (_, c) => ((r * 7 + c * 3) % 11) + (r % 5 === 0 ? 0 : 1)),
  );
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-population-network-'));
  const file = path.join(tmp, 'andorra_people.tif');
  fs.writeFileSync(
    file,
    Buffer.from(syntheticWgs84Raster({ west: box!.west, north: box!.north, cellDeg, values })),
  );
  layerId = (await importPopulationFiles(db, [file], { name: 'people over the network' })).layer.id;
  await createUser(db, { username: 'planner1', password: 'planner-password-1', role: 'planner' });
  planner = await loginAs(server, 'planner1', 'planner-password-1');
}, 300_000);

afterAll(async () => {
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** People in 延庆区 within 50 m of the streets reached in 10 minutes' walk, by PostGIS. */
async function reference() {
  const graph = RoadGraph.fromEdgeRows(await loadRoadEdgeRows(db));
  const seeds = stationNodes.map((node) => {
    for (let e = 0; e < graph.edgeCount; e++) {
      if (graph.edgeSource[e] === node) return { edgeId: e, fraction: 0 };
      if (graph.edgeTarget[e] === node) return { edgeId: e, fraction: 1 };
    }
    throw new Error(`node ${node} has no edge`);
  });
  const reach = reachWithin(graph, 'walk', seeds, 600);
  const lines = reach.pieces.map((p) => sliceEdge(graph, p.edgeId, p.from, p.to));
  const [row] = await queryRows<{ total: number; covered: number }>(
    db,
    sql`with streets as (
          select ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify({ type: 'MultiLineString', coordinates: lines })}), 4326) as g
        ), cells as (
          select c.geom, c.weights[1]::float8 as w from demand_cells c join districts d on d.code = '110119'
            and ST_Intersects(d.geom, c.geom) where c.layer_id = ${layerId}
        )
        select sum(w) as total,
          coalesce(sum(w) filter (where ST_DWithin(cells.geom::geography, s.g::geography, 50)), 0) as covered
        from cells, streets s`,
  );
  return row!;
}

describe('people under a network rule', () => {
  it('count the people within the band of the reached streets within 0.5 % of PostGIS', async () => {
    const res = await server.get(
      `/api/coverage?level=district&area=110119&rule=walk:10&at=${NOON}&demand=${layerId}`,
      { headers: { cookie: planner.cookie } },
    );
    expect(res.status).toBe(200);
    const ref = await reference();
    const area = res.body.areas[0];
    expect(ref.covered).toBeGreaterThan(100);
    expect(Math.abs(area.demand_total - ref.total)).toBeLessThanOrEqual(0.005 * ref.total);
    expect(Math.abs(area.demand_covered - ref.covered)).toBeLessThanOrEqual(0.005 * ref.covered);
    // The 24-hour curve at noon counts the same people (all stations are 24/7).
    const curve = await server.get(
      `/api/coverage/timeline?date=2026-03-04&area=110119&rule=walk:10&demand=${layerId}`,
      { headers: { cookie: planner.cookie } },
    );
    expect(curve.status).toBe(200);
    expect(Math.abs(curve.body.hours[12].demand_covered - ref.covered)).toBeLessThanOrEqual(
      0.005 * ref.covered + 1,
    );
  });

  it('suggest sites under the network rule weighted by people', async () => {
    const res = await server.get(
      `/api/coverage/suggest?k=2&rule=walk:10&candidates=network&area=110119&at=${NOON}&demand=${layerId}`,
      { headers: { cookie: planner.cookie } },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.sites.length).toBeGreaterThan(0);
    expect(res.body.sites[0].gain).toBeGreaterThan(0);
  });
});
