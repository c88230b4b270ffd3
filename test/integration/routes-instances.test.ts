/**
 * Several API instances over one database: the road graph each keeps in memory must follow imports
 * done elsewhere (another instance, the CLI), reloading once per change however many requests
 * ask, and never answer from a graph that is not the network its snaps were read from.
 * Instance B never imports anything; imports go through instance A's database handle. On a
 * PostgreSQL server the two instances have separate connection pools; on PGlite (one process per
 * data directory) they share the handle, which still exercises the version check.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase, type DatabaseHandle } from '../../server/db/client.js';
import { createHttpServer } from '../../server/http/http-server.js';
import { replaceRoadNetwork } from '../../server/modules/routes/road-import.repository.js';
import { importOsmRoadNetwork } from '../../server/modules/routes/road-import.service.js';
import { RoadNetworkCache } from '../../server/modules/routes/road-network-cache.js';
import { findCurrentRoadNetwork } from '../../server/modules/routes/road-network.repository.js';
import { RoutePlanner } from '../../server/modules/routes/routes.service.js';
import { findIslands } from '../../server/routing/components.js';
import { pointAtFraction } from '../../server/routing/edge-geometry.js';
import { syntheticGrid } from '../../scripts/lib/synthetic-grid.js';
import { createTestDatabase, type TestDatabase } from '../setup/database.js';
import { extractPath, loadRealNetwork, type RealNetwork } from '../unit/routing/real-networks.js';

interface Instance {
  baseUrl: string;
  /** 'road network loaded' log lines, with the id of the network loaded. */
  loads: Array<{ networkId: number }>;
  get(path: string): Promise<{ status: number; headers: Headers; body: any }>;
  close(): Promise<void>;
}

