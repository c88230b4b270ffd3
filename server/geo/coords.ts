/**
 * Datum conversion at the edges and "navigate there" links for the map apps people in Beijing use.
 *
 * Positions are always `[lng, lat]` (longitude first), as in GeoJSON. We store WGS-84 only;
 * GCJ-02 (Amap/Gaode, Tencent, Apple Maps inside China) and BD-09 (Baidu) appear only when data
 * comes in from those apps or a link goes out to them.
 *
 * Pure and free of Node-only APIs: the browser client imports this module too.
 */
import * as gcoordModule from 'gcoord';

/** The part of gcoord we use; CRS names are gcoord's own strings ('WGS84', 'GCJ02', 'BD09'). */
interface Gcoord {
  transform(position: [number, number], from: string, to: string): [number, number];
  WGS84: string;
  GCJ02: string;
  BD09: string;
}
/**
 * gcoord ships CommonJS to Node and ESM to bundlers; in both, the namespace's `default` is its API
 * object. Its types only say so under bundler resolution (under NodeNext they type `default` as the
 * namespace), so we name the shape ourselves.
 */
const gcoord = gcoordModule.default as unknown as Gcoord;

/** `[lng, lat]` in degrees. */
export type LngLat = [lng: number, lat: number];

export const DATUMS = ['WGS84', 'GCJ02', 'BD09'] as const;
export type Datum = (typeof DATUMS)[number];

const GCOORD_CRS = { WGS84: gcoord.WGS84, GCJ02: gcoord.GCJ02, BD09: gcoord.BD09 } as const;

function assertLngLat([lng, lat]: LngLat): void {
  if (!Number.isFinite(lng) || lng < -180 || lng > 180) {
    throw new RangeError(
      `Invalid longitude ${lng}: expected a number in [-180, 180] ([lng, lat] order)`,
    );
  }
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) {
    throw new RangeError(
      `Invalid latitude ${lat}: expected a number in [-90, 90] ([lng, lat] order)`,
    );
  }
}

function assertDatum(datum: string): asserts datum is Datum {
  if (!(DATUMS as readonly string[]).includes(datum)) {
    throw new RangeError(`Unknown datum ${datum}: expected one of ${DATUMS.join(', ')}`);
  }
}

/**
 * Converts `[lng, lat]` in `from` to WGS-84. Outside gcoord's rough China bounding box the
 * GCJ-02 offset is not applied (the datum only exists inside China), so GCJ-02 input is returned
 * as is there; BD-09's extra shift still applies.
 */
export function toWgs84(position: LngLat, from: Datum): LngLat {
  assertLngLat(position);
  assertDatum(from);
  if (from === 'WGS84') return [position[0], position[1]];
  const [lng, lat] = gcoord.transform([position[0], position[1]], GCOORD_CRS[from], gcoord.WGS84);
  return [lng, lat];
}

/** Converts WGS-84 `[lng, lat]` to `to`; the inverse of {@link toWgs84} to within ~1e-6°. */
export function fromWgs84(position: LngLat, to: Datum): LngLat {
  assertLngLat(position);
  assertDatum(to);
  if (to === 'WGS84') return [position[0], position[1]];
  const [lng, lat] = gcoord.transform([position[0], position[1]], gcoord.WGS84, GCOORD_CRS[to]);
  return [lng, lat];
}

export type TravelMode = 'walk' | 'bike' | 'drive';

export interface NavigationTarget {
  /** WGS-84 longitude. */
  lng: number;
  /** WGS-84 latitude. */
  lat: number;
  /** Shown as the destination's label where the app supports one. */
  name: string;
}

export interface NavigationLinks {
  amap: string;
  baidu: string;
  apple: string;
  osm: string;
  google: string;
}

/** 6 decimals ≈ 0.1 m, the most Amap's URI API accepts. */
const fixed = (degrees: number): string => degrees.toFixed(6);

