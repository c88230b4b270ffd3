import {
  compileHours,
  describeState,
  isHoursCompiled,
  isAlwaysOpen,
  scheduleStateAt,
  weekTable,
  type StationSchedule,
} from '../../hours/index.js';
import { deploymentDate, hoursContext } from '../holidays/hours-context.js';
import type { StationRecord } from './stations.repository.js';

/**
 * A station's hours in the deployment's zone, with its current holiday calendar, and sun events
 * (sunset…) at its own position: or the deployment's centre for hours not yet placed.
 */
export function stationSchedule(
  station: Pick<StationRecord, 'opening_hours' | 'hours_overrides' | 'closures'> &
    Partial<Pick<StationRecord, 'lng' | 'lat'>>,
): StationSchedule {
  const { timeZone, calendar, location } = hoursContext();
  const placed = Number.isFinite(station.lng) && Number.isFinite(station.lat);
  const at = placed ? ([station.lng!, station.lat!] as const) : location;
  return {
    openingHours: station.opening_hours,
    overrides: station.hours_overrides,
    closures: station.closures,
    timeZone,
    calendar,
    ...(at ? { location: at } : {}),
  };
}

/** Local YYYY-MM-DD of an instant in the deployment's zone. */
export function localDate(instant: Date): string {
  return deploymentDate(instant);
}

/** State at an instant, with texts in both languages: what lists and markers show. */
export function stationStateAt(station: StationRecord, at: Date) {
  const schedule = stationSchedule(station);
  const state = scheduleStateAt(schedule, at);
  return {
    open: state.open,
    unknown: state.unknown,
    reason: state.reason,
    next_change: state.nextChange?.toISOString() ?? null,
    next_open: state.nextOpen,
    holiday: state.holiday ?? null,
    /** False when the instant is after the published holiday arrangement (provisional holidays). */
    holidays_known: state.holidaysKnown !== false,
    text_zh: describeState(state, at, 'zh'),
    text_en: describeState(state, at, 'en'),
  };
}

/** The station sheet: today's state, the coming week, and whether it never closes. */
export function describeStationHours(station: StationRecord, now: Date) {
  const schedule = stationSchedule(station);
  return {
    time_zone: schedule.timeZone,
    holiday_calendar: { published_through: schedule.calendar?.publishedThrough ?? null },
    now: stationStateAt(station, now),
    always_open: isAlwaysOpen(schedule, now),
    week: weekTable(schedule, localDate(now), 7),
  };
}

/**
 * Parses the hours of `stations` not parsed yet, one value per macrotask, so that evaluating them
 * later (nearest, listings, coverage: all synchronous) finds them in the parse cache. A value at the
 * length cap can take 0.1–0.2 s to parse (more on a busy machine); an import of many distinct ones
 * parsed on first evaluation held the event loop for their sum, this holds it for one at a time.
 */
export async function parseHoursAhead(
  stations: Iterable<Pick<StationRecord, 'opening_hours' | 'hours_overrides'>>,
): Promise<void> {
  const values = new Set<string>();
  for (const station of stations) {
    if (station.opening_hours) values.add(station.opening_hours);
    for (const override of station.hours_overrides ?? []) values.add(override.opening_hours);
  }
  for (const value of values) {
    if (isHoursCompiled(value)) continue;
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      compileHours(value);
    } catch {
      // A stored value that does not parse is cached as such; evaluation says "unknown".
    }
  }
}
