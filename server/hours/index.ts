/**
 * Opening-hours engine for stations: OSM `opening_hours` values evaluated in the station's zone
 * with a holiday calendar passed in (public holidays and make-up workdays), date overrides and
 * temporary closures. Pure TypeScript (no DB, no Node-only APIs), so the client can use it too.
 */
export { describeState, type DescribeLocale } from './describe.js';
export {
  builtInCalendar,
  builtInCalendarDays,
  createHolidayCalendar,
  holidayInfo,
  isUnpublished,
  lastPublishedYearEnd,
  NO_HOLIDAYS,
  type CalendarDay,
  type HolidayCalendar,
  type HolidayInfo,
  type HolidayName,
} from './holidays.js';
export { provisionalHolidaysOf } from './provisional.js';
export { isAlwaysOpen, openIntervals } from './open-intervals.js';
export { compileHours, isHoursCompiled } from './compiled-hours.js';
export { NEXT_CHANGE_HORIZON_DAYS, scheduleStateAt } from './state.js';
export type {
  Closure,
  DateOverride,
  ScheduleState,
  StateReason,
  StationSchedule,
  WeekTableDay,
} from './types.js';
export {
  readOpeningHoursInput,
  validateOpeningHours,
  type OpeningHoursInput,
  type OpeningHoursValidation,
} from './validate.js';
export { phraseToOpeningHours } from './phrases.js';
export { MAX_HOURS_TEXT_PER_STATION, MAX_OPENING_HOURS_LENGTH } from './limits.js';
export { weekTable } from './week-table.js';
export { DEFAULT_TIME_ZONE, instantAt, isValidTimeZone, localTimeAt, weekdayOf } from './zone.js';
