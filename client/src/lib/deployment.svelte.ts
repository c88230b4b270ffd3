/**
 * The deployment's zone and holiday calendar, from /api/meta and /api/holidays: every local date
 * or time the client shows is read in the deployment's zone (not the browser's, not Beijing's),
 * and dates past the published holiday arrangement are said to be so.
 */
import {
  createHolidayCalendar,
  holidayInfo,
  type CalendarDay,
  type HolidayCalendar,
  type HolidayInfo,
} from '../../../server/hours/holidays.js';
import { apiGet } from './api/http.js';

interface Meta {
  time_zone: string;
  holiday_calendar: { calendar: string; version: string; published_through: string | null };
}

interface YearList {
  days: Array<{ date: string; kind: 'holiday' | 'workday'; name: string; name_en: string | null }>;
}

export const deployment = $state({
  /** IANA zone; undefined (the browser's) only until /api/meta answers. */
  timeZone: undefined as string | undefined,
  calendarName: 'cn',
  publishedThrough: null as string | null,
  calendar: null as HolidayCalendar | null,
  loaded: false,
});

let loading: Promise<void> | null = null;

/** Loads the zone and the calendar (this year ± 1) once; later calls share the first. */
export function loadDeployment(): Promise<void> {
  loading ??= (async () => {
    const meta = await apiGet<Meta>('/api/meta');
    deployment.timeZone = meta.time_zone;
    deployment.calendarName = meta.holiday_calendar.calendar;
    deployment.publishedThrough = meta.holiday_calendar.published_through;
    const year = Number(localDate(new Date()).slice(0, 4));
    const lists = await Promise.all(
      [year - 1, year, year + 1].map((y) => apiGet<YearList>(`/api/holidays?year=${y}`)),
    );
    const days: CalendarDay[] = lists.flatMap((l) =>
      l.days.map((d) => ({ date: d.date, kind: d.kind, name: d.name, nameEn: d.name_en })),
    );
    deployment.calendar = createHolidayCalendar({
      id: meta.holiday_calendar.version,
      days,
      publishedThrough: meta.holiday_calendar.published_through,
      observesHolidays: meta.holiday_calendar.calendar !== 'none',
    });
    deployment.loaded = true;
  })().catch((error) => {
    loading = null;
    throw error;
  });
  return loading;
}

/** Local YYYY-MM-DD of an instant in the deployment's zone. */
export function localDate(instant: Date | string | number): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: deployment.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(instant));
}

/** The local hour (0-23) of an instant in the deployment's zone. */
export function localHour(instant: Date = new Date()): number {
  return Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: deployment.timeZone, hour: '2-digit', hourCycle: 'h23' }).format(instant),
  );
}

/** Short local date and time, e.g. 2026/11/28 10:00, in the deployment's zone. */
export function localDateTime(instant: string | Date, locale = 'zh-CN'): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: deployment.timeZone,
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(instant));
}

/** Minutes the deployment's clock is ahead of UTC at `instant` (for datetime-local inputs). */
export function zoneOffsetMinutes(instant: Date | number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: deployment.timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(instant));
  const f = Object.fromEntries(parts.filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(f.year!, f.month! - 1, f.day!, f.hour!, f.minute!);
  return Math.round((wall - Math.floor(Number(new Date(instant)) / 60_000) * 60_000) / 60_000);
}

/** Holiday facts of a local date from the deployment's calendar (null until loaded). */
export function dayInfo(date: string): HolidayInfo | null {
  return deployment.calendar ? holidayInfo(date, deployment.calendar) : null;
}

/** The year whose arrangement is missing when `date` is past the published one, else null. */
export function unpublishedYear(date: string): number | null {
  if (deployment.calendarName === 'none' || !deployment.loaded) return null;
  const through = deployment.publishedThrough;
  return through === null || date > through ? Number(date.slice(0, 4)) : null;
}
