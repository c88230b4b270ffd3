/**
 * The k stations quickest to reach from a point that offer what the worker needs and are open when
 * they get there. Candidates come from the KNN index in widening pages; travel times from a
 * `TravelTimeProvider`; open/closed from the hours engine at departure and at arrival.
 */
import type { AppDatabase } from '../../db/client.js';
import { navigationLinks } from '../../geo/coords.js';
import { isAlwaysOpen, openIntervals } from '../../hours/index.js';
import type { StationFeature } from '../stations/station-feature.js';
import { stationSchedule, stationStateAt } from '../stations/station-hours.js';
import {
  firstStationsByPlanarDistance,
  stationsByPlanarDistance,
  type NearbyStationRow,
} from './nearest.repository.js';
import type { NearestQuery, OpenFilter } from './nearest.schemas.js';
import type { TravelEstimate, TravelTimeProvider, TravelTimeSource } from './travel-time.js';

/**
 * First KNN page size. The search stops once the k-th quickest is nearer than a bound on every
 * station not yet read; that bound takes a planar degree at its shortest (east–west) length, about
 * 0.77 of a north–south one in Beijing, so it needs candidates well past the k-th. With 3k the
 * first page settles ~99% of straight-line searches over the 1,500 sample stations (2k: ~89%):
 * each further page is another round trip. Hours filters drop some stations (evenings, holidays),
 * so then start wider.
 */
function firstPageSize(query: NearestQuery): number {
  return query.open === 'any' && !query.open24h
    ? Math.max(query.k * 3, 15)
    : Math.max(query.k * 4, 20);
}
/** Stop widening after scanning this many candidates; the answer then says `complete: false`. */
const MAX_SCANNED = 8_000;

/**
 * Fewest metres one planar degree can span near `lat` within `degrees` of it: the east–west degree
 * at the highest latitude reached (110.5 km is below the shortest meridian degree, 110.57 km, so the
 * bound also holds on the ellipsoid).
 */
function minMetresPerDegree(lat: number, degrees: number): number {
  const highest = Math.min(89.9, Math.abs(lat) + degrees);
  return 110_500 * Math.cos((highest * Math.PI) / 180);
}

type HoursState = ReturnType<typeof stationStateAt>;

interface Candidate {
  station: NearbyStationRow;
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
    a.station.distance_m - b.station.distance_m ||
    a.station.id - b.station.id
  );
}

/** Travel estimates for the page's stations inside the radius; unreachable ones are dropped. */
async function estimatePage(
  rows: NearbyStationRow[],
  provider: TravelTimeProvider,
  query: NearestQuery,
  at: Date,
): Promise<Candidate[]> {
  const inRadius = rows.filter((row) => row.distance_m <= query.radius);
  if (inRadius.length === 0) return [];
  const estimates = await provider.estimate(
    [query.lng, query.lat],
    inRadius.map((row) => ({
      id: row.id,
      lng: row.lng,
      lat: row.lat,
      straightLineM: row.distance_m,
    })),
    query.mode,
  );
  return inRadius.flatMap((station) => {
    const travel = estimates.get(station.id);
    if (!travel) return [];
    return [
      {
        station,
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

/** Row fields that are not station properties: geometry, and the search's own bookkeeping. */
const NOT_PROPERTIES = new Set(['lng', 'lat', 'distance_m', 'planar_deg']);

/**
 * The same Feature `stationToFeature` builds (station columns in order, then `extra`), copied key
 * by key: object rest/spread over two dozen keys costs tens of µs per station here.
 */
function nearbyFeature(row: NearbyStationRow, extra: Record<string, unknown>): StationFeature {
  const properties: Record<string, unknown> = {};
  for (const key in row) {
    if (!NOT_PROPERTIES.has(key)) properties[key] = row[key as keyof NearbyStationRow];
  }
  for (const key in extra) properties[key] = extra[key];
  return {
    type: 'Feature',
    id: row.id,
    geometry: { type: 'Point', coordinates: [Number(row.lng), Number(row.lat)] },
    properties,
  };
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
    straight_line_m: Math.round(station.distance_m),
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
    navigation: navigationLinks(
      {
        lng: Number(station.lng),
        lat: Number(station.lat),
        name: station.name,
      },
      query.mode,
    ),
  });
}

export async function nearestStations(
  db: AppDatabase,
  source: TravelTimeSource,
  query: NearestQuery,
  now: Date = new Date(),
) {
  const at = query.at ?? now;
  const origin: [number, number] = [query.lng, query.lat];
  const filter = { amenities: query.amenities, kind: query.kind };

  let pageSize = firstPageSize(query);
  // The first page also says whether a road network is imported, so a straight-line search is
  // usually one statement in all.
  const first = await firstStationsByPlanarDistance(db, origin, filter, pageSize);
  const provider = await source.providerFor(query.mode, origin, {
    roadNetworkId: first.roadNetworkId,
  });

  const pool: Candidate[] = [];
  let chosen: Candidate[] = [];
  let scanned = 0;
  let complete = false;
  let rows = first.rows;
  for (;;) {
    scanned += rows.length;
    pool.push(...(await estimatePage(rows, provider, query, at)));
    pool.sort(byTravelTime);
    chosen = firstPassing(pool, query, at);

    // Every station not yet read is at least `reachedM` away in a straight line, so at least
    // `minSeconds(reachedM)` away in time: the ranking is settled once the k-th is quicker.
    const last = rows.at(-1);
    const exhausted = rows.length < pageSize;
    const reachedM =
      exhausted || !last
        ? Infinity
        : last.planar_deg * minMetresPerDegree(query.lat, last.planar_deg);
    if (reachedM >= query.radius) {
      complete = true;
      break;
    }
    const kth = chosen[query.k - 1];
    if (kth && kth.travel.durationS <= provider.minSeconds(reachedM, query.mode)) {
      complete = true;
      break;
    }
    if (scanned >= MAX_SCANNED) break;
    pageSize = Math.min(pageSize * 2, MAX_SCANNED - scanned);
    rows = await stationsByPlanarDistance(db, origin, filter, { offset: scanned, limit: pageSize });
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
