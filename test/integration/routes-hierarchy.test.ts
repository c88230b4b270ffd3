/**
 * Contraction hierarchies stored with the road network, and `/api/route`'s in-memory snapping, on
 * the real database (PGlite by default, PostgreSQL with TEST_DATABASE_URL):
 * - an import stores one hierarchy per profile with the network;
 * - a second instance (a new app on the same database) loads them instead of contracting again;
 * - a missing one is rebuilt in the background (routes meanwhile on Dijkstra) and stored;
 * - the in-memory snap picks the edges and points the SQL KNN snap picks, on many Andorra points.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase, queryRows, sql, type DatabaseHandle } from '../../server/db/client.js';
import { createHttpServer } from '../../server/http/http-server.js';
import { importOsmRoadNetwork } from '../../server/modules/routes/road-import.service.js';
import {
  RoadNetworkCache,
  type LoadedRoadNetwork,
} from '../../server/modules/routes/road-network-cache.js';
import { findNearbyEdges } from '../../server/modules/routes/road-network.repository.js';
import { snapToNetwork } from '../../server/modules/routes/routes.service.js';
import { ChRouteSearch } from '../../server/routing/contraction/ch-search.js';
import { CH_FORMAT } from '../../server/routing/contraction/serialize.js';
import { metreFractionFromPlanar, pointAtFraction } from '../../server/routing/edge-geometry.js';
import { haversineMetres, type LngLat } from '../../server/routing/geo.js';
import { PROFILES, type ProfileName } from '../../server/routing/profiles.js';
import { RouteSearch } from '../../server/routing/search.js';
import { createTestDatabase, type TestDatabase } from '../setup/database.js';
import { extractPath, seededRandom } from '../unit/routing/real-networks.js';

let database: TestDatabase;
/** The second instance's own handle on PostgreSQL (own pool); the same one on PGlite. */
let handleB: DatabaseHandle;
let networkId: number;

