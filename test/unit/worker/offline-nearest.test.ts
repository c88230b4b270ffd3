/**
 * The worker page's offline answer (client/src/views/worker/offline) against the server's: the same
 * stations, distances, minutes and open states on the same inputs — stations as the listing API
 * gives them (coordinates to 6 decimals) and the calendar as /api/meta and /api/holidays give it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../scripts/lib/sample-stations.js';
import { builtInCalendarDays, lastPublishedYearEnd } from '../../../server/hours/index.js';
import {
  calendarFromDays,
  hoursContext,
  setHoursContext,
} from '../../../server/modules/holidays/hours-context.js';
import { nearestStations } from '../../../server/modules/nearest/nearest.service.js';
import { DEFAULT_RADIUS_M, type NearestQuery } from '../../../server/modules/nearest/nearest.schemas.js';
import { straightLineSource } from '../../../server/modules/nearest/travel-time.js';
import { stationToFeature } from '../../../server/modules/stations/station-feature.js';
import { StationSnapshot } from '../../../server/modules/stations/station-snapshot.js';
import type { StationRecord } from '../../../server/modules/stations/stations.repository.js';
import { stationRecord } from '../../setup/station-record.js';
import {
  offlineNearest,
  OfflineUnavailable,
} from '../../../client/src/views/worker/offline/offline-nearest.js';
import {
  boxAround,
  OFFLINE_RADIUS_M,
  savedStation,
  type OfflineSet,
} from '../../../client/src/views/worker/offline/saved-set.js';
import type { NearestRequest } from '../../../client/src/views/worker/worker-api.js';

const ZONE = 'Asia/Shanghai';
const DAYS = builtInCalendarDays();
const PUBLISHED = lastPublishedYearEnd(DAYS);
const VERSION = 'cn@7';
const before = hoursContext();
afterEach(() => setHoursContext(before));

let nextId = 1;
function station(lng: number, lat: number, opening_hours: string | null, extra: Partial<StationRecord> = {}): StationRecord {
  const id = nextId++;
  return stationRecord({
    id,
    name: `驿站${id}`,
    name_en: `Station ${id}`,
    address: `地址${id}`,
    lng,
    lat,
    amenities: { hot_water: 'available' },
    opening_hours,
    ...extra,
  });
}

/** Both sides see the stations as the listing serves them: `ST_AsGeoJSON(geom, 6)`. */
const asListed = (s: StationRecord): StationRecord => ({
  ...s,
  lng: Number(s.lng.toFixed(6)),
  lat: Number(s.lat.toFixed(6)),
});

function offlineSetOf(stations: StationRecord[], box: OfflineSet['box'] = null): OfflineSet {
  return {
    savedAt: '2026-11-28T08:00:00.000Z',
    box,
    stations: stations.map((s) => savedStation(stationToFeature(asListed(s)) as never)),
    timeZone: ZONE,
    calendar: { name: 'cn', version: VERSION, publishedThrough: PUBLISHED, days: DAYS },
  };
}

async function serverAnswer(stations: StationRecord[], request: NearestRequest, now: Date) {
  setHoursContext({ timeZone: ZONE, location: null, calendar: calendarFromDays(VERSION, DAYS, PUBLISHED) });
  const snapshot = new StationSnapshot(1, new Map(stations.map((s) => [s.id, asListed(s)])));
  const query: NearestQuery = {
    lng: request.position[0],
    lat: request.position[1],
    k: request.k ?? 5,
    radius: DEFAULT_RADIUS_M,
    mode: request.mode,
    open: request.open,
    ...(request.amenities.length ? { amenities: request.amenities } : {}),
    ...(request.open24h ? { open24h: true } : {}),
    ...(request.at ? { at: new Date(request.at) } : {}),
  };
  return nearestStations({ current: async () => ({ snapshot, roadNetworkId: null }) }, straightLineSource, query, now);
}

/** What the list shows of an answer. */
const shown = (answer: { features: Array<{ id: number; properties: object }> }) =>
  answer.features
    .map(({ id, properties }) => ({ id, ...(properties as Record<string, unknown>) }) as Record<string, unknown>)
    .map((f) => ({
    id: f.id,
    distance_m: f.distance_m,
    duration_s: f.duration_s,
    distance_kind: f.distance_kind,
    open_now: f.open_now,
    open_at_arrival: f.open_at_arrival,
    state_text_zh: f.state_text_zh,
    arrival_state_text_en: f.arrival_state_text_en,
  }));

const HERE: [number, number] = [116.3975, 39.9087];
const request = (over: Partial<NearestRequest> = {}): NearestRequest => ({
  position: HERE,
  amenities: [],
  open: 'arrival',
  open24h: false,
  mode: 'walk',
  ...over,
});

