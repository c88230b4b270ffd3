/**
 * The way to a station: the road route from /api/route, or, where no road network is loaded
 * (Beijing's default), a straight line estimated the same way as the nearest list.
 */
import type { Feature, FeatureCollection, LineString } from 'geojson';
import {
  DETOUR_FACTOR,
  STRAIGHT_LINE_SPEED_KMH,
} from '../../../../server/modules/nearest/travel-time.js';
import { haversineMetres } from '../../../../server/routing/geo.js';
import { isNetworkFailure } from '../../lib/i18n/errors.js';
import { ApiError, apiGet } from '../../lib/api/http.js';
import type { LngLat, TravelMode } from './worker-api.js';

export interface RouteStep {
  /** Street name; null for an unnamed road. */
  name: string | null;
  distance_m: number;
  duration_s: number;
}

export interface WayToStation {
  /** `network`: along the roads; `straight_line`: no road network, a dashed estimate. */
  kind: 'network' | 'straight_line';
  mode: TravelMode;
  line: LngLat[];
  distanceM: number;
  durationS: number;
  steps: RouteStep[];
}

interface RouteResponse {
  type: 'Feature';
  geometry: LineString;
  properties: { distance_m: number; duration_s: number; steps: RouteStep[] };
}

export function routePath(from: LngLat, stationId: number, mode: TravelMode): string {
  const params = new URLSearchParams({
    from: `${from[0].toFixed(6)},${from[1].toFixed(6)}`,
    station: String(stationId),
    mode,
  });
  return `/api/route?${params}`;
}

/** The straight line with the nearest list's estimate: detour factor and per-mode speed. */
export function straightLineWay(from: LngLat, to: LngLat, mode: TravelMode): WayToStation {
  const metres = haversineMetres(from[0], from[1], to[0], to[1]);
  return {
    kind: 'straight_line',
    mode,
    line: [from, to],
    distanceM: metres,
    durationS: (metres * DETOUR_FACTOR) / ((STRAIGHT_LINE_SPEED_KMH[mode] * 1000) / 3600),
    steps: [],
  };
}

/**
 * The route from `from` to the station; a 503 (no road network loaded) becomes the straight line
 * to `stationAt`. Other failures (422 off the network, 404, 400) throw the server's `ApiError`.
 */
export async function fetchWayToStation(
  from: LngLat,
  stationId: number,
  stationAt: LngLat,
  mode: TravelMode,
): Promise<WayToStation> {
  try {
    const route = await apiGet<RouteResponse>(routePath(from, stationId, mode));
    return {
      kind: 'network',
      mode,
      line: route.geometry.coordinates as LngLat[],
      distanceM: route.properties.distance_m,
      durationS: route.properties.duration_s,
      steps: route.properties.steps,
    };
  } catch (error) {
    // Busy, or offline: the straight line (drawn dashed and said so) is still a way to go.
    if ((error instanceof ApiError && error.status === 503) || isNetworkFailure(error)) {
      return straightLineWay(from, stationAt, mode);
    }
    throw error;
  }
}

/** The line as a one-feature collection for `MapAdapter.setGeoJsonLayer`. */
export function wayFeatures(way: WayToStation): FeatureCollection {
  const feature: Feature<LineString> = {
    type: 'Feature',
    geometry: { type: 'LineString', coordinates: way.line },
    properties: { kind: way.kind, mode: way.mode },
  };
  return { type: 'FeatureCollection', features: [feature] };
}

/** [minLng, minLat, maxLng, maxLat] of the line, for `fitBounds`. */
export function wayBounds(way: WayToStation): [number, number, number, number] {
  const lngs = way.line.map((p) => p[0]);
  const lats = way.line.map((p) => p[1]);
  return [Math.min(...lngs), Math.min(...lats), Math.max(...lngs), Math.max(...lats)];
}

/** What the station sheet shows about the way there; null until the worker asks for it. */
export type RouteState =
  | { status: 'loading'; mode: TravelMode }
  | { status: 'ready'; mode: TravelMode; way: WayToStation }
  | { status: 'error'; mode: TravelMode; error: unknown }
  | null;
