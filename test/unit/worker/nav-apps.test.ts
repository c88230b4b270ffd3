/**
 * The card's 导航 chooser: each app gets the station in its own datum, exact to 6 decimals (Amap
 * GCJ-02, Baidu BD-09, the rest WGS-84), the worker's mode, and a name that cannot break the link.
 */
import { describe, expect, it } from 'vitest';
import { fromWgs84 } from '../../../server/geo/coords.js';
import { navChoices, NAV_APPS, organicMapsLink } from '../../../client/src/views/worker/nav-apps.js';

// 天安门东 (WGS-84), a name with the separators Amap and Baidu use inside their parameters.
const STATION = { lng: 116.401394, lat: 39.907605, name: '东华门,驿站|北' };
const ME: [number, number] = [116.3975, 39.9087];

const param = (url: string, key: string) => new URL(url).searchParams.get(key)!;

describe('navigation chooser links', () => {
  it('offers Amap, Baidu, Apple Maps, Organic Maps and OSM (Google last)', () => {
    expect(NAV_APPS).toEqual(['amap', 'baidu', 'apple', 'organic', 'osm', 'google']);
    expect(Object.keys(navChoices(STATION, 'walk', ME)).sort()).toEqual([...NAV_APPS].sort());
  });

  it('gives Amap GCJ-02 and Baidu BD-09 to 6 decimals, as the datum shift gives them', () => {
    const links = navChoices(STATION, 'walk', ME);
    const [gLng, gLat] = fromWgs84([STATION.lng, STATION.lat], 'GCJ02');
    const [bLng, bLat] = fromWgs84([STATION.lng, STATION.lat], 'BD09');
    expect(links.amap.startsWith('https://uri.amap.com/navigation?')).toBe(true);
    expect(param(links.amap, 'to')).toBe(`${gLng.toFixed(6)},${gLat.toFixed(6)},东华门，驿站|北`);
    expect(param(links.amap, 'coordinate')).toBe('gaode');
    expect(param(links.amap, 'mode')).toBe('walk');
    expect(param(links.baidu, 'destination')).toBe(`latlng:${bLat.toFixed(6)},${bLng.toFixed(6)}|name:东华门,驿站｜北`);
    expect(param(links.baidu, 'coord_type')).toBe('bd09ll');
    // The shift is real (hundreds of metres): WGS-84 passed to Amap would be wrong.
    expect(Math.abs(gLng - STATION.lng) * 85_000).toBeGreaterThan(300);
  });

  it('gives Apple Maps, OSM and Organic Maps WGS-84, with the mode', () => {
    const links = navChoices(STATION, 'drive', ME);
    expect(param(links.apple, 'daddr')).toBe('39.907605,116.401394');
    expect(param(links.apple, 'dirflg')).toBe('d');
    expect(param(links.osm, 'to')).toBe('39.907605,116.401394');
    expect(param(links.osm, 'engine')).toBe('fossgis_osrm_car');
    // Organic Maps reads its parameters in this order only.
    expect(links.organic).toBe(
      'om://route?sll=39.908700,116.397500&saddr=&dll=39.907605,116.401394&daddr=%E4%B8%9C%E5%8D%8E%E9%97%A8%2C%E9%A9%BF%E7%AB%99%7C%E5%8C%97&type=vehicle',
    );
    expect(organicMapsLink(STATION, 'bike', ME)).toMatch(/&type=bicycle$/);
    expect(organicMapsLink(STATION, 'walk', ME)).toMatch(/&type=pedestrian$/);
  });

  it('without a position, Organic Maps shows the point instead of a route it cannot start', () => {
    const link = organicMapsLink(STATION, 'walk', null);
    expect(link).toBe(`https://omaps.app/map?v=1&ll=39.907605,116.401394&n=${encodeURIComponent(STATION.name)}`);
  });
});
