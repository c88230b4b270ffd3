import {
  describeState,
  isAlwaysOpen,
  scheduleStateAt,
  weekTable,
  type StationSchedule,
} from '../../hours/index.js';
import type { StationRecord } from './stations.repository.js';

export const STATION_TIME_ZONE = 'Asia/Shanghai';

export function stationSchedule(station: Pick<StationRecord, 'opening_hours' | 'hours_overrides' | 'closures'>): StationSchedule {
  return {
    openingHours: station.opening_hours,
    overrides: station.hours_overrides,
    closures: station.closures,
    timeZone: STATION_TIME_ZONE,
  };
}

/** Local YYYY-MM-DD of an instant in the station's zone. */
export function localDate(instant: Date, timeZone = STATION_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
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
    text_zh: describeState(state, at, 'zh'),
    text_en: describeState(state, at, 'en'),
  };
}

/** The station sheet: today's state, the coming week, and whether it never closes. */
export function describeStationHours(station: StationRecord, now: Date) {
  const schedule = stationSchedule(station);
  return {
    time_zone: STATION_TIME_ZONE,
    now: stationStateAt(station, now),
    always_open: isAlwaysOpen(schedule, now),
    week: weekTable(schedule, localDate(now), 7),
  };
}
