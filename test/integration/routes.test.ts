/**
 * GET /api/route on a real database holding the real Andorra road network, imported the way the
 * CLI does it; answers are checked against the in-memory engine built from the same file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../server/db/client.js';
import { findCurrentRoadNetwork } from '../../server/modules/routes/road-network.repository.js';
import { importOsmRoadNetwork } from '../../server/modules/routes/road-import.service.js';
import { findIslands } from '../../server/routing/components.js';
import { pointAtFraction } from '../../server/routing/edge-geometry.js';
import { RouteSearch } from '../../server/routing/search.js';
import { SnapIndex } from '../../server/routing/snap.js';
import { newStation } from '../setup/factories.js';
import { startTestServer, type TestServer } from '../setup/server.js';
import { extractPath, loadRealNetwork, type RealNetwork } from '../unit/routing/real-networks.js';

let server: TestServer;
let db: AppDatabase;
let andorra: RealNetwork;
let scratch: string;

const routeUrl = (params: Record<string, string>) => `/api/route?${new URLSearchParams(params)}`;
const lngLat = ([lng, lat]: [number, number]) => `${lng},${lat}`;
/** A point on an edge of the in-memory Andorra graph. */
const onEdge = (edgeId: number, fraction: number) =>
  pointAtFraction(andorra.graph, edgeId, fraction) as [number, number];

beforeAll(async () => {
  server = await startTestServer();
  db = server.database.handle.db;
  andorra = await loadRealNetwork('andorra');
  scratch = mkdtempSync(join(tmpdir(), 'routes-it-'));
});