/** A new app on `handle` that records its road-network log lines. */
async function startInstance(handle: DatabaseHandle) {
  const lines: Array<Record<string, any>> = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line)) },
  );
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info' });
  const server: Server = createHttpServer(buildApp({ database: handle, config, logger }));
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    lines,
    get: async (path: string) => {
      const res = await fetch(baseUrl + path);
      return { status: res.status, body: (await res.json()) as any };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const storedRows = (db: DatabaseHandle) =>
  queryRows<{ profile: ProfileName; format: number; bytes: number; length: number }>(
    db.db,
    sql`select profile, format, bytes, octet_length(data) as length from road_hierarchies
        where network_id = ${networkId} order by profile`,
  );

beforeAll(async () => {
  database = await createTestDatabase();
  handleB =
    database.kind === 'postgres'
      ? await openDatabase({ databaseUrl: database.url })
      : database.handle;
  networkId = (await importOsmRoadNetwork(database.handle.db, extractPath('andorra'))).networkId;
}, 120_000);

afterAll(async () => {
  if (handleB && handleB !== database?.handle) await handleB.close();
  await database?.drop();
});

describe('stored contraction hierarchies', () => {
  it('an import stores one hierarchy per profile with the network', async () => {
    const rows = await storedRows(database.handle);
    expect(rows.map((row) => row.profile)).toEqual(['bike', 'drive', 'walk']);
    for (const row of rows) {
      expect(row.format).toBe(CH_FORMAT);
      expect(Number(row.length)).toBe(row.bytes);
      expect(row.bytes).toBeGreaterThan(10_000);
    }
  });

  it('a second instance loads them instead of contracting again, and routes with them', async () => {
    const instance = await startInstance(handleB);
    try {
      const url = '/api/route?from=1.5211,42.5064&to=1.5333,42.5102&mode=drive';
      const answer = await instance.get(url);
      expect(answer.status).toBe(200);
      expect(answer.body.properties.duration_s).toBeGreaterThan(0);
      const loaded = instance.lines.filter((line) => line.msg === 'road network loaded');
      expect(loaded).toHaveLength(1);
      expect(loaded[0].networkId).toBe(networkId);
      expect([...loaded[0].hierarchies].sort()).toEqual(['bike', 'drive', 'walk']);
      expect(instance.lines.some((line) => line.msg === 'road hierarchies built')).toBe(false);
    } finally {
      await instance.close();
    }
    const cache = new RoadNetworkCache(handleB.db);
    const network = (await cache.current())!;
    expect(network.hierarchies).toEqual({ walk: 'stored', bike: 'stored', drive: 'stored' });
    for (const profile of PROFILES) expect(network.routers[profile]).toBeInstanceOf(ChRouteSearch);
    // Same durations as Dijkstra over the loaded graph, on random pairs of every profile.
    const random = seededRandom(5);
    for (const profile of PROFILES) {
      for (let i = 0; i < 40; i++) {
        const from = randomSnap(network, profile, random);
        const to = randomSnap(network, profile, random);
        const expected = network.searches[profile].route(from, to);
        const actual = network.routers[profile].route(from, to);
        expect(actual === null).toBe(expected === null);
        if (expected) expect(Math.abs(actual!.durationS - expected.durationS)).toBeLessThan(1e-3);
      }
    }
  });

  it('a missing hierarchy is rebuilt in the background, routing on Dijkstra meanwhile', async () => {
    await database.handle.db.execute(
      sql`delete from road_hierarchies where network_id = ${networkId} and profile = 'drive'`,
    );
    const cache = new RoadNetworkCache(handleB.db);
    const network = (await cache.current())!;
    expect(network.hierarchies.drive).toBeUndefined();
    // Nothing is built until a route is asked for; the first one gets Dijkstra and starts it.
    await cache.backgroundBuilds();
    expect(network.hierarchies.drive).toBeUndefined();
    const fallback = cache.routerFor(network, 'drive');
    expect(fallback).toBeInstanceOf(RouteSearch);
    const random = seededRandom(6);
    const [from, to] = [randomSnap(network, 'drive', random), randomSnap(network, 'drive', random)];
    const before = fallback.route(from, to);
    await cache.backgroundBuilds();
    expect(network.hierarchies.drive).toBe('built');
    expect(cache.routerFor(network, 'drive')).toBeInstanceOf(ChRouteSearch);
    const after = cache.routerFor(network, 'drive').route(from, to);
    expect(after === null).toBe(before === null);
    if (before) expect(Math.abs(after!.durationS - before.durationS)).toBeLessThan(1e-3);
    expect((await storedRows(database.handle)).map((row) => row.profile)).toEqual([
      'bike',
      'drive',
      'walk',
    ]);
    // The next instance finds it stored.
    const next = (await new RoadNetworkCache(handleB.db).current())!;
    expect(next.hierarchies.drive).toBe('stored');
  });
});

describe('in-memory snapping for /api/route', () => {
  it('picks the edge and point the SQL snap picks, on 300 Andorra points per profile', async () => {
    const network = (await new RoadNetworkCache(database.handle.db).current())!;
    const { graph } = network;
    let compared = 0;
    for (const profile of PROFILES) {
      for (const point of testPoints(network, profile, 100 + PROFILES.indexOf(profile))) {
        const [sqlSnap] = await findNearbyEdges(database.handle.db, point, profile, 1000);
        const memory = snapToNetwork(network, point, profile);
        expect(memory === null, `${point}`).toBe(sqlSnap === undefined);
        if (!sqlSnap || !memory) continue;
        compared++;
        const sqlFraction = metreFractionFromPlanar(graph, sqlSnap.edgeId, sqlSnap.planarFraction);
        const sqlPoint = pointAtFraction(graph, sqlSnap.edgeId, sqlFraction);
        expect(memory.snap.edgeId, `${profile} ${point}`).toBe(sqlSnap.edgeId);
        expect(Math.abs(memory.snap.fraction - sqlFraction)).toBeLessThan(1e-9);
        expect(
          haversineMetres(memory.point[0], memory.point[1], sqlPoint[0], sqlPoint[1]),
        ).toBeLessThan(1e-3);
        // Both on the WGS-84 ellipsoid; the nearest points differ by the frame they are found in.
        expect(Math.abs(memory.distanceM - sqlSnap.distanceM)).toBeLessThan(0.01);
      }
    }
    expect(compared).toBeGreaterThan(800);
  });
});

function randomSnap(network: LoadedRoadNetwork, profile: ProfileName, random: () => number) {
  const { graph } = network;
  for (;;) {
    const edgeId = Math.floor(random() * graph.edgeCount);
    if (graph.isEdgeUsable(profile, edgeId)) return { edgeId, fraction: random() };
  }
}

/**
 * Where people ask from: beside random usable roads (up to ~60 m off), exactly on junctions
 * (several edges tie there), and a few far from any road (both snaps must refuse).
 */
function testPoints(network: LoadedRoadNetwork, profile: ProfileName, seed: number): LngLat[] {
  const { graph } = network;
  const random = seededRandom(seed);
  const points: LngLat[] = [];
  while (points.length < 300) {
    const { edgeId, fraction } = randomSnap(network, profile, random);
    const kind = points.length % 10;
    if (kind === 0) {
      points.push(graph.nodeLngLat(graph.edgeSource[edgeId]));
    } else if (kind === 9 && points.length < 40) {
      points.push([1.2 + random() * 0.1, 42.2 + random() * 0.05]);
    } else {
      const [lng, lat] = pointAtFraction(graph, edgeId, fraction);
      points.push([lng + (random() - 0.5) * 0.0015, lat + (random() - 0.5) * 0.001]);
    }
  }
  return points;
}
