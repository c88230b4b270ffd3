import { describe, expect, it } from 'vitest';
import { localFrame } from '../../../server/modules/coverage/local-distance.js';
import { sweepCoverage, SweepTimeout } from '../../../server/modules/coverage/network-area.js';
import { HttpError } from '../../../server/http/errors.js';
import {
  guarded,
  pointsNearSegments,
} from '../../../server/modules/coverage/network-coverage.js';

// Metres → degrees near 40° N, where the areas below sit.
const frame = localFrame(40);
const dx = 1 / frame.metresPerDegLng;
const dy = 1 / frame.metresPerDegLat;
const X0 = 116;
const Y0 = 40;
const at = (east: number, north: number) => [X0 + east * dx, Y0 + north * dy];
const rect = (e0: number, n0: number, e1: number, n1: number) =>
  Float64Array.from([...at(e0, n0), ...at(e1, n0), ...at(e1, n1), ...at(e0, n1)]);
const segments = (...lines: number[][]) =>
  Float64Array.from(lines.flatMap(([e0, n0, e1, n1]) => [...at(e0!, n0!), ...at(e1!, n1!)]));

describe('sweepCoverage', () => {
  it('measures bands around segments as 2·r·length + π·r² (within 0.2 %)', () => {
    // A 1 km east–west street and a 500 m diagonal one, far apart, inside a 2 km square.
    const covered = segments([500, 1000, 1500, 1000], [300, 300, 700, 600]);
    const [r] = sweepCoverage({
      areas: [{ rings: [rect(0, 0, 2000, 2000)] }],
      covered,
      radiusM: 50,
      rowM: 5,
      lengthSets: [covered],
    });
    const expected = 100 * 1000 + Math.PI * 2500 + 100 * 500 + Math.PI * 2500;
    expect(Math.abs(r!.coveredM2 / expected - 1)).toBeLessThan(0.002);
    expect(r!.lengthsM[0]).toBeCloseTo(1500, -1);
    // One gap: the square minus both bands, whose largest part is all of it.
    expect(r!.largestGapM2).toBeCloseTo(r!.sweptM2 - r!.coveredM2, -2);
  });

  it('clips bands to the area, skips holes, and splits the gap where a street crosses', () => {
    // A north–south street across the whole square: two gaps, west (wider) and east.
    const covered = segments([600, -500, 600, 1500]);
    const [r, holed] = sweepCoverage({
      areas: [
        { rings: [rect(0, 0, 1000, 1000)] },
        // The same square with a 200 m hole around the street.
        { rings: [rect(0, 0, 1000, 1000), rect(500, 400, 700, 600)] },
      ],
      covered,
      radiusM: 50,
      rowM: 5,
      traceGapsM: 1,
    });
    expect(r!.coveredM2).toBeCloseTo(100 * 1000, -2);
    expect(r!.largestGapM2).toBeCloseTo(550 * 1000, -3);
    expect(r!.largestGapPoint![0]).toBeLessThan(X0 + 550 * dx);
    expect(r!.gapPolygons).toHaveLength(2);
    expect(holed!.coveredM2).toBeCloseTo(100 * 800, -2);
  });

  it('gives up with SweepTimeout past its deadline', () => {
    expect(() =>
      sweepCoverage({
        areas: [{ rings: [rect(0, 0, 1000, 1000)] }],
        covered: segments([0, 0, 10, 10]),
        radiusM: 50,
        rowM: 5,
        deadline: performance.now() - 1,
      }),
    ).toThrow(SweepTimeout);
  });
});

describe('pointsNearSegments', () => {
  it('tells points within the band from those just outside it', () => {
    const covered = segments([0, 0, 1000, 0]);
    const points = [
      [500, 49],
      [500, 51],
      [1040, 0],
      [1060, 0],
      [-30, 30],
    ].map(([e, n]) => ({ lng: at(e!, n!)[0]!, lat: at(e!, n!)[1]! }));
    expect(pointsNearSegments(covered, points, 50)).toEqual([true, false, true, false, true]);
  });
});

describe('guarded network computations', () => {
  it('turn a timeout or any failure into 503 with Retry-After, and keep 4xx as they are', async () => {
    for (const failure of [new SweepTimeout(), new Error('GEOS said no'), new RangeError('x')]) {
      const error = await guarded(async () => {
        throw failure;
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(503);
      expect((error as HttpError).headers['Retry-After']).toBeDefined();
      expect((error as HttpError).message).toContain('Network coverage could not be computed');
    }
    const notFound = await guarded(async () => {
      throw new HttpError(404, 'Demand layer not found: 9');
    }).catch((e: unknown) => e);
    expect((notFound as HttpError).status).toBe(404);
  });
});
