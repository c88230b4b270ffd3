/**
 * What the worker view reads from the API, and the last nearest answer kept on the phone so a
 * flaky network still shows something (saying it is cached).
 */
import type { FeatureCollection, Point } from 'geojson';
import { apiGet } from '../../lib/api/http.js';
import { basemapSettings } from '../../lib/map/basemap.js';
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
  /** Set when the network failed and this is the saved copy: when it was saved. */
  cachedAt: string | null;
}

const CACHE_KEY = 'warm-posts.worker.last-nearest';

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

/**
 * The nearest stations; on a network failure the last saved answer (for any request: better a
 * slightly different list than nothing when offline), flagged with when it was saved.
 */
export async function fetchNearest(request: NearestRequest): Promise<Answer<NearestResult>> {
  const path = nearestPath(request);
  try {
    const response = await fetch(path, { credentials: 'same-origin' });
    const fromServiceWorker = response.headers.get('x-served-from-cache');
    const data = (await response.json()) as NearestResult & { error?: string };
    if (!response.ok)
      throw Object.assign(new Error(data.error ?? `HTTP ${response.status}`), {
        status: response.status,
      });
    if (fromServiceWorker) return { data, cachedAt: fromServiceWorker };
    const savedAt = new Date().toISOString();
    try {
      localStorage.setItem(CACHE_KEY, JSON.stringify({ savedAt, path, data }));
    } catch {
      /* storage full or disabled: caching is a bonus */
    }
    return { data, cachedAt: null };
  } catch (error) {
    if ((error as { status?: number }).status) throw error; // the server answered: show its message
    const saved = localStorage.getItem(CACHE_KEY);
    if (!saved) throw error;
    const { savedAt, data } = JSON.parse(saved) as {
      savedAt: string;
      data: NearestResult;
    };
    return { data, cachedAt: savedAt };
  }
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
