/**
 * The nearest stations computed on the phone from the saved set, by the server's own search
 * (nearestStations) with its straight-line travel times and its hours engine in the deployment's
 * zone with the saved holiday calendar (holidays and 调休 as the server counts them). Loaded
 * lazily: the opening-hours library and the calendar weigh more than the rest of the page.
 */
import { NO_HOLIDAYS } from '../../../../../server/hours/index.js';
import { calendarFromDays, setHoursContext } from '../../../../../server/modules/holidays/hours-context.js';
import { nearestStations } from '../../../../../server/modules/nearest/nearest.service.js';
import { straightLineSource } from '../../../../../server/modules/nearest/travel-time.js';
import { StationSnapshot } from '../../../../../server/modules/stations/station-snapshot.js';
import type { StationRecord } from '../../../../../server/modules/stations/stations.repository.js';
import type { NearestRequest, NearestResult } from '../worker-api.js';
import { covers, OFFLINE_RADIUS_M, type OfflineSet } from './saved-set.js';

/** Why no offline answer can be given; the page says it in its language. */
export class OfflineUnavailable extends Error {
  constructor(readonly reason: 'no-stations' | 'not-covered') {
    super(reason === 'no-stations' ? 'No stations saved on this device' : 'The saved stations do not cover this place');
  }
}

const snapshots = new WeakMap<OfflineSet, StationSnapshot>();

function snapshotOf(set: OfflineSet): StationSnapshot {
  let snapshot = snapshots.get(set);
  if (!snapshot) {
    // Fields the nearest answer does not read are left out of the saved set (see SavedStation).
    const byId = new Map(set.stations.map((s) => [s.id, s as StationRecord]));
    snapshots.set(set, (snapshot = new StationSnapshot(0, byId)));
  }
  return snapshot;
}

/** The hours engine's context as the server sets it: the deployment's zone and calendar. */
function useCalendarOf(set: OfflineSet) {
  const { calendar } = set;
  setHoursContext({
    timeZone: set.timeZone,
    location: null, // every saved station has its own position for sun events
    calendar:
      calendar.name === 'none'
        ? NO_HOLIDAYS
        : calendarFromDays(calendar.version, calendar.days, calendar.publishedThrough),
  });
}

export async function offlineNearest(set: OfflineSet, request: NearestRequest, now = new Date()): Promise<NearestResult> {
  if (set.stations.length === 0) throw new OfflineUnavailable('no-stations');
  if (!covers(set.box, request.position, OFFLINE_RADIUS_M)) throw new OfflineUnavailable('not-covered');
  useCalendarOf(set);
  const snapshot = snapshotOf(set);
  const answer = await nearestStations(
    { current: async () => ({ snapshot, roadNetworkId: null }) },
    straightLineSource,
    {
      lng: request.position[0],
      lat: request.position[1],
      k: request.k ?? 5,
      radius: OFFLINE_RADIUS_M,
      mode: request.mode,
      open: request.open,
      ...(request.amenities.length ? { amenities: request.amenities } : {}),
      ...(request.open24h ? { open24h: true } : {}),
      ...(request.at ? { at: new Date(request.at) } : {}),
    },
    now,
  );
  return answer as unknown as NearestResult;
}
