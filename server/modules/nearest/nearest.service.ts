/**
 * The k stations quickest to reach from a point that offer what the worker needs and are open when
 * they get there. Candidates come outwards from the in-memory station mirror (a k-d tree walked in
 * order of a lower bound on distance) in widening pages; travel times from a `TravelTimeProvider`;
 * open/closed from the hours engine at departure and at arrival.
 */
import { navigationLinks, type NavigationLinks } from '../../geo/coords.js';
import { geodesicDistanceM } from '../../geo/geodesic.js';
import { isAlwaysOpen, openIntervals } from '../../hours/index.js';
import type { StationFeature } from '../stations/station-feature.js';
import { stationSchedule, stationStateAt } from '../stations/station-hours.js';
import { matchesFilter } from '../stations/snapshot-query.js';
import type { MirrorState } from '../stations/station-mirror.js';
import type { StationSnapshot } from '../stations/station-snapshot.js';
import type { StationRecord } from '../stations/stations.repository.js';
import type { NearestQuery } from './nearest.schemas.js';
import type {
  TravelEstimate,
  TravelMode,
  TravelTimeProvider,
  TravelTimeSource,
} from './travel-time.js';

/**
 * First page size. The search stops once the k-th quickest is quicker than a bound on every
 * station not yet taken. In a straight line that bound is within ~2% of the true distance, so a
 * few past k settle almost every search, and pages cost nothing but CPU. On a road network each
 * page is a snapping query and the bound is the fastest road's speed: start wider. Hours filters
 * drop some stations (evenings, holidays), so then start wider too.
 */
function firstPageSize(query: NearestQuery, provider: TravelTimeProvider): number {
  const filtered = query.open !== 'any' || query.open24h;
  if (provider.kind === 'network') return filtered ? Math.max(query.k * 4, 20) : Math.max(query.k * 3, 15);
  return filtered ? query.k * 2 + 4 : query.k + 2;
}
/** Stop widening after scanning this many candidates; the answer then says `complete: false`. */
const MAX_SCANNED = 8_000;

type HoursState = ReturnType<typeof stationStateAt>;

interface Candidate {
  station: StationRecord;
  /** Geodesic metres from the origin (WGS-84). */
  straightLineM: number;
  travel: TravelEstimate;
  arrival: Date;
  /** Hours are evaluated lazily, each only when a filter or the answer needs it. */
  now?: HoursState;
  atArrival?: HoursState;
  alwaysOpen?: boolean;
}

/** Unknown hours are neither open nor closed: null, and never promised by an open filter. */
const openOrUnknown = (state: HoursState): boolean | null => (state.unknown ? null : state.open);

const stateNow = (c: Candidate, at: Date) => (c.now ??= stationStateAt(c.station, at));
const stateAtArrival = (c: Candidate) => (c.atArrival ??= stationStateAt(c.station, c.arrival));
const alwaysOpen = (c: Candidate, at: Date) =>
  (c.alwaysOpen ??= isAlwaysOpen(stationSchedule(c.station), at));

/**
 * Open (not closed, not unknown) at an instant. Filtering needs only this, not the next change, so
 * it asks for the open spans of one second instead of walking the timeline to the next change.
 */
function openAt(c: Candidate, instant: Date): boolean {
  const spans = openIntervals(
    stationSchedule(c.station),
    instant,
    new Date(instant.getTime() + 1000),
  );
  return spans.length > 0;
}

function passesHours(c: Candidate, query: NearestQuery, at: Date): boolean {
  if (query.open24h && !alwaysOpen(c, at)) return false;
  if (query.open === 'arrival') return openAt(c, c.arrival);
  if (query.open === 'now') return openAt(c, at);
  return true;
}

function byTravelTime(a: Candidate, b: Candidate): number {
  return (
    a.travel.durationS - b.travel.durationS ||
    a.straightLineM - b.straightLineM ||
    a.station.id - b.station.id
  );
}

interface Page {
  stations: Array<{ station: StationRecord; straightLineM: number }>;
  /** Every station not yet taken is at least this far; Infinity once none is left. */
  reachedM: number;
}

/**
 * The next `size` matching stations outwards, with their geodesic distances. Taking stops early at
 * the radius: everything after a lower bound beyond it is beyond it too.
 */
function takePage(
  walk: ReturnType<StationSnapshot['nearestFirst']>,
  matches: (station: StationRecord) => boolean,
  size: number,
  query: NearestQuery,
): Page {
  const stations: Page['stations'] = [];
  let reachedM = Infinity;
  while (stations.length < size) {
    const next = walk.next();
    if (next.done) return { stations, reachedM: Infinity };
    const { station, lowerBoundM } = next.value;
    reachedM = lowerBoundM;
    if (lowerBoundM > query.radius) break;
    if (!matches(station)) continue;
    const straightLineM = geodesicDistanceM(query.lng, query.lat, station.lng, station.lat);
    if (straightLineM <= query.radius) stations.push({ station, straightLineM });
  }
  return { stations, reachedM };
}

/** Travel estimates for the page's stations; unreachable ones are dropped. */
async function estimatePage(
  page: Page['stations'],
  provider: TravelTimeProvider,
  query: NearestQuery,
  at: Date,
): Promise<Candidate[]> {
  if (page.length === 0) return [];
  const estimates = await provider.estimate(
    [query.lng, query.lat],
    page.map(({ station, straightLineM }) => ({
      id: station.id,
      lng: station.lng,
      lat: station.lat,
      straightLineM,
    })),
    query.mode,
  );
  return page.flatMap(({ station, straightLineM }) => {
    const travel = estimates.get(station.id);
    if (!travel) return [];
    return [
      {
        station,
        straightLineM,
        travel,
        arrival: new Date(at.getTime() + travel.durationS * 1000),
      },
    ];
  });
}

