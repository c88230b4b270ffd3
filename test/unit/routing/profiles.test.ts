import { describe, expect, it } from 'vitest';
import { parseMaxspeedKmh } from '../../../server/routing/maxspeed.js';
import {
  DRIVE_DEFAULT_KMH,
  edgeTravelTimes,
  waySpeeds,
  type ProfileName,
} from '../../../server/routing/profiles.js';

const speeds = (profile: ProfileName, tags: Record<string, string>) => waySpeeds(profile, tags);
const both = (kmh: number) => ({ forwardKmh: kmh, backwardKmh: kmh });
const NONE = { forwardKmh: null, backwardKmh: null };

describe('parseMaxspeedKmh', () => {
  it.each([
    ['50', 50],
    ['50 mph', 50 * 1.609344],
    ['30mph', 30 * 1.609344],
    ['20 km/h', 20],
    ['10 knots', 18.52],
    ['90;30;90;30;90;30', 30],
    ['FR:urban', 50],
    ['FR:rural', 80],
    ['DE:rural', 100],
    ['walk', 7],
    ['none', 130],
  ])('%s → %d km/h', (raw, kmh) => {
    expect(parseMaxspeedKmh(raw)).toBeCloseTo(kmh, 6);
  });

  it.each([undefined, 'signals', 'variable', '0', 'fast', ''])('%s → null', (raw) => {
    expect(parseMaxspeedKmh(raw)).toBeNull();
  });
});

describe('walk profile', () => {
  it('walks footways and streets both ways at 5 km/h, ignoring oneway', () => {
    expect(speeds('walk', { highway: 'footway' })).toEqual(both(5));
    expect(speeds('walk', { highway: 'residential', oneway: 'yes' })).toEqual(both(5));
    expect(speeds('walk', { highway: 'primary', junction: 'roundabout' })).toEqual(both(5));
  });

  it('is slower on steps', () => {
    expect(speeds('walk', { highway: 'steps' }).forwardKmh).toBeLessThan(5);
  });

  it('respects foot=no and access=private, but foot=yes overrides access=no', () => {
    expect(speeds('walk', { highway: 'path', foot: 'no' })).toEqual(NONE);
    expect(speeds('walk', { highway: 'service', access: 'private' })).toEqual(NONE);
    expect(speeds('walk', { highway: 'track', access: 'no', foot: 'yes' })).toEqual(both(5));
  });

  it('keeps off motorways and trunk roads unless they have a sidewalk or foot=yes', () => {
    expect(speeds('walk', { highway: 'motorway' })).toEqual(NONE);
    expect(speeds('walk', { highway: 'trunk' })).toEqual(NONE);
    expect(speeds('walk', { highway: 'trunk', sidewalk: 'both' })).toEqual(both(5));
    expect(speeds('walk', { highway: 'trunk_link', foot: 'yes' })).toEqual(both(5));
  });

  it('never routes over roads under construction', () => {
    expect(speeds('walk', { highway: 'construction', foot: 'yes' })).toEqual(NONE);
  });
});

