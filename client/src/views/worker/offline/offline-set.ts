/**
 * The stations and the holiday calendar the phone keeps so that, offline, it can answer "nearest
 * open on arrival" itself (offline-nearest.ts) instead of showing an answer for another position.
 *
 * Saved in Cache Storage (a few hundred KB to a few MB: too much for localStorage), with a small
 * index in localStorage so deciding whether to refresh reads no large JSON. Small on purpose: this
 * file is in the page's first load; the engine that reads the set is a lazily loaded chunk.
 */
import { apiGet } from '../../../lib/api/http.js';
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
export const OFFLINE_CACHE = 'warm-posts-offline-v1';
const SET_URL = '/offline/worker-stations.json';
const INDEX_KEY = 'warm-posts.worker.offline-set';
/** Up to this many stations the whole deployment is kept; above, a box around the worker. */
export const MAX_WHOLE_SET = 5_000;
/** Half the side of the box kept around the worker: the search radius (10 km) and room to move. */
export const BOX_HALF_SIDE_M = 25_000;
/** Refresh a set older than this on the next online answer (hours and closures change). */
const REFRESH_AFTER_MS = 6 * 3600 * 1000;
const PAGE = 1000;
const MAX_PAGES = 20;

interface Meta {
  time_zone: string;
  holiday_calendar: { calendar: string; version: string; published_through: string | null };
}
interface YearList {
  days: Array<{ date: string; kind: 'holiday' | 'workday'; name: string; name_en: string | null }>;
}
interface StationPage {
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

/** Every station of the deployment when there are few enough, else all of those in a box around the worker. */
async function readStations(position: [number, number]): Promise<{ box: Box | null; stations: SavedStation[] } | null> {
  const first = await apiGet<StationPage>(`/api/collections/stations/items?limit=${PAGE}`);
  const box = first.numberMatched > MAX_WHOLE_SET ? boxAround(position, BOX_HALF_SIDE_M) : null;
  const query = box ? `&bbox=${box.map((v) => v.toFixed(5)).join(',')}` : '';
  let page = box ? await apiGet<StationPage>(`/api/collections/stations/items?limit=${PAGE}${query}`) : first;
  const stations = page.features.map(savedStation);
  for (let n = 1; stations.length < page.numberMatched; n++) {
    // A set cut short would answer "nearest" wrongly: keep none rather than part of one.
    if (n >= MAX_PAGES) return null;
    page = await apiGet<StationPage>(`/api/collections/stations/items?limit=${PAGE}&offset=${n * PAGE}${query}`);
    if (page.features.length === 0) return null;
    stations.push(...page.features.map(savedStation));
  }
  return { box, stations };
}

async function readCalendar(): Promise<Pick<OfflineSet, 'timeZone' | 'calendar'>> {
  const meta = await apiGet<Meta>('/api/meta');
  const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: meta.time_zone, year: 'numeric' }).format(new Date()));
  // This year and the next: a departure is at most tomorrow; last year for a night shift on 1 January.
  const lists = await Promise.all([year - 1, year, year + 1].map((y) => apiGet<YearList>(`/api/holidays?year=${y}`)));
  return {
    timeZone: meta.time_zone,
    calendar: {
      name: meta.holiday_calendar.calendar,
      version: meta.holiday_calendar.version,
      publishedThrough: meta.holiday_calendar.published_through,
      days: lists.flatMap((l) => l.days.map((d) => ({ date: d.date, kind: d.kind, name: d.name, nameEn: d.name_en }))),
    },
  };
}

interface SetIndex {
  savedAt: string;
  box: Box | null;
}

function readIndex(): SetIndex | null {
  try {
    return JSON.parse(localStorage.getItem(INDEX_KEY) ?? 'null') as SetIndex | null;
  } catch {
    return null;
  }
}

export async function readOfflineSet(): Promise<OfflineSet | null> {
  if (typeof caches === 'undefined') return null;
  try {
    const saved = await (await caches.open(OFFLINE_CACHE)).match(SET_URL);
    return saved ? ((await saved.json()) as OfflineSet) : null;
  } catch {
    return null;
  }
}

let refreshing: Promise<void> | null = null;

/**
 * After an online answer: saves the stations and calendar when none are saved, they are older than
 * REFRESH_AFTER_MS, or their box does not reach around `position`. One download at a time; a
 * failure leaves the last set as it was (the page says its age). Resolves with the saved time.
 */
export function keepOfflineSet(position: [number, number], radiusM: number): Promise<string | null> {
  const index = readIndex();
  const fresh = index && Date.now() - Date.parse(index.savedAt) < REFRESH_AFTER_MS && covers(index.box, position, radiusM);
  if (typeof caches === 'undefined' || fresh || refreshing) return (refreshing ?? Promise.resolve()).then(() => readIndex()?.savedAt ?? null);
  refreshing = (async () => {
    const savedAt = new Date().toISOString();
    const [stations, calendar] = await Promise.all([readStations(position), readCalendar()]);
    if (!stations) return;
    const set: OfflineSet = { savedAt, ...stations, ...calendar };
    const cache = await caches.open(OFFLINE_CACHE);
    await cache.put(SET_URL, new Response(JSON.stringify(set), { headers: { 'Content-Type': 'application/json' } }));
    localStorage.setItem(INDEX_KEY, JSON.stringify({ savedAt, box: stations.box } satisfies SetIndex));
  })()
    .catch((error: unknown) => console.warn('offline stations not saved', error))
    .finally(() => (refreshing = null));
  return refreshing.then(() => readIndex()?.savedAt ?? null);
}
