/**
 * What the worker view reads from the API; offline, the nearest answer is computed on the phone
 * from the stations it saved (offline/).
 */
import type { FeatureCollection, Point } from 'geojson';
import { ApiError, apiGet, pageLanguageHeader } from '../../lib/api/http.js';
import { basemapSettings } from '../../lib/map/basemap.js';
import { keepOfflineSet, OFFLINE_RADIUS_M, readOfflineSet } from './offline/offline-set.js';
import type { AmenityKey } from '../../../../server/modules/stations/amenities.js';
import type { StationRecord } from '../../../../server/modules/stations/stations.repository.js';

export type TravelMode = 'walk' | 'bike' | 'drive';
export type OpenFilter = 'arrival' | 'now' | 'any';
export type LngLat = [number, number];

/** What every station answer carries, as the server's own record type says. */
type StationBasics = Pick<
  StationRecord,
  'id' | 'name' | 'name_en' | 'kind' | 'address' | 'amenities' | 'is_sample'
>;

export interface NearestProperties extends StationBasics {
  distance_m: number;
  duration_s: number;
  distance_kind: 'network' | 'straight_line';
  open_now: boolean | null;
  open_at_arrival: boolean | null;
  state_text_zh: string;
  state_text_en: string;
  arrival_state_text_zh: string;
  arrival_state_text_en: string;
}

export interface NearestFeature {
  type: 'Feature';
  id: number;
  geometry: Point;
  properties: NearestProperties;
}

export interface NearestResult {
  type: 'FeatureCollection';
  features: NearestFeature[];
  distance_kind: 'network' | 'straight_line';
  speed_kmh: number;
  radius_m: number;
  at: string;
}

export interface NearestRequest {
  position: LngLat;
  amenities: AmenityKey[];
  open: OpenFilter;
  open24h: boolean;
  mode: TravelMode;
  k?: number;
  /** Departure instant (ISO 8601); absent = now. Open-at-arrival is counted from it. */
  at?: string;
}

export interface Answer<T> {
  data: T;
  /**
   * Set when the network failed and the answer was computed on the phone from the saved stations
   * (straight-line, from the current position): when those stations were saved.
   */
  offlineSavedAt: string | null;
}

export function nearestPath(request: NearestRequest): string {
  const params = new URLSearchParams({
    lng: request.position[0].toFixed(6),
    lat: request.position[1].toFixed(6),
    k: String(request.k ?? 5),
    mode: request.mode,
    open: request.open,
  });
  if (request.amenities.length) params.set('amenities', request.amenities.join(','));
  if (request.open24h) params.set('open24h', 'true');
  if (request.at) params.set('at', request.at);
  return `/api/nearest?${params}`;
}

/** The network failed and no offline answer could be made: `reason` says why, in words the page translates. */
export class OfflineError extends Error {
  constructor(
    readonly reason: 'no-stations' | 'not-covered' | 'engine-unavailable',
    readonly cause: unknown,
  ) {
    super(`offline: ${reason} (${String((cause as Error)?.message ?? cause)})`);
  }
}

/** Offline: the same search as the server's, on the stations saved on the phone (a lazily loaded chunk). */
async function offlineAnswer(request: NearestRequest, networkError: unknown): Promise<Answer<NearestResult>> {
  const set = await readOfflineSet();
  if (!set) throw new OfflineError('no-stations', networkError);
  let engine: typeof import('./offline/offline-nearest.js');
  try {
    engine = await import('./offline/offline-nearest.js');
  } catch (error) {
    throw new OfflineError('engine-unavailable', error);
  }
  try {
    return { data: await engine.offlineNearest(set, request), offlineSavedAt: set.savedAt };
  } catch (error) {
    if (error instanceof engine.OfflineUnavailable) throw new OfflineError(error.reason, networkError);
    throw error;
  }
}

/**
 * The nearest stations from the API; when the network fails, computed on the phone from the saved
 * stations at this very position (never an answer saved for another position or time).
 */
export async function fetchNearest(request: NearestRequest): Promise<Answer<NearestResult>> {
  let response: Response;
  try {
    response = await fetch(nearestPath(request), { credentials: 'same-origin', headers: pageLanguageHeader() });
  } catch (error) {
    return offlineAnswer(request, error);
  }
  const data = (await response.json().catch(() => ({}))) as NearestResult & { error?: string };
  if (!response.ok) throw new ApiError(response.status, data.error ?? `HTTP ${response.status}`, data);
  return { data, offlineSavedAt: null };
}

/** After an online answer: keep the stations and calendar for offline use, and the engine's chunk warm. */
export async function keepForOffline(position: LngLat): Promise<string | null> {
  const savedAt = await keepOfflineSet(position, OFFLINE_RADIUS_M);
  // Loaded once online, so the browser (or the service worker's precache) has it when offline.
  if (savedAt) await import('./offline/offline-nearest.js').catch(() => undefined);
  return savedAt;
}

/** Outlines of the deployment's default level (Beijing's districts, Andorra's parishes), simplified. */
export async function fetchDistricts(): Promise<FeatureCollection> {
  const { defaultLevel } = await basemapSettings();
  if (!defaultLevel) return { type: 'FeatureCollection', features: [] };
  return apiGet<FeatureCollection>(
    `/api/collections/areas/items?level=${encodeURIComponent(defaultLevel)}&simplify=150&limit=100`,
  );
}

export interface WeekDay {
  date: string;
  weekday: number;
  intervals: Array<{ from: string; to: string }>;
  holiday?: { name: string; nameEn?: string; provisional?: boolean };
  makeupWorkday: boolean;
  override?: string;
  closure?: string;
  unknown: boolean;
  closed: boolean;
  /** Present (false) past the published holiday arrangement. */
  holidaysKnown?: false;
}

export interface StationDetail {
  type: 'Feature';
  id: number;
  geometry: Point;
  properties: StationBasics & {
    opening_hours: string | null;
    phone: string | null;
    seats: number | null;
    verified_at: string | null;
    location_note: string | null;
    hours: {
      now: {
        open: boolean;
        unknown: boolean;
        text_zh: string;
        text_en: string;
        /** False past the published holiday arrangement. */
        holidays_known?: boolean;
      };
      always_open: boolean;
      week: WeekDay[];
    };
  };
}

export function fetchStation(id: number): Promise<StationDetail> {
  return apiGet<StationDetail>(`/api/collections/stations/items/${id}`);
}