afterAll(async () => {
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('GET /api/route before any import', () => {
  it('answers 503 saying how to import a network', async () => {
    const res = await server.get(routeUrl({ from: '1.52,42.51', to: '1.53,42.51' }));
    expect(res.status).toBe(503);
    expect(res.body.error).toContain('npm run import:osm');
  });
});

describe('GET /api/route on the imported Andorra network', () => {
  beforeAll(async () => {
    const result = await importOsmRoadNetwork(db, extractPath('andorra'));
    expect(result.edgeCount).toBe(andorra.graph.edgeCount);
  });

  it('walks between two points and matches the in-memory engine', async () => {
    const [from, to] = [onEdge(100, 0.3), onEdge(900, 0.6)];
    const res = await server.get(routeUrl({ from: lngLat(from), to: lngLat(to), mode: 'walk' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/geo+json');
    const { geometry, properties } = res.body;
    expect(geometry.type).toBe('LineString');
    expect(geometry.coordinates[0]).toEqual(properties.from.snapped);
    expect(geometry.coordinates.at(-1)).toEqual(properties.to.snapped);
    expect(properties.from.snap_distance_m).toBeLessThan(0.1);

    const snaps = new SnapIndex(andorra.graph);
    const [a, b] = [snaps.nearest(...from)!, snaps.nearest(...to)!];
    const expected = new RouteSearch(andorra.graph, 'walk').route(a, b)!;
    expect(properties.duration_s).toBeCloseTo(expected.durationS, 0);
    expect(properties.distance_m).toBeCloseTo(expected.distanceM, 0);

    const steps = properties.steps as Array<{ distance_m: number; duration_s: number }>;
    expect(steps.length).toBeGreaterThan(0);
    const stepSum = (key: 'distance_m' | 'duration_s') => steps.reduce((s, x) => s + x[key], 0);
    expect(Math.abs(stepSum('distance_m') - properties.distance_m)).toBeLessThan(
      0.1 * steps.length,
    );
    expect(Math.abs(stepSum('duration_s') - properties.duration_s)).toBeLessThan(
      0.1 * steps.length,
    );
  });

  it('drives with a real oneway street: along it directly, against it around the block', async () => {
    const oneway = andorra.rows.edges.find(
      (e) => e.driveFwdS !== null && e.driveBwdS === null && e.walkBwdS !== null && e.lengthM > 100,
    )!;
    const [start, end] = [lngLat(onEdge(oneway.id, 0.1)), lngLat(onEdge(oneway.id, 0.9))];
    const along = await server.get(routeUrl({ from: start, to: end, mode: 'drive' }));
    expect(along.status).toBe(200);
    expect(along.body.properties.duration_s).toBeCloseTo(0.8 * oneway.driveFwdS!, 0);
    const against = await server.get(routeUrl({ from: end, to: start, mode: 'drive' }));
    if (against.status === 200) {
      expect(against.body.properties.duration_s).toBeGreaterThan(along.body.properties.duration_s);
    } else {
      expect(against.status).toBe(422);
      expect(against.body.error).toMatch(/^to cannot be reached by drive/);
    }
    const walkBack = await server.get(routeUrl({ from: end, to: start, mode: 'walk' }));
    expect(walkBack.body.properties.distance_m).toBeCloseTo(along.body.properties.distance_m, 0);
  });

  it('routes to a station by id, and 404s an unknown station', async () => {
    const [lng, lat] = onEdge(1500, 0.5);
    const station = await newStation(db, { lng: lng + 0.0002, lat, name: 'Andorra test post' });
    const res = await server.get(
      routeUrl({ from: lngLat(onEdge(1400, 0.5)), station: String(station.id), mode: 'bike' }),
    );
    expect(res.status).toBe(200);
    expect(res.body.properties.to.station_id).toBe(station.id);
    expect(res.body.properties.to.snap_distance_m).toBeGreaterThan(5);
    const missing = await server.get(routeUrl({ from: '1.52,42.51', station: '999999' }));
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('Station not found: 999999');
  });

  it('422s naming the end that is more than 1 km from any road', async () => {
    const inTown = lngLat(onEdge(100, 0.5));
    const farAway = '1.2,42.5'; // in Spain, outside the extract
    const badFrom = await server.get(routeUrl({ from: farAway, to: inTown }));
    expect(badFrom.status).toBe(422);
    expect(badFrom.body.error).toBe(
      'from (1.2,42.5) is more than 1 km from any road usable by walk',
    );
    const badTo = await server.get(routeUrl({ from: inTown, to: farAway, mode: 'drive' }));
    expect(badTo.status).toBe(422);
    expect(badTo.body.error).toMatch(/^to \(1\.2,42\.5\) is more than 1 km/);
    // Both languages ride along for pages (the worker's shows the one it is in).
    expect(badFrom.body.details).toEqual({
      message_en: 'from (1.2,42.5) is more than 1 km from any road usable by walk',
      message_zh: '起点（1.2,42.5）距离可步行的道路超过 1 km',
    });
  });

  it('422s naming the end stranded on a disconnected piece of the network', async () => {
    const { islandOf, islandSize } = findIslands(andorra.graph, 'walk');
    const usable = andorra.rows.edges.filter((e) => e.walkFwdS !== null && e.lengthM > 20);
    const sizeOf = (edgeId: number) => islandSize[islandOf[andorra.graph.edgeSource[edgeId]]];
    const largest = Math.max(...usable.map((e) => sizeOf(e.id)));
    const mainland = usable.find((e) => sizeOf(e.id) === largest)!;
    const island = usable.find((e) => sizeOf(e.id) >= 5 && sizeOf(e.id) < 300)!;
    const [main, stranded] = [lngLat(onEdge(mainland.id, 0.5)), lngLat(onEdge(island.id, 0.5))];

    const toIsland = await server.get(routeUrl({ from: main, to: stranded }));
    expect(toIsland.status).toBe(422);
    expect(toIsland.body.error).toMatch(/^to cannot be reached by walk: its nearest road belongs/);
    const fromIsland = await server.get(routeUrl({ from: stranded, to: main }));
    expect(fromIsland.body.error).toMatch(/^from cannot be reached by walk/);
  });

  it.each([
    [{ from: '1.52,42.51', to: '1.53,42.51', mode: 'boat' }, /mode/],
    [{ from: '42.51,1.52,3', to: '1.53,42.51' }, /from: must be two numbers/],
    [{ from: '1.52,95', to: '1.53,42.51' }, /latitude must be within/],
    [{ from: '1.52,42.51' }, /exactly one destination/],
    [{ from: '1.52,42.51', to: '1.53,42.51', station: '4' }, /exactly one destination/],
  ])('400s a bad query %o', async (params, message) => {
    const res = await server.get(routeUrl(params));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(message);
  });

  it('is listed in the OpenAPI document', async () => {
    const res = await server.get('/api/openapi.json');
    if (res.status === 404) return; // the document lives elsewhere in this build
    expect(Object.keys(res.body.paths)).toContain('/api/route');
  });
});

describe('replacing the road network', () => {
  it('keeps the current network when the new file is truncated', async () => {
    const before = await findCurrentRoadNetwork(db);
    const original = readFileSync(extractPath('bayfront_singapore'));
    const truncated = join(scratch, 'bayfront-truncated.osm.pbf');
    writeFileSync(truncated, original.subarray(0, Math.floor(original.length * 0.6)));
    await expect(importOsmRoadNetwork(db, truncated)).rejects.toThrow(/truncated or corrupt/);
    expect(await findCurrentRoadNetwork(db)).toEqual(before);
    const res = await server.get(
      routeUrl({ from: lngLat(onEdge(100, 0.3)), to: lngLat(onEdge(900, 0.6)) }),
    );
    expect(res.status).toBe(200);
  });

  it('serves the new network on the next request after a re-import', async () => {
    const bayfront = await loadRealNetwork('bayfront_singapore');
    await importOsmRoadNetwork(db, extractPath('bayfront_singapore'));
    const usable = bayfront.rows.edges.filter((e) => e.walkFwdS !== null && e.lengthM > 30);
    const [a, b] = [usable[0], usable[usable.length - 1]];
    const point = (id: number) =>
      lngLat(pointAtFraction(bayfront.graph, id, 0.5) as [number, number]);
    const res = await server.get(routeUrl({ from: point(a.id), to: point(b.id) }));
    expect(res.status).toBe(200);
    expect(res.body.geometry.coordinates[0][0]).toBeGreaterThan(103);
    const oldTown = await server.get(routeUrl({ from: lngLat(onEdge(100, 0.5)), to: point(b.id) }));
    expect(oldTown.status).toBe(422);
  });
});
