import KDBush from 'kdbush';
import { describe, expect, it } from 'vitest';
import { geodesicDistanceM } from '../../../server/geo/geodesic.js';
import { nearestFirst } from '../../../server/geo/nearest-first.js';
import { mulberry32 } from '../../../scripts/lib/sample-stations.js';

function randomPoints(n: number, seed: number, [lng0, lat0]: [number, number], spanDeg: number) {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => [
    lng0 + (random() - 0.5) * spanDeg,
    lat0 + (random() - 0.5) * spanDeg,
  ]) as Array<[number, number]>;
}

function indexOf(points: Array<[number, number]>, nodeSize = 8) {
  const index = new KDBush(points.length, nodeSize);
  for (const [lng, lat] of points) index.add(lng, lat);
  return index.finish();
}

/** The k nearest by exact distance, taken from the walk with its stopping rule. */
function kNearestByWalk(index: KDBush, points: Array<[number, number]>, [lng, lat]: [number, number], k: number) {
  const taken: Array<{ i: number; d: number }> = [];
  for (const item of nearestFirst(index, lng, lat)) {
    taken.sort((a, b) => a.d - b.d);
    if (taken.length >= k && taken[k - 1]!.d <= item.lowerBoundM) break;
    const [x, y] = points[item.index]!;
    taken.push({ i: item.index, d: geodesicDistanceM(lng, lat, x, y) });
  }
  return taken.sort((a, b) => a.d - b.d).slice(0, k).map((t) => t.i);
}

describe('nearestFirst: a k-d tree walked outwards on WGS-84', () => {
  // Beijing, Singapore (near the equator) and Harbin-and-beyond (55°N): the bound must hold at each.
  for (const [name, centre] of [
    ['Beijing', [116.4, 39.9]],
    ['Singapore', [103.85, 1.29]],
    ['55°N', [82.9, 55.0]],
  ] as Array<[string, [number, number]]>) {
    it(`yields every point once, bounds never above the geodesic and never decreasing (${name})`, () => {
      const points = randomPoints(2_000, 7, centre, 0.8);
      const index = indexOf(points);
      const origin = randomPoints(1, 99, centre, 0.3)[0]!;
      const seen = new Set<number>();
      let previous = 0;
      for (const { index: i, lowerBoundM } of nearestFirst(index, origin[0], origin[1])) {
        expect(seen.has(i)).toBe(false);
        seen.add(i);
        expect(lowerBoundM).toBeGreaterThanOrEqual(previous);
        previous = lowerBoundM;
        const exact = geodesicDistanceM(origin[0], origin[1], points[i]![0], points[i]![1]);
        expect(lowerBoundM).toBeLessThanOrEqual(exact);
        // A tight bound (what makes the walk stop early): within 3% here.
        expect(lowerBoundM).toBeGreaterThan(exact * 0.97);
      }
      expect(seen.size).toBe(points.length);
    });

    it(`finds the same k nearest as brute force over exact distances (${name})`, () => {
      const points = randomPoints(3_000, 3, centre, 0.6);
      const index = indexOf(points, 16);
      for (const origin of randomPoints(40, 5, centre, 0.5)) {
        const brute = points
          .map(([x, y], i) => ({ i, d: geodesicDistanceM(origin[0], origin[1], x, y) }))
          .sort((a, b) => a.d - b.d)
          .slice(0, 7)
          .map((t) => t.i);
        expect(kNearestByWalk(index, points, origin, 7)).toEqual(brute);
      }
    });
  }

  it('walks a single point', () => {
    const one = indexOf([[116.4, 39.9]]);
    expect([...nearestFirst(one, 116.41, 39.9)].map((item) => item.index)).toEqual([0]);
  });
});
