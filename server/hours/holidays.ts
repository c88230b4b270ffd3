/**
 * Holiday calendars: official days off and 调休 make-up workdays as data, passed into the engine.
 *
 * A calendar holds the days published so far (the State Council's yearly notices, kept current by
 * admins) and the last date they cover (`publishedThrough`). After that date the arrangement is not
 * known: the statutory festival days (provisional.ts) count as holidays marked `provisional`, and
 * make-up workdays stay unknown. The engine never reads a database: callers pass a calendar in
 * (StationSchedule.calendar); without one it uses `builtInCalendar()`, the `chinese-days` package's
 * data, which is what a fresh database is seeded with.
 *
 * We read the package's static JSON, not its functions: the functions build their date keys by
 * parsing "2026-2-15" as UTC midnight and formatting it with local getters, so in any process
 * zone west of Greenwich (TZ=America/New_York) every holiday lands one day early.
 */
import calendarJson from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { provisionalHolidaysOf } from './provisional.js';
import { parseLocalDate, type LocalDate } from './zone.js';

export interface HolidayName {
  /** Chinese name, e.g. 春节 */
  name: string;
  /** English name, e.g. Spring Festival */
  nameEn?: string;
  /** A statutory festival day after the published arrangement: expected off, not yet announced. */
  provisional?: true;
}

export interface HolidayInfo {
  /** An official day off (including weekends that fall inside a holiday period). */
  holiday: boolean;
  name?: string;
  nameEn?: string;
  /** A Saturday or Sunday declared a workday to make up for a bridge day (调休上班). */
  makeupWorkday: boolean;
  /** Present (false) only for dates after the calendar's published arrangement. */
  known?: false;
  /** Present (true) when `holiday` is a statutory festival day not yet in a published notice. */
  provisional?: true;
}

/** One published day of a calendar. */
export interface CalendarDay {
  date: LocalDate;
  kind: 'holiday' | 'workday';
  /** Chinese name (for a workday: the holiday it makes up for). */
  name: string;
  nameEn?: string | null;
}

export interface HolidayCalendar {
  /** Changes whenever the content does; part of every cached answer's key. */
  readonly id: string;
  /** Last date the published arrangement covers; null when nothing is published. */
  readonly publishedThrough: LocalDate | null;
  /** False for a deployment that observes no public holidays (HOLIDAY_CALENDAR=none). */
  readonly observesHolidays: boolean;
  /** The published day, if `date` is a holiday or make-up workday. */
  publishedDay(date: LocalDate): CalendarDay | undefined;
}

export interface CalendarOptions {
  id: string;
  days: Iterable<CalendarDay>;
  publishedThrough: LocalDate | null;
  observesHolidays?: boolean;
}

export function createHolidayCalendar(options: CalendarOptions): HolidayCalendar {
  const byDate = new Map<LocalDate, CalendarDay>();
  for (const day of options.days) byDate.set(day.date, day);
  if (options.publishedThrough !== null) parseLocalDate(options.publishedThrough);
  return Object.freeze({
    id: options.id,
    publishedThrough: options.publishedThrough,
    observesHolidays: options.observesHolidays ?? true,
    publishedDay: (date: LocalDate) => byDate.get(date),
  });
}

/** A calendar with no holidays at all, every day known (HOLIDAY_CALENDAR=none). */
export const NO_HOLIDAYS: HolidayCalendar = Object.freeze({
  id: 'none',
  publishedThrough: null,
  observesHolidays: false,
  publishedDay: () => undefined,
});

/** Splits "Spring Festival,春节,4" into its Chinese and English names. */
function parseHolidayName(raw: string): HolidayName | undefined {
  const parts = raw.split(',');
  if (parts.length < 2) return undefined;
  if (/^\d+$/.test(parts[parts.length - 1] ?? '')) parts.pop();
  const name = parts.pop() ?? '';
  const nameEn = parts.join(',');
  return nameEn ? { name, nameEn } : { name };
}

/** The `chinese-days` package's days, as seeded into a new database. */
export function builtInCalendarDays(): CalendarDay[] {
  const data = calendarJson as { holidays: Record<string, string>; workdays: Record<string, string> };
  const days: CalendarDay[] = [];
  for (const [kind, table] of [
    ['holiday', data.holidays],
    ['workday', data.workdays],
  ] as const) {
    for (const [date, raw] of Object.entries(table)) {
      const named = parseHolidayName(raw);
      if (named) days.push({ date, kind, name: named.name, nameEn: named.nameEn ?? null });
    }
  }
  return days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** Dec 31 of the last year in `days` with at least one holiday, or null. */
export function lastPublishedYearEnd(days: CalendarDay[]): LocalDate | null {
  let last = 0;
  for (const day of days) if (day.kind === 'holiday') last = Math.max(last, Number(day.date.slice(0, 4)));
  return last ? `${last}-12-31` : null;
}

let builtIn: HolidayCalendar | undefined;

/** The `chinese-days` data as a calendar, published through the end of its last year. */
export function builtInCalendar(): HolidayCalendar {
  if (!builtIn) {
    const days = builtInCalendarDays();
    builtIn = createHolidayCalendar({
      id: 'chinese-days',
      days,
      publishedThrough: lastPublishedYearEnd(days),
    });
  }
  return builtIn;
}

/** Whether `date` lies after the calendar's published arrangement. */
export function isUnpublished(date: LocalDate, calendar: HolidayCalendar): boolean {
  if (!calendar.observesHolidays) return false;
  return calendar.publishedThrough === null || date > calendar.publishedThrough;
}

/** Whether `date` is an official holiday or make-up workday, and its name. */
export function holidayInfo(date: LocalDate, calendar: HolidayCalendar = builtInCalendar()): HolidayInfo {
  parseLocalDate(date);
  if (isUnpublished(date, calendar)) {
    const provisional = provisionalHolidaysOf(Number(date.slice(0, 4))).get(date);
    if (!provisional) return { holiday: false, makeupWorkday: false, known: false };
    return { holiday: true, ...provisional, makeupWorkday: false, known: false, provisional: true };
  }
  const day = calendar.publishedDay(date);
  if (!day) return { holiday: false, makeupWorkday: false };
  return {
    holiday: day.kind === 'holiday',
    name: day.name,
    ...(day.nameEn ? { nameEn: day.nameEn } : {}),
    makeupWorkday: day.kind === 'workday',
  };
}

export function isPublicHoliday(date: LocalDate, calendar?: HolidayCalendar): boolean {
  return holidayInfo(date, calendar).holiday;
}
