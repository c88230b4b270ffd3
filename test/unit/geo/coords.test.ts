import { distance } from '@turf/distance';
import { describe, expect, it } from 'vitest';
import {
  DATUMS,
  fromWgs84,
  navigationLinks,
  toWgs84,
  type LngLat,
  type TravelMode,
} from '../../../server/geo/coords.js';

/** Tiananmen gate, WGS-84 [lng, lat]. */
const TIANANMEN: LngLat = [116.3912, 39.9073];
const metres = (a: LngLat, b: LngLat) => distance(a, b, { units: 'meters' });

/** Reads "lat,lng" / "lng,lat" pairs out of link parameters. */
const pair = (text: string): [number, number] => {
  const [a, b] = text.split(',').map(Number);
  return [a!, b!];
};

describe('toWgs84 / fromWgs84', () => {
  const beijingSamples: LngLat[] = [
    TIANANMEN,
    [116.4105, 39.9465], // 成贤街, 东城
    [115.97, 40.45], // 延庆
    [117.12, 40.14], // 平谷
  ];

  for (const datum of DATUMS) {
    it(`round-trips WGS-84 → ${datum} → WGS-84 within 1e-5°`, () => {
      for (const position of beijingSamples) {
        const back = toWgs84(fromWgs84(position, datum), datum);
        expect(Math.abs(back[0] - position[0])).toBeLessThan(1e-5);
        expect(Math.abs(back[1] - position[1])).toBeLessThan(1e-5);
      }
    });
  }

  it('shifts Beijing by the known GCJ-02 offset (a few hundred metres, north-east)', () => {
    const gcj = fromWgs84(TIANANMEN, 'GCJ02');
    expect(metres(TIANANMEN, gcj)).toBeGreaterThan(300);
    expect(metres(TIANANMEN, gcj)).toBeLessThan(700);
    expect(gcj[0]).toBeGreaterThan(TIANANMEN[0]);
    expect(gcj[1]).toBeGreaterThan(TIANANMEN[1]);
  });

  it('puts BD-09 a further ~1 km from GCJ-02 (Baidu adds its own shift on top)', () => {
    const gcj = fromWgs84(TIANANMEN, 'GCJ02');
    const bd = fromWgs84(TIANANMEN, 'BD09');
    expect(metres(gcj, bd)).toBeGreaterThan(500);
    expect(metres(gcj, bd)).toBeLessThan(1200);
  });

  it('returns a new array for WGS-84 → WGS-84', () => {
    const same = toWgs84(TIANANMEN, 'WGS84');
    expect(same).toEqual(TIANANMEN);
    expect(same).not.toBe(TIANANMEN);
  });

  it('leaves GCJ-02 alone outside China (Null Island), where the datum does not exist', () => {
    expect(fromWgs84([0, 0], 'GCJ02')).toEqual([0, 0]);
    expect(toWgs84([0, 0], 'GCJ02')).toEqual([0, 0]);
  });

  it('rejects out-of-range or swapped coordinates with a message naming the order', () => {
    expect(() => toWgs84([39.9, 116.4], 'GCJ02')).toThrow(
      'Invalid latitude 116.4: expected a number in [-90, 90] ([lng, lat] order)',
    );
    expect(() => fromWgs84([181, 0], 'BD09')).toThrow(
      'Invalid longitude 181: expected a number in [-180, 180] ([lng, lat] order)',
    );
    expect(() => fromWgs84([Number.NaN, 0], 'GCJ02')).toThrow('Invalid longitude NaN');
    expect(() => toWgs84(TIANANMEN, 'EPSG3857' as never)).toThrow(
      'Unknown datum EPSG3857: expected one of WGS84, GCJ02, BD09',
    );
  });

  it('accepts the extremes (antimeridian, poles)', () => {
    expect(fromWgs84([180, 90], 'GCJ02')).toEqual([180, 90]);
    expect(fromWgs84([-180, -90], 'WGS84')).toEqual([-180, -90]);
  });
});