/**
 * Per-app mode names. Sources (checked 2026):
 * - Amap URI API 路径规划, https://lbs.amap.com/api/uri-api/guide/travel/route: mode=car|bus|walk|ride.
 * - Baidu URI API (web) 公交、驾车、步行导航, https://lbsyun.baidu.com (uri/api/web):
 *   mode=transit|driving|walking; riding is documented for the app scheme
 *   (`baidumap://map/direction`). The web doc marks `origin` required; we leave it out so the
 *   app/page starts from the person's location, as the app scheme documents.
 * - Apple Map Links, developer.apple.com …/iPhoneURLScheme_Reference/MapLinks: dirflg=d (car),
 *   w (on foot), r (transit); there is no cycling flag, so for bikes we omit it and Maps uses
 *   the person's preferred mode rather than routing an e-bike along footpaths.
 * - openstreetmap.org directions: engine id is `${provider}_${mode}`, the modes being car,
 *   bicycle and foot (app/assets/javascripts/index/directions*.js); the older id
 *   `fossgis_osrm_bike` is silently ignored today (the page falls back to car).
 * - Google Maps URLs, https://developers.google.com/maps/documentation/urls/get-started:
 *   travelmode=driving|walking|bicycling|transit.
 */
const MODES = {
  walk: { amap: 'walk', baidu: 'walking', apple: 'w', osm: 'fossgis_osrm_foot', google: 'walking' },
  bike: {
    amap: 'ride',
    baidu: 'riding',
    apple: null,
    osm: 'fossgis_osrm_bicycle',
    google: 'bicycling',
  },
  drive: { amap: 'car', baidu: 'driving', apple: 'd', osm: 'fossgis_osrm_car', google: 'driving' },
} as const satisfies Record<TravelMode, Record<keyof NavigationLinks, string | null>>;

/** Baidu's web URI API asks for `src` as `webapp.<company>.<app>` for its statistics. */
const BAIDU_SOURCE = 'webapp.warm-posts.map';

/**
 * Links that open directions to `target` (WGS-84) in each app, converting to the datum each one
 * expects: Amap GCJ-02, Baidu BD-09, the rest WGS-84. Names are percent-encoded; the characters
 * that are separators inside Amap's `to` (`,`) and Baidu's `destination` (`|`) are replaced by
 * their full-width forms so a name can never split the value.
 */
export function navigationLinks(
  target: NavigationTarget,
  mode: TravelMode = 'walk',
): NavigationLinks {
  const wgs: LngLat = [target.lng, target.lat];
  assertLngLat(wgs);
  const modes = MODES[mode];
  if (!modes) throw new RangeError(`Unknown travel mode ${mode}: expected walk, bike or drive`);
  const [gcjLng, gcjLat] = fromWgs84(wgs, 'GCJ02');
  const [bdLng, bdLat] = fromWgs84(wgs, 'BD09');
  const amapName = encodeURIComponent(target.name.replace(/,/g, '，'));
  const baiduName = encodeURIComponent(target.name.replace(/\|/g, '｜'));
  const wgsLatLng = `${fixed(target.lat)},${fixed(target.lng)}`;

  return {
    amap:
      `https://uri.amap.com/navigation?to=${fixed(gcjLng)},${fixed(gcjLat)},${amapName}` +
      `&mode=${modes.amap}&coordinate=gaode&callnative=1&src=warm-posts`,
    baidu:
      `https://api.map.baidu.com/direction?destination=latlng:${fixed(bdLat)},${fixed(bdLng)}` +
      `%7Cname:${baiduName}&mode=${modes.baidu}&coord_type=bd09ll&output=html&src=${BAIDU_SOURCE}`,
    apple:
      `https://maps.apple.com/?daddr=${wgsLatLng}` + (modes.apple ? `&dirflg=${modes.apple}` : ''),
    osm: `https://www.openstreetmap.org/directions?engine=${modes.osm}&to=${wgsLatLng}`,
    google:
      `https://www.google.com/maps/dir/?api=1&destination=${wgsLatLng}` +
      `&travelmode=${modes.google}`,
  };
}