describe('offline nearest (worker page)', () => {
  it('searches as far as the API does by default', () => {
    expect(OFFLINE_RADIUS_M).toBe(DEFAULT_RADIUS_M);
  });

  it('drops a station closed on public holidays on 国庆 (2026-10-01), as the server does', async () => {
    const weekdays = station(116.398, 39.909, 'Mo-Fr 08:00-18:00; PH off');
    const always = station(116.4, 39.91, '24/7');
    const stations = [weekdays, always];
    const at = '2026-10-01T10:00:00+08:00'; // a Thursday, 国庆节
    const offline = await offlineNearest(offlineSetOf(stations), request({ at }));
    expect(offline.features.map((f) => f.id)).toEqual([always.id]);
    expect(shown(offline)).toEqual(shown(await serverAnswer(stations, request({ at }), new Date(at))));
    // A day later than the break, a Thursday again: both are open.
    const after = '2026-10-15T10:00:00+08:00';
    const open = await offlineNearest(offlineSetOf(stations), request({ at: after }));
    expect(open.features.map((f) => f.id)).toEqual([weekdays.id, always.id]);
  });

  it('opens a weekday station on a 调休 Sunday workday (2026-09-20), as the server does', async () => {
    const weekdays = station(116.398, 39.909, 'Mo-Fr 08:00-18:00; PH off');
    const at = '2026-09-20T10:00:00+08:00';
    const offline = await offlineNearest(offlineSetOf([weekdays]), request({ at }));
    expect(offline.features.map((f) => f.id)).toEqual([weekdays.id]);
    expect(offline.features[0]!.properties.open_at_arrival).toBe(true);
    expect(shown(offline)).toEqual(shown(await serverAnswer([weekdays], request({ at }), new Date(at))));
    // The Sunday before is an ordinary one: closed.
    const sunday = '2026-09-13T10:00:00+08:00';
    expect((await offlineNearest(offlineSetOf([weekdays]), request({ at: sunday }))).features).toEqual([]);
  });

  it('gives the server’s answer on random stations, positions, times and filters', async () => {
    const random = mulberry32(15);
    const HOURS = [
      'Mo-Fr 08:00-18:00; PH off',
      '24/7',
      'Mo-Su 06:00-22:00',
      'Mo-Sa 09:00-21:00; Su off',
      'Mo-Fr 07:30-11:30,13:30-17:30; Sa,Su,PH off',
      'sunrise-sunset',
      null,
      'Mo-Su 22:00-06:00',
    ];
    const AMENITIES = ['hot_water', 'toilet', 'phone_charging'] as const;
    const stations = Array.from({ length: 400 }, () => {
      const amenities = Object.fromEntries(
        AMENITIES.filter(() => random() < 0.6).map((key) => [key, 'available']),
      );
      return station(116.2 + random() * 0.4, 39.75 + random() * 0.3, HOURS[Math.floor(random() * HOURS.length)]!, {
        amenities,
        kind: random() < 0.2 ? 'smart_24h' : 'warm_post',
        closures:
          random() < 0.05
            ? [{ from: '2026-11-28T00:00:00+08:00', to: '2026-11-30T00:00:00+08:00', reason: '维修' }]
            : [],
      });
    });
    const set = offlineSetOf(stations);
    let listed = 0;
    const instants = ['2026-11-28T23:30:00+08:00', '2026-10-01T09:00:00+08:00', '2026-10-10T17:50:00+08:00', '2027-02-16T08:00:00+08:00'];
    for (let i = 0; i < 24; i++) {
      const req = request({
        position: [116.25 + random() * 0.3, 39.8 + random() * 0.2],
        at: instants[i % instants.length]!,
        open: (['arrival', 'now', 'any'] as const)[i % 3]!,
        mode: (['walk', 'bike', 'drive'] as const)[Math.floor(i / 3) % 3]!,
        amenities: i % 4 === 0 ? ['toilet'] : [],
        open24h: i % 7 === 0,
        k: 5,
      });
      const now = new Date('2026-11-28T08:00:00Z');
      const offline = await offlineNearest(set, req, now);
      expect(shown(offline), JSON.stringify(req)).toEqual(shown(await serverAnswer(stations, req, now)));
      expect(offline.distance_kind).toBe('straight_line');
      listed += offline.features.length;
    }
    expect(listed).toBeGreaterThan(60); // most searches found stations: the comparison compared something
  });

  it('follows a deployment with no public holidays in another zone (Andorra, HOLIDAY_CALENDAR=none)', async () => {
    const andorra = station(1.5218, 42.5063, 'Mo-Fr 08:00-18:00; PH off');
    const set: OfflineSet = {
      ...offlineSetOf([andorra]),
      timeZone: 'Europe/Andorra',
      calendar: { name: 'none', version: 'none', publishedThrough: null, days: [] },
    };
    // 09:00 in Andorra on China's National Day: an ordinary Thursday there, open.
    const at = '2026-10-01T09:00:00+02:00';
    const req = request({ position: [1.522, 42.5065], at });
    const offline = await offlineNearest(set, req);
    expect(offline.features.map((f) => f.id)).toEqual([andorra.id]);
    // 07:30 local: not yet open (the zone is Andorra's, not Beijing's).
    const early = await offlineNearest(set, request({ position: [1.522, 42.5065], at: '2026-10-01T07:30:00+02:00' }));
    expect(early.features).toEqual([]);
  });

  it('says so, instead of answering, with no stations or outside the saved box', async () => {
    await expect(offlineNearest(offlineSetOf([]), request())).rejects.toThrow(OfflineUnavailable);
    const near = station(116.398, 39.909, '24/7');
    const set = offlineSetOf([near], boxAround(HERE, 25_000));
    expect((await offlineNearest(set, request())).features.map((f) => f.id)).toEqual([near.id]);
    // 20 km east: the 10 km search around it would reach past the saved box.
    const east: [number, number] = [HERE[0] + 0.234, HERE[1]];
    await expect(offlineNearest(set, request({ position: east }))).rejects.toMatchObject({ reason: 'not-covered' });
  });
});