describe('navigationLinks', () => {
  const station = { lng: TIANANMEN[0], lat: TIANANMEN[1], name: '东四 工人文化宫 & 驿站, A|B' };

  it('builds URLs that parse, for every mode', () => {
    for (const mode of ['walk', 'bike', 'drive'] as TravelMode[]) {
      const links = navigationLinks(station, mode);
      for (const link of Object.values(links)) expect(() => new URL(link)).not.toThrow();
    }
  });

  it('defaults to walking', () => {
    const links = navigationLinks(station);
    expect(new URL(links.amap).searchParams.get('mode')).toBe('walk');
    expect(new URL(links.baidu).searchParams.get('mode')).toBe('walking');
    expect(new URL(links.apple).searchParams.get('dirflg')).toBe('w');
    expect(new URL(links.osm).searchParams.get('engine')).toBe('fossgis_osrm_foot');
    expect(new URL(links.google).searchParams.get('travelmode')).toBe('walking');
  });

  it('maps bike and drive to each app’s own mode names', () => {
    const bike = navigationLinks(station, 'bike');
    expect(new URL(bike.amap).searchParams.get('mode')).toBe('ride');
    expect(new URL(bike.baidu).searchParams.get('mode')).toBe('riding');
    expect(new URL(bike.apple).searchParams.has('dirflg')).toBe(false);
    expect(new URL(bike.osm).searchParams.get('engine')).toBe('fossgis_osrm_bicycle');
    expect(new URL(bike.google).searchParams.get('travelmode')).toBe('bicycling');

    const drive = navigationLinks(station, 'drive');
    expect(new URL(drive.amap).searchParams.get('mode')).toBe('car');
    expect(new URL(drive.baidu).searchParams.get('mode')).toBe('driving');
    expect(new URL(drive.apple).searchParams.get('dirflg')).toBe('d');
    expect(new URL(drive.osm).searchParams.get('engine')).toBe('fossgis_osrm_car');
    expect(new URL(drive.google).searchParams.get('travelmode')).toBe('driving');
  });

  it('gives Amap GCJ-02 coordinates (lng,lat,name), offset from WGS-84 by the GCJ shift', () => {
    const url = new URL(navigationLinks(station).amap);
    expect(url.origin + url.pathname).toBe('https://uri.amap.com/navigation');
    const [lng, lat, ...nameParts] = url.searchParams.get('to')!.split(',');
    const amap: LngLat = [Number(lng), Number(lat)];
    const expected = fromWgs84(TIANANMEN, 'GCJ02');
    expect(Math.abs(amap[0] - expected[0])).toBeLessThan(1e-6);
    expect(Math.abs(amap[1] - expected[1])).toBeLessThan(1e-6);
    expect(metres(amap, TIANANMEN)).toBeGreaterThan(300);
    // The name's ASCII comma became full-width, so the name stays one field.
    expect(nameParts).toEqual(['东四 工人文化宫 & 驿站， A|B']);
    expect(url.searchParams.get('coordinate')).toBe('gaode');
    expect(url.searchParams.get('callnative')).toBe('1');
  });

  it('gives Baidu BD-09 coordinates (latlng:lat,lng|name:…), offset by the BD shift', () => {
    const url = new URL(navigationLinks(station).baidu);
    expect(url.origin + url.pathname).toBe('https://api.map.baidu.com/direction');
    const destination = url.searchParams.get('destination')!;
    const match = /^latlng:([^|]+)\|name:(.*)$/.exec(destination);
    expect(match).not.toBeNull();
    const [lat, lng] = pair(match![1]!);
    const expected = fromWgs84(TIANANMEN, 'BD09');
    expect(Math.abs(lng - expected[0])).toBeLessThan(1e-6);
    expect(Math.abs(lat - expected[1])).toBeLessThan(1e-6);
    expect(metres([lng, lat], fromWgs84(TIANANMEN, 'GCJ02'))).toBeGreaterThan(500);
    expect(match![2]).toBe('东四 工人文化宫 & 驿站, A｜B');
    expect(url.searchParams.get('coord_type')).toBe('bd09ll');
    expect(url.searchParams.get('output')).toBe('html');
  });

  it('gives Apple, OSM and Google the WGS-84 position as lat,lng', () => {
    const links = navigationLinks(station);
    const apple = pair(new URL(links.apple).searchParams.get('daddr')!);
    const osm = pair(new URL(links.osm).searchParams.get('to')!);
    const google = pair(new URL(links.google).searchParams.get('destination')!);
    for (const [lat, lng] of [apple, osm, google]) {
      expect(lat).toBeCloseTo(TIANANMEN[1], 6);
      expect(lng).toBeCloseTo(TIANANMEN[0], 6);
    }
    expect(new URL(links.google).searchParams.get('api')).toBe('1');
  });

  it('percent-encodes names so spaces, Chinese and & cannot leak into other parameters', () => {
    const links = navigationLinks({ ...station, name: 'A & B 驿站?x=1#frag' });
    for (const link of [links.amap, links.baidu]) {
      expect(link).not.toContain(' ');
      expect(link).not.toContain('驿');
      expect(link).not.toContain('#');
      expect(link).toContain('%20%26%20');
    }
    const amap = new URL(links.amap);
    expect(amap.hash).toBe('');
    expect(amap.searchParams.has('x')).toBe(false);
    expect(amap.searchParams.get('to')!.endsWith(',A & B 驿站?x=1#frag')).toBe(true);
    expect(
      new URL(links.baidu).searchParams.get('destination')!.endsWith('name:A & B 驿站?x=1#frag'),
    ).toBe(true);
  });

  it('rejects a position outside the valid range', () => {
    expect(() => navigationLinks({ lng: 39.9, lat: 116.4, name: 'x' })).toThrow(
      'Invalid latitude 116.4',
    );
  });
});
