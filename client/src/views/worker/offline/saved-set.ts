/**
 * The saved set's shape and the pure questions about it (what a listed station keeps, which area
 * it covers): shared by the page, which saves it (offline-set.ts), and the offline engine, which
 * reads it (offline-nearest.ts). No browser API here, so unit tests import it as it is.
 */
import type { StationRecord } from '../../../../../server/modules/stations/stations.repository.js';
import type { CalendarDay } from '../../../../../server/hours/holidays.js';

/** [minLng, minLat, maxLng, maxLat], WGS-84. */
export type Box = [number, number, number, number];

/** What an offline answer needs of a station: what /api/nearest lists and what its hours depend on. */
export type SavedStation = Pick<
  StationRecord,
  | 'id'
  | 'name'
  | 'name_en'
  | 'kind'
  | 'address'
  | 'lng'
  | 'lat'
  | 'amenities'
  | 'opening_hours'
  | 'hours_overrides'
  | 'closures'
  | 'is_sample'
>;

export interface OfflineSet {
  /** When the stations were read (ISO 8601): the age the page shows. */
  savedAt: string;
  /** The area whose stations are all here; null: every station of the deployment. */
  box: Box | null;
  stations: SavedStation[];
  timeZone: string;
  calendar: {
    name: string;
    /** The server's calendar id (e.g. cn@3): the engine keys parsed hours by it. */
    version: string;
    publishedThrough: string | null;
    days: CalendarDay[];
  };
}

/** The API's default search radius (nearest.schemas DEFAULT_RADIUS_M; a unit test keeps them equal). */
export const OFFLINE_RADIUS_M = 10_000;

/** A page of the stations listing (/api/collections/stations/items), as much of it as is read. */
export interface StationPage {
  features: Array<{ geometry: { coordinates: [number, number] }; properties: SavedStation }>;
  numberMatched: number;
}

/** A box of `halfSideM` around `[lng, lat]` (metres per degree at least as WGS-84 gives them). */
export function boxAround([lng, lat]: [number, number], halfSideM: number): Box {
  const dLat = halfSideM / 110_574;
  const dLng = halfSideM / (111_319.49 * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
  return [lng - dLng, Math.max(-90, lat - dLat), lng + dLng, Math.min(90, lat + dLat)];
}

/** Whether every point within `radiusM` of `position` lies in the saved set's area. */
export function covers(box: Box | null, position: [number, number], radiusM: number): boolean {
  if (!box) return true;
  const [w, s, e, n] = boxAround(position, radiusM);
  return w >= box[0] && s >= box[1] && e <= box[2] && n <= box[3];
}

/** A listed station (GeoJSON Feature, as /api/collections/stations/items gives it) as saved. */
export const savedStation = (f: StationPage['features'][number]): SavedStation => {
  const p = f.properties;
  return {
    id: p.id,
    name: p.name,
    name_en: p.name_en,
    kind: p.kind,
    address: p.address,
    lng: f.geometry.coordinates[0],
    lat: f.geometry.coordinates[1],
    amenities: p.amenities,
    opening_hours: p.opening_hours,
    hours_overrides: p.hours_overrides ?? [],
    closures: p.closures ?? [],
    is_sample: p.is_sample,
  };
};
