import { describe, expect, it } from 'vitest';
import { describeRule, parseCoverageRule } from '../../../server/modules/coverage/coverage-rule.js';
import { localFrame, pointsWithin } from '../../../server/modules/coverage/local-distance.js';

describe('parseCoverageRule', () => {
  it.each([
    ['radius:500', { kind: 'radius', metres: 500 }],
    ['500m', { kind: 'radius', metres: 500 }],
    ['1km', { kind: 'radius', metres: 1000 }],
    ['walk:10', { kind: 'network', mode: 'walk', minutes: 10 }],
    ['bike:15min', { kind: 'network', mode: 'bike', minutes: 15 }],
  ])('%s', (text, expected) => {
    expect(parseCoverageRule(text)).toEqual(expected);
  });

  it.each([
    ['radius:10', /50\.\.5000/],
    ['radius:99999', /50\.\.5000/],
    ['walk:0', /minutes must be 1\.\.60/],
    ['swim:10', /not understood/],
    ['500', /not understood/],
  ])('rejects %s with a message', (text, message) => {
    const result = parseCoverageRule(text);
    expect('error' in result && result.error).toMatch(message);
  });

  it('labels say which distance was measured', () => {
    expect(describeRule({ kind: 'radius', metres: 1000 })).toMatchObject({
      distance_kind: 'straight_line',
      label_zh: '服务半径 1 km（直线距离）',
    });
    expect(describeRule({ kind: 'network', mode: 'walk', minutes: 10 })).toMatchObject({
      distance_kind: 'network_travel_time',
      label_zh: '步行 10 分钟（路网）',
    });
  });
});

describe('local ground distances', () => {
  it('a degree of latitude and longitude at Beijing match the WGS-84 ellipsoid', () => {
    const frame = localFrame(40);
    // Reference values (Vincenty over one arc-degree at 40°N): 111,035 m and 85,395 m.
    expect(frame.metresPerDegLat).toBeCloseTo(111_035, -1);
    expect(frame.metresPerDegLng).toBeCloseTo(85_395, -1);
  });

  it('finds exactly the points within the radius, across grid cells and at the city’s north', () => {
    const centre = { lng: 116.4, lat: 40.9 };
    const frame = localFrame(40.9);
    const at = (east: number, north: number) => ({
      lng: centre.lng + east / frame.metresPerDegLng,
      lat: centre.lat + north / frame.metresPerDegLat,
    });
    const points = [
      at(0, 0),
      at(499, 0),
      at(0, -499),
      at(353, 353),
      at(501, 0),
      at(360, 360),
      at(-2000, 0),
    ];
    const [within] = pointsWithin(points, [centre], 500);
    expect([...within!].sort()).toEqual([0, 1, 2, 3]);
  });
});
