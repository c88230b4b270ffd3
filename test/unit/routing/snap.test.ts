import { along } from '@turf/along';
import { bearing } from '@turf/bearing';
import { destination } from '@turf/destination';
import { distance } from '@turf/distance';
import { lineString, point } from '@turf/helpers';
import { pointToLineDistance } from '@turf/point-to-line-distance';
import { beforeAll, describe, expect, it } from 'vitest';
import { pointAtFraction } from '../../../server/routing/edge-geometry.js';
import type { LngLat } from '../../../server/routing/geo.js';
import type { RoadEdgeRow } from '../../../server/routing/graph-builder.js';
import { SnapIndex } from '../../../server/routing/snap.js';
import { loadRealNetwork, seededRandom, type RealNetwork } from './real-networks.js';

describe('SnapIndex on the Andorra network', () => {
  let andorra: RealNetwork;
  let index: SnapIndex;
  beforeAll(async () => {
    andorra = await loadRealNetwork('andorra');
    index = new SnapIndex(andorra.graph);
  });

  /** Brute force with turf (geodesic): the distance to the nearest of the given edges. */
  const nearestByTurf = (at: LngLat, edges: RoadEdgeRow[]) => {
    let best = { edgeId: -1, metres: Infinity };
    for (const edge of edges) {
      const metres = pointToLineDistance(point(at), lineString(edge.coordinates), {
        units: 'meters',
      });
      if (metres < best.metres) best = { edgeId: edge.id, metres };
    }
    return best;
  };

  /** A point `offsetM` to the left of the middle of a long edge, as a person standing off-road. */
  const offRoad = (edge: RoadEdgeRow, offsetM: number): LngLat => {
    const line = lineString(edge.coordinates);
    const middle = along(line, edge.lengthM / 2, { units: 'meters' });
    const ahead = along(line, edge.lengthM / 2 + 1, { units: 'meters' });
    const heading = bearing(middle, ahead);
    return destination(middle, offsetM, heading - 90, { units: 'meters' }).geometry
      .coordinates as LngLat;
  };

  it('snaps a point 50 m off a road to that road, at the foot of the perpendicular', () => {
    const candidates = andorra.rows.edges.filter(
      (edge) => edge.lengthM > 300 && edge.coordinates.length === 2,
    );
    // Use the first straight road with nothing else within 60 m of the off-road point.
    const edge = candidates.find(
      (c) => nearestByTurf(offRoad(c, 50), andorra.rows.edges).metres > 49,
    )!;
    expect(edge).toBeDefined();
    const query = offRoad(edge, 50);
    const snapped = index.nearest(query[0], query[1])!;
    expect(snapped.edgeId).toBe(edge.id);
    expect(snapped.distanceM).toBeCloseTo(50, 0);
    expect(snapped.fraction).toBeCloseTo(0.5, 2);
    const onEdge = pointAtFraction(andorra.graph, edge.id, snapped.fraction);
    expect(distance(point(onEdge), point(snapped.point), { units: 'meters' })).toBeLessThan(0.01);
  });

  it('agrees with a brute-force turf search on 60 random points near roads', () => {
    const random = seededRandom(5);
    const { edges } = andorra.rows;
    for (let i = 0; i < 60; i++) {
      const edge = edges[Math.floor(random() * edges.length)];
      const start = edge.coordinates[0];
      const query = destination(point(start), random() * 400, random() * 360 - 180, {
        units: 'meters',
      }).geometry.coordinates as LngLat;
      const snapped = index.nearest(query[0], query[1], { maxDistanceM: 5_000 })!;
      // Turf is slow, so it checks only edges whose box comes near enough to possibly be closer.
      const reach = snapped.distanceM + 20;
      const [dLng, dLat] = [
        reach / (111_000 * Math.cos((query[1] * Math.PI) / 180)),
        reach / 111_000,
      ];
      const nearby = edges.filter((e) => {
        const lngs = e.coordinates.map((c) => c[0]);
        const lats = e.coordinates.map((c) => c[1]);
        return (
          Math.min(...lngs) <= query[0] + dLng &&
          Math.max(...lngs) >= query[0] - dLng &&
          Math.min(...lats) <= query[1] + dLat &&
          Math.max(...lats) >= query[1] - dLat
        );
      });
      const expected = nearestByTurf(query, nearby);
      expect(Math.abs(snapped.distanceM - expected.metres)).toBeLessThan(
        0.05 + expected.metres * 0.002,
      );
    }
  });

  it('returns null when no road is within maxDistanceM', () => {
    const [lng, lat] = andorra.graph.nodeLngLat(0);
    const farAway = destination(point([lng, lat]), 50, 0, { units: 'kilometers' }).geometry
      .coordinates;
    expect(index.nearest(farAway[0], farAway[1])).toBeNull();
    expect(index.nearest(0, 0)).toBeNull();
    const near = index.nearest(lng + 0.0001, lat)!;
    expect(index.nearest(lng + 0.0001, lat, { maxDistanceM: near.distanceM / 2 })).toBeNull();
  });

  it('skips edges the profile cannot use', () => {
    const footway = andorra.rows.edges.find(
      (edge) => edge.highway === 'footway' && edge.driveFwdS === null && edge.lengthM > 30,
    )!;
    const [lng, lat] = pointAtFraction(andorra.graph, footway.id, 0.5);
    expect(index.nearest(lng, lat, { profile: 'walk' })!.edgeId).toBe(footway.id);
    const forCars = index.nearest(lng, lat, { profile: 'drive', maxDistanceM: 5_000 })!;
    expect(forCars.edgeId).not.toBe(footway.id);
    expect(andorra.graph.isEdgeUsable('drive', forCars.edgeId)).toBe(true);
  });
});
