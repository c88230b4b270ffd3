/**
 * GET /api/nearest with the real Andorra road network imported: travel times come from the network
 * (`distance_kind: network`) and match the in-memory engine built from the same file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importOsmRoadNetwork } from "../../server/modules/routes/road-import.service.js";
import { findIslands } from "../../server/routing/components.js";
import { pointAtFraction } from "../../server/routing/edge-geometry.js";
import { RouteSearch } from "../../server/routing/search.js";
import { SnapIndex } from "../../server/routing/snap.js";
import { newStation } from "../setup/factories.js";
import { startTestServer, type TestServer } from "../setup/server.js";
import {
  extractPath,
  loadRealNetwork,
  seededRandom,
  type RealNetwork,
} from "../unit/routing/real-networks.js";

let server: TestServer;
let andorra: RealNetwork;
let origin: [number, number];
const stations: Array<{ id: number; lng: number; lat: number }> = [];

beforeAll(async () => {
  server = await startTestServer();
  andorra = await loadRealNetwork("andorra");
  const { islandOf, islandSize } = findIslands(andorra.graph, "walk");
  const largest = Math.max(...Array.from(islandSize));
  const mainland = andorra.rows.edges.filter(
    (e) =>
      e.walkFwdS !== null &&
      e.walkBwdS !== null &&
      e.lengthM > 40 &&
      islandSize[islandOf[andorra.graph.edgeSource[e.id]]] === largest,
  );
  const random = seededRandom(7);
  const pick = () => mainland[Math.floor(random() * mainland.length)]!;
  const start = mainland.find((e) => e.id > 1000)!;
  origin = pointAtFraction(andorra.graph, start.id, 0.5) as [number, number];
  // Stations in the 3 km around the origin, each on the middle of a walkable edge.
  while (stations.length < 12) {
    const edge = pick();
    const [lng, lat] = pointAtFraction(andorra.graph, edge.id, 0.5);
    if (Math.hypot((lng - origin[0]) * 0.74, lat - origin[1]) > 0.027) continue;
    const s = await newStation(server.database.handle.db, {
      lng,
      lat,
      name: `Andorra ${stations.length}`,
    });
    stations.push({ id: s.id, lng, lat });
  }
});

afterAll(async () => {
  await server?.close();
});

const nearestUrl = (query: string) =>
  `/api/nearest?lng=${origin[0]}&lat=${origin[1]}&open=any${query}`;

describe("GET /api/nearest with a road network", () => {
  it("uses straight lines before any network is imported", async () => {
    const res = await server.get(nearestUrl("&k=3"));
    expect(res.status).toBe(200);
    expect(res.body.distance_kind).toBe("straight_line");
    expect(res.body.features).toHaveLength(3);
  });

  it("ranks by network travel time once Andorra is imported, as the in-memory engine does", async () => {
    await importOsmRoadNetwork(
      server.database.handle.db,
      extractPath("andorra"),
    );
    const res = await server.get(nearestUrl("&k=4&mode=walk&radius=5000"));
    expect(res.status).toBe(200);
    expect(res.body.distance_kind).toBe("network");
    expect(res.body.eta_basis.distance_kind).toBe("network");

    const snaps = new SnapIndex(andorra.graph);
    const snapOf = (lng: number, lat: number) =>
      snaps.nearest(lng, lat, { profile: "walk" })!;
    const expected = new RouteSearch(andorra.graph, "walk").nearestByTime(
      snapOf(...origin),
      stations.map((s) => ({ id: s.id, snap: snapOf(s.lng, s.lat) })),
      4,
      3 * 3600,
    );
    const got = res.body.features.map((f: any) => ({
      id: f.id,
      duration: f.properties.duration_s,
      distance: f.properties.distance_m,
      kind: f.properties.distance_kind,
    }));
    expect(got.map((g: any) => g.id)).toEqual(expected.map((e) => e.id));
    got.forEach((g: any, i: number) => {
      expect(g.kind).toBe("network");
      expect(Math.abs(g.duration - expected[i]!.durationS)).toBeLessThanOrEqual(
        2,
      );
      expect(Math.abs(g.distance - expected[i]!.distanceM)).toBeLessThanOrEqual(
        2,
      );
    });
    // A road route is never shorter than the straight line.
    for (const f of res.body.features) {
      expect(f.properties.distance_m).toBeGreaterThanOrEqual(
        f.properties.straight_line_m - 1,
      );
    }
  });

  it("falls back to straight lines for an origin more than 1 km from any road", async () => {
    const res = await server.get(
      "/api/nearest?lng=1.2&lat=42.5&open=any&radius=50000&k=2",
    );
    expect(res.status).toBe(200);
    expect(res.body.distance_kind).toBe("straight_line");
    expect(res.body.features).toHaveLength(2);
  });
});
