/**
 * The stations and the holiday calendar the phone keeps so that, offline, it can answer "nearest
 * open on arrival" itself (offline-nearest.ts) instead of showing an answer for another position.
 *
 * Saved in Cache Storage (a few hundred KB to a few MB: too much for localStorage), with a small
 * index in localStorage so deciding whether to refresh reads no large JSON. Small on purpose: this
 * file is in the page's first load; the engine that reads the set is a lazily loaded chunk.
 */
import { apiGet } from '../../../lib/api/http.js';
import { boxAround, covers, savedStation, type Box, type OfflineSet, type SavedStation, type StationPage } from './saved-set.js';

export { OFFLINE_RADIUS_M } from './saved-set.js';

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
/**
 * Marks the listing pages read for the set, so the service worker does not keep a second copy of
 * them in its API cache (sw.ts skips requests carrying it): the set itself is the offline copy.
 */
export const OFFLINE_SET_HEADER = 'X-Warm-Posts-Offline-Set';
const readPage = (path: string) => apiGet<StationPage>(path, { headers: { [OFFLINE_SET_HEADER]: '1' } });

interface Meta {
  time_zone: string;
  holiday_calendar: { calendar: string; version: string; published_through: string | null };
}
interface YearList {
  days: Array<{ date: string; kind: 'holiday' | 'workday'; name: string; name_en: string | null }>;
}

/** Every station of the deployment when there are few enough, else all of those in a box around the worker. */
async function readStations(position: [number, number]): Promise<{ box: Box | null; stations: SavedStation[] } | null> {
  const first = await readPage(`/api/collections/stations/items?limit=${PAGE}`);
  const box = first.numberMatched > MAX_WHOLE_SET ? boxAround(position, BOX_HALF_SIDE_M) : null;
  const query = box ? `&bbox=${box.map((v) => v.toFixed(5)).join(',')}` : '';
  let page = box ? await readPage(`/api/collections/stations/items?limit=${PAGE}${query}`) : first;
  const stations = page.features.map(savedStation);
  for (let n = 1; stations.length < page.numberMatched; n++) {
    // A set cut short would answer "nearest" wrongly: keep none rather than part of one.
    if (n >= MAX_PAGES) return null;
    page = await readPage(`/api/collections/stations/items?limit=${PAGE}&offset=${n * PAGE}${query}`);
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