async function startInstance(handle: DatabaseHandle): Promise<Instance> {
  const loads: Instance['loads'] = [];
  const logger = pino(
    { level: 'info' },
    {
      write: (line: string) => {
        const entry = JSON.parse(line);
        if (entry.msg === 'road network loaded') loads.push({ networkId: entry.networkId });
      },
    },
  );
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info' });
  const server: Server = createHttpServer(buildApp({ database: handle, config, logger }));
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    loads,
    get: async (path) => {
      const res = await fetch(baseUrl + path);
      return {
        status: res.status,
        headers: res.headers,
        body: await res.json(),
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let database: TestDatabase;
let handleB: DatabaseHandle;
let a: Instance;
let b: Instance;
let andorra: RealNetwork;
let bayfront: RealNetwork;

const lngLat = (point: number[]) => `${point[0]},${point[1]}`;
/** A walkable two-way edge in the biggest connected part of a network, by rank. */
function mainlandEdge(network: RealNetwork, rank: number): number {
  const { islandOf, islandSize } = findIslands(network.graph, 'walk');
  const largest = Math.max(...Array.from(islandSize));
  const edges = network.rows.edges.filter(
    (e) =>
      e.walkFwdS !== null &&
      e.walkBwdS !== null &&
      e.lengthM > 30 &&
      islandSize[islandOf[network.graph.edgeSource[e.id]]] === largest,
  );
  return edges[Math.floor(rank * (edges.length - 1))].id;
}
function walkUrl(network: RealNetwork, fromRank: number, toRank: number): string {
  const at = (rank: number) =>
    lngLat(pointAtFraction(network.graph, mainlandEdge(network, rank), 0.5));
  return `/api/route?from=${at(fromRank)}&to=${at(toRank)}&mode=walk`;
}

beforeAll(async () => {
  database = await createTestDatabase();
  handleB =
    database.kind === 'postgres'
      ? await openDatabase({ databaseUrl: database.url })
      : database.handle;
  [a, b, andorra, bayfront] = await Promise.all([
    startInstance(database.handle),
    startInstance(handleB),
    loadRealNetwork('andorra'),
    loadRealNetwork('bayfront_singapore'),
  ]);
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  if (handleB && handleB !== database?.handle) await handleB.close();
  await database?.drop();
});

describe('two instances over one database', () => {
  it('B serves the network A imported, and follows the next import with one reload', async () => {
    const before = await b.get(walkUrl(andorra, 0.1, 0.9));
    expect(before.status).toBe(503);

    await importOsmRoadNetwork(database.handle.db, extractPath('andorra'));
    const andorraId = (await findCurrentRoadNetwork(database.handle.db))!.id;
    const onAndorra = await b.get(walkUrl(andorra, 0.1, 0.9));
    expect(onAndorra.status).toBe(200);
    expect(onAndorra.body.geometry.coordinates[0][0]).toBeCloseTo(1.5, 0);
    expect(b.loads).toEqual([{ networkId: andorraId }]);

    await importOsmRoadNetwork(database.handle.db, extractPath('bayfront_singapore'));
    const bayfrontId = (await findCurrentRoadNetwork(database.handle.db))!.id;
    expect(bayfrontId).toBeGreaterThan(andorraId);
    // Twenty requests at once after the change: one reload serves them all.
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => b.get(walkUrl(bayfront, i / 40, 0.5 + i / 40))),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.geometry.coordinates[0][0]).toBeGreaterThan(103);
    }
    expect(b.loads).toEqual([{ networkId: andorraId }, { networkId: bayfrontId }]);
    // The old network is gone for both instances, not only for the one that imported it.
    expect((await b.get(walkUrl(andorra, 0.1, 0.9))).status).toBe(422);
    expect((await a.get(walkUrl(bayfront, 0.2, 0.8))).status).toBe(200);
  });

  it('answers every request from one whole network while imports race with them', async () => {
    await importOsmRoadNetwork(database.handle.db, extractPath('andorra'));
    const url = walkUrl(andorra, 0.3, 0.7);
    const reference = await b.get(url);
    expect(reference.status).toBe(200);

    // Imports run back to back through A's handle while both instances answer the same query.
    let importing = true;
    const imports = (async () => {
      try {
        for (const extract of ['bayfront_singapore', 'andorra', 'bayfront_singapore', 'andorra']) {
          await importOsmRoadNetwork(database.handle.db, extractPath(extract as 'andorra'));
        }
      } finally {
        importing = false;
      }
    })();
    const statuses = new Map<number, number>();
    try {
      while (importing) {
        const answers = await Promise.all([b.get(url), b.get(url), a.get(url)]);
        for (const answer of answers) {
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (answer.status === 200) {
            // Only Andorra holds both ends: a 200 is the very same route, never a mix of networks.
            expect(answer.body.properties.duration_s).toBe(reference.body.properties.duration_s);
            expect(answer.body.geometry.coordinates).toEqual(reference.body.geometry.coordinates);
          } else if (answer.status === 422) {
            expect(answer.body.error).toMatch(/^(from|to) \(.*\) is more than 1 km from any road/);
          } else {
            expect(answer.status, JSON.stringify(answer.body)).toBe(503);
            expect(answer.headers.get('retry-after')).toBe('1');
          }
        }
      }
    } finally {
      await imports;
    }
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    const after = await b.get(url);
    expect(after.body.properties.duration_s).toBe(reference.body.properties.duration_s);
  });

  it('a request whose version check ran just before an import landed answers wholly from the network it loaded', async () => {
    await importOsmRoadNetwork(database.handle.db, extractPath('andorra'));
    const stale = (await new RoadNetworkCache(handleB.db).current())!;
    const at = (rank: number) =>
      pointAtFraction(andorra.graph, mainlandEdge(andorra, rank), 0.5) as [number, number];
    const [from, to] = [at(0.3), at(0.32)];
    // A street grid (0.0009° apart) over both points replaces Andorra, with more edges than it, so
    // its edge ids are also valid ids in the stale Andorra graph.
    const spacing = 0.0009;
    const origin: [number, number] = [
      Math.min(from[0], to[0]) - 0.025,
      Math.min(from[1], to[1]) - 0.025,
    ];
    const extent = Math.max(Math.abs(from[0] - to[0]), Math.abs(from[1] - to[1])) + 0.05;
    const grid = syntheticGrid(Math.ceil(extent / spacing) + 1, origin);
    expect(grid.edges.length).toBeGreaterThan(stale.graph.edgeCount);
    await replaceRoadNetwork(database.handle.db, grid, { name: 'grid', source: 'synthetic' });

    // The cache answers the first call as if its version check had run just before the swap.
    class CheckedJustBeforeImport extends RoadNetworkCache {
      private first = true;
      override async current() {
        if (!this.first) return super.current();
        this.first = false;
        return stale;
      }
    }
    const planner = new RoutePlanner(handleB.db, new CheckedJustBeforeImport(handleB.db));
    const feature = await planner.plan({ from, to, mode: 'walk' });
    // Snaps come from the loaded graph itself (no SQL snap of a newer network), so the answer is
    // the stale network's, whole: the same as snapping and routing on it directly.
    const snapOn = ([lng, lat]: [number, number]) =>
      stale.snaps.nearest(lng, lat, { profile: 'walk', maxDistanceM: 1000 })!;
    const direct = stale.routers.walk.route(snapOn(from), snapOn(to))!;
    expect(feature.properties.duration_s).toBe(Math.round(direct.durationS * 10) / 10);
    const onGridLine = (value: number, start: number) => {
      const steps = (value - start) / spacing;
      return Math.abs(steps - Math.round(steps)) < 1e-6;
    };
    const offGrid = feature.geometry.coordinates.filter(
      ([lng, lat]) => !onGridLine(lng, origin[0]) && !onGridLine(lat, origin[1]),
    );
    expect(offGrid.length).toBeGreaterThan(0);
    // The next request sees the new network: every vertex lies on a grid street.
    const next = await planner.plan({ from, to, mode: 'walk' });
    for (const [lng, lat] of next.geometry.coordinates) {
      expect(onGridLine(lng, origin[0]) || onGridLine(lat, origin[1]), `${lng},${lat}`).toBe(true);
    }
  });
});
