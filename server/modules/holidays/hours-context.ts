/**
 * The deployment's clock and calendar for the hours engine: its TIME_ZONE and the holiday calendar
 * currently loaded from the database. Set once at start (buildApp) and whenever the calendar store
 * reloads; read by every place that evaluates hours or turns a local time into an instant.
 *
 * One per process, like the configuration it comes from. A worker thread starts with the defaults
 * and must be given the parent's context (`hoursContextData()` → `setHoursContextData()`), since a
 * calendar is plain data.
 */
import {
  builtInCalendar,
  createHolidayCalendar,
  DEFAULT_TIME_ZONE,
  instantAt,
  localTimeAt,
  NO_HOLIDAYS,
  type CalendarDay,
  type HolidayCalendar,
} from '../../hours/index.js';

export interface HoursContext {
  /** IANA zone of the deployment (TIME_ZONE). */
  readonly timeZone: string;
  readonly calendar: HolidayCalendar;
  /**
   * `[lng, lat]` where sun events are computed for hours not tied to a station's position (the
   * live check of a value being typed): MAP_DEFAULT_CENTER, else the loaded areas' centre.
   */
  readonly location: readonly [number, number] | null;
}

let context: HoursContext = {
  timeZone: DEFAULT_TIME_ZONE,
  calendar: builtInCalendar(),
  location: null,
};

export function hoursContext(): HoursContext {
  return context;
}

export function setHoursContext(next: Partial<HoursContext>): void {
  context = Object.freeze({ ...context, ...next });
}

/** The context as structured-cloneable data, for a worker thread. */
export interface HoursContextData {
  timeZone: string;
  location: [number, number] | null;
  calendar: {
    id: string;
    publishedThrough: string | null;
    observesHolidays: boolean;
    days: CalendarDay[];
  };
}

/** Days of a calendar, for `hoursContextData`; kept beside the calendar when it is built. */
const daysOf = new WeakMap<HolidayCalendar, CalendarDay[]>();

export function calendarFromDays(
  id: string,
  days: CalendarDay[],
  publishedThrough: string | null,
): HolidayCalendar {
  const calendar = createHolidayCalendar({ id, days, publishedThrough });
  daysOf.set(calendar, days);
  return calendar;
}

export function hoursContextData(): HoursContextData {
  const { timeZone, calendar, location } = context;
  return {
    timeZone,
    location: location ? [location[0], location[1]] : null,
    calendar: {
      id: calendar.id,
      publishedThrough: calendar.publishedThrough,
      observesHolidays: calendar.observesHolidays,
      days: daysOf.get(calendar) ?? [],
    },
  };
}

export function setHoursContextData(data: HoursContextData): void {
  const { calendar } = data;
  setHoursContext({
    timeZone: data.timeZone,
    location: data.location,
    calendar: !calendar.observesHolidays
      ? NO_HOLIDAYS
      : calendar.id === builtInCalendar().id
        ? builtInCalendar()
        : calendarFromDays(calendar.id, calendar.days, calendar.publishedThrough),
  });
}

/** Local `YYYY-MM-DD` of an instant in the deployment's zone. */
export function deploymentDate(instant: Date | number): string {
  return localTimeAt(instant, context.timeZone).date;
}

/** Local `HH:MM` of an instant in the deployment's zone. */
export function deploymentTime(instant: Date | number): string {
  const minute = localTimeAt(instant, context.timeZone).minuteOfDay;
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** The instant the deployment's wall clock reads `date` 00:00 plus `minuteOfDay`. */
export function deploymentInstant(date: string, minuteOfDay = 0): Date {
  return new Date(instantAt(date, minuteOfDay, context.timeZone));
}