describe('bike profile (e-bike)', () => {
  it('rides cycleways and roads at 15 km/h, paths and tracks slower', () => {
    expect(speeds('bike', { highway: 'cycleway' })).toEqual(both(15));
    expect(speeds('bike', { highway: 'residential' })).toEqual(both(15));
    expect(speeds('bike', { highway: 'path' }).forwardKmh).toBeLessThan(15);
    expect(speeds('bike', { highway: 'primary', surface: 'gravel' }).forwardKmh).toBeLessThan(15);
  });

  it('keeps off motorways and footways unless bicycle=yes/designated', () => {
    expect(speeds('bike', { highway: 'motorway' })).toEqual(NONE);
    expect(speeds('bike', { highway: 'footway' })).toEqual(NONE);
    expect(
      speeds('bike', { highway: 'footway', bicycle: 'designated' }).forwardKmh,
    ).toBeGreaterThan(0);
    expect(speeds('bike', { highway: 'pedestrian', bicycle: 'yes' }).backwardKmh).toBeGreaterThan(
      0,
    );
    expect(speeds('bike', { highway: 'residential', bicycle: 'no' })).toEqual(NONE);
  });

  it('respects oneway unless oneway:bicycle=no or a contraflow cycleway', () => {
    expect(speeds('bike', { highway: 'residential', oneway: 'yes' })).toEqual({
      forwardKmh: 15,
      backwardKmh: null,
    });
    expect(speeds('bike', { highway: 'residential', oneway: '-1' })).toEqual({
      forwardKmh: null,
      backwardKmh: 15,
    });
    expect(
      speeds('bike', { highway: 'residential', oneway: 'yes', 'oneway:bicycle': 'no' }),
    ).toEqual(both(15));
    expect(
      speeds('bike', { highway: 'residential', oneway: 'yes', cycleway: 'opposite_lane' }),
    ).toEqual(both(15));
    expect(speeds('bike', { highway: 'primary', junction: 'roundabout' }).backwardKmh).toBeNull();
  });

  it('pushes the bike where it must dismount', () => {
    expect(speeds('bike', { highway: 'footway', bicycle: 'dismount' }).forwardKmh).toBeLessThan(5);
  });
});

describe('drive profile', () => {
  it('uses maxspeed, including mph and direction-specific limits', () => {
    expect(speeds('drive', { highway: 'primary', maxspeed: '50' })).toEqual(both(50));
    expect(speeds('drive', { highway: 'primary', maxspeed: '30 mph' }).forwardKmh).toBeCloseTo(
      48.28,
      2,
    );
    const split = speeds('drive', { highway: 'primary', 'maxspeed:forward': '70', maxspeed: '50' });
    expect(split).toEqual({ forwardKmh: 70, backwardKmh: 50 });
  });

  it('falls back to a default by road class', () => {
    expect(speeds('drive', { highway: 'residential' })).toEqual(
      both(DRIVE_DEFAULT_KMH.residential),
    );
    expect(speeds('drive', { highway: 'secondary', maxspeed: 'signals' })).toEqual(
      both(DRIVE_DEFAULT_KMH.secondary),
    );
  });

  it.each([
    [{ oneway: 'yes' }, 'forward'],
    [{ oneway: '1' }, 'forward'],
    [{ oneway: 'true' }, 'forward'],
    [{ oneway: '-1' }, 'backward'],
    [{ junction: 'roundabout' }, 'forward'],
    [{ highway: 'motorway' }, 'forward'],
    [{ highway: 'motorway_link', oneway: 'no' }, 'both'],
    [{ oneway: 'no' }, 'both'],
    [{ oneway: 'reversible' }, 'none'],
  ] as const)('oneway tags %o allow %s', (extra, direction) => {
    const result = speeds('drive', { highway: 'secondary', ...extra });
    expect(result.forwardKmh !== null).toBe(direction === 'forward' || direction === 'both');
    expect(result.backwardKmh !== null).toBe(direction === 'backward' || direction === 'both');
  });

  it('stays off footways, paths and roads closed to motor vehicles', () => {
    expect(speeds('drive', { highway: 'footway' })).toEqual(NONE);
    expect(speeds('drive', { highway: 'track' })).toEqual(NONE);
    expect(speeds('drive', { highway: 'track', motor_vehicle: 'yes' }).forwardKmh).toBeGreaterThan(
      0,
    );
    expect(speeds('drive', { highway: 'residential', motor_vehicle: 'no' })).toEqual(NONE);
    expect(
      speeds('drive', { highway: 'service', access: 'no', motorcar: 'destination' }),
    ).not.toEqual(NONE);
  });
});

describe('edgeTravelTimes', () => {
  it('turns speeds into seconds for an edge length, null for no access', () => {
    expect(edgeTravelTimes('walk', { highway: 'footway' }, 100)).toEqual({
      forwardS: 72,
      backwardS: 72,
    });
    expect(
      edgeTravelTimes('drive', { highway: 'primary', maxspeed: '36', oneway: 'yes' }, 100),
    ).toEqual({
      forwardS: 10,
      backwardS: null,
    });
  });
});