/** The first k of the time-ordered pool that pass the hours filters (evaluating no further). */
function firstPassing(pool: Candidate[], query: NearestQuery, at: Date): Candidate[] {
  const chosen: Candidate[] = [];
  for (const candidate of pool) {
    if (chosen.length === query.k) break;
    if (passesHours(candidate, query, at)) chosen.push(candidate);
  }
  return chosen;
}

/**
 * The same Feature `stationToFeature` builds (station columns in order, then `extra`), copied key
 * by key: object rest/spread over two dozen keys costs tens of µs per station here.
 */
function nearbyFeature(station: StationRecord, extra: Record<string, unknown>): StationFeature {
  const properties: Record<string, unknown> = {};
  for (const key in station) {
    if (key !== 'lng' && key !== 'lat') properties[key] = station[key as keyof StationRecord];
  }
  for (const key in extra) properties[key] = extra[key];
  return {
    type: 'Feature',
    id: station.id,
    geometry: { type: 'Point', coordinates: [station.lng, station.lat] },
    properties,
  };
}

/**
 * Hand-off links depend on the station and the mode only. Mirror records live until the station
 * changes (a change brings a new record), so the links are worked out once per record and mode.
 */
const navigationCache = new WeakMap<StationRecord, Partial<Record<TravelMode, NavigationLinks>>>();
function navigationFor(station: StationRecord, mode: TravelMode): NavigationLinks {
  let byMode = navigationCache.get(station);
  if (!byMode) navigationCache.set(station, (byMode = {}));
  return (byMode[mode] ??= navigationLinks(
    { lng: station.lng, lat: station.lat, name: station.name },
    mode,
  ));
}

function toFeature(
  c: Candidate,
  provider: TravelTimeProvider,
  query: NearestQuery,
  at: Date,
): StationFeature {
  const hours = {
    now: stateNow(c, at),
    atArrival: stateAtArrival(c),
    alwaysOpen: alwaysOpen(c, at),
  };
  const station = c.station;
  return nearbyFeature(station, {
    distance_m: Math.round(c.travel.distanceM),
    straight_line_m: Math.round(c.straightLineM),
    duration_s: Math.round(c.travel.durationS),
    distance_kind: provider.kind,
    arrival_at: c.arrival.toISOString(),
    open_now: openOrUnknown(hours.now),
    open_at_arrival: openOrUnknown(hours.atArrival),
    always_open: hours.alwaysOpen,
    next_change: hours.now.next_change,
    state_text_zh: hours.now.text_zh,
    state_text_en: hours.now.text_en,
    arrival_next_change: hours.atArrival.next_change,
    arrival_state_text_zh: hours.atArrival.text_zh,
    arrival_state_text_en: hours.atArrival.text_en,
    holiday: hours.now.holiday,
    // False past the published holiday arrangement (festivals provisional, 调休 unknown).
    holidays_known: hours.now.holidays_known && hours.atArrival.holidays_known,
    navigation: navigationFor(station, query.mode),
  });
}

/**
 * Where the stations come from: the server's mirror of the table, or (on the worker page, offline)
 * the stations the phone saved, searched by this same function.
 */
export interface StationSource {
  current(): Promise<MirrorState>;
}

export async function nearestStations(
  mirror: StationSource,
  source: TravelTimeSource,
  query: NearestQuery,
  now: Date = new Date(),
) {
  const at = query.at ?? now;
  const origin: [number, number] = [query.lng, query.lat];
  // One statement: the stations changed since the mirror's last read (usually none), and whether
  // a road network is imported, so a straight-line search costs one round trip in all.
  const { snapshot, roadNetworkId } = await mirror.current();
  const provider = await source.providerFor(query.mode, origin, { roadNetworkId });

  const walk = snapshot.nearestFirst(query.lng, query.lat);
  const matches = (station: StationRecord) =>
    matchesFilter(station, { amenities: query.amenities, kind: query.kind });
  let pageSize = firstPageSize(query, provider);
  const pool: Candidate[] = [];
  let chosen: Candidate[] = [];
  let scanned = 0;
  let complete = false;
  for (;;) {
    const page = takePage(walk, matches, pageSize, query);
    scanned += page.stations.length;
    pool.push(...(await estimatePage(page.stations, provider, query, at)));
    pool.sort(byTravelTime);
    chosen = firstPassing(pool, query, at);

    // Every station not yet taken is at least `reachedM` away in a straight line, so at least
    // `minSeconds(reachedM)` away in time: the ranking is settled once the k-th is quicker.
    if (page.reachedM > query.radius) {
      complete = true;
      break;
    }
    const kth = chosen[query.k - 1];
    if (kth && kth.travel.durationS <= provider.minSeconds(page.reachedM, query.mode)) {
      complete = true;
      break;
    }
    if (scanned >= MAX_SCANNED) break;
    pageSize = Math.min(pageSize * 2, MAX_SCANNED - scanned);
  }

  const basis = provider.basis(query.mode);
  return {
    type: 'FeatureCollection' as const,
    features: chosen.map((c) => toFeature(c, provider, query, at)),
    numberReturned: chosen.length,
    origin: [query.lng, query.lat],
    at: at.toISOString(),
    mode: query.mode,
    open: query.open,
    radius_m: query.radius,
    distance_kind: provider.kind,
    speed_kmh: basis.speed_kmh,
    eta_basis: basis,
    /** False only when the scan limit stopped the search before the ranking was settled. */
    complete,
    timeStamp: now.toISOString(),
  };
}
