/**
 * Which stations count at an instant: only those open then by their weekly hours, the
 * deployment's holidays and 调休 make-up days, date overrides and closures. A station with unknown hours does
 * not count, because a worker cannot rely on it.
 */
import { holidayInfo, scheduleStateAt, weekdayOf } from '../../hours/index.js';
import { deploymentTime, hoursContext } from '../holidays/hours-context.js';
import { localDate, stationSchedule } from '../stations/station-hours.js';
import type { StationScheduleRow } from './coverage.repository.js';

export function openStationIds(stations: StationScheduleRow[], at: Date): number[] {
  return stations.filter((s) => scheduleStateAt(stationSchedule(s), at).open).map((s) => s.id);
}

const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const WEEKDAYS_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** The instant as planners read it: the deployment's wall-clock time, weekday and holiday status. */
export function describeInstant(at: Date) {
  const date = localDate(at);
  return {
    at: at.toISOString(),
    local: `${date} ${deploymentTime(at)}`,
    time_zone: hoursContext().timeZone,
    ...describeDay(date),
  };
}

/** Weekday and holiday facts of a local date, for labels and the holiday indicator. */
export function describeDay(date: string) {
  const weekday = weekdayOf(date);
  const info = holidayInfo(date, hoursContext().calendar);
  const kind = info.holiday
    ? 'holiday'
    : info.makeupWorkday
      ? 'makeup_workday'
      : weekday === 0 || weekday === 6
        ? 'weekend'
        : 'workday';
  return {
    date,
    weekday,
    weekday_en: WEEKDAYS_EN[weekday]!,
    weekday_zh: WEEKDAYS_ZH[weekday]!,
    day_kind: kind as 'holiday' | 'makeup_workday' | 'weekend' | 'workday',
    holiday: info.holiday
      ? { name: info.name ?? null, name_en: info.nameEn ?? null, provisional: info.provisional === true }
      : null,
    /** False after the published holiday arrangement: holidays provisional, 调休 unknown. */
    holidays_known: info.known !== false,
  };
}
