/**
 * Which hours apply on one station-local date, before closures: a date override if one covers
 * the date, otherwise the weekly rule with the calendar's holidays and make-up workdays applied.
 */
import { compileHours, type DaySpan } from './compiled-hours.js';
import {
  builtInCalendar,
  holidayInfo,
  type HolidayCalendar,
  type HolidayInfo,
  type HolidayName,
} from './holidays.js';
import type { DateOverride, StateReason, StationSchedule } from './types.js';
import { addDays, MINUTES_PER_DAY, weekdayOf, type LocalDate } from './zone.js';

export interface DayPlan {
  date: LocalDate;
  reason: Exclude<StateReason, 'closure'>;
  /** Open/unknown spans; everything else in the day is closed. */
  spans: DaySpan[];
  holiday?: HolidayName;
  makeupWorkday: boolean;
  override?: DateOverride;
  /** False when `date` is after the calendar's published arrangement. */
  holidaysKnown: boolean;
}

export function calendarOf(schedule: StationSchedule): HolidayCalendar {
  return schedule.calendar ?? builtInCalendar();
}

const SATURDAY = 6;
const SUNDAY = 0;

/** The override covering `date`; when several do, the one listed last wins (the newest edit). */
export function overrideOn(
  overrides: DateOverride[] | undefined,
  date: LocalDate,
): DateOverride | undefined {
  for (let index = (overrides?.length ?? 0) - 1; index >= 0; index--) {
    const override = overrides![index]!;
    if (override.from <= date && date <= override.to) return override;
  }
  return undefined;
}

/**
 * The weekday whose rule a 调休 make-up workday follows: a Saturday works like the Friday before
 * it and a Sunday like the Monday after it, the neighbouring workday. So a station with
 * `Mo-Fr 08:00-18:00` opens on it, and one with shorter Friday hours keeps them on a Saturday.
 */
export function makeupRuleDate(date: LocalDate): LocalDate {
  const weekday = weekdayOf(date);
  if (weekday === SATURDAY) return addDays(date, -1);
  if (weekday === SUNDAY) return addDays(date, 1);
  return date;
}

function wholeDayUnknown(comment?: string): DaySpan[] {
  const span: DaySpan = { from: 0, to: MINUTES_PER_DAY, unknown: true };
  if (comment) span.comment = comment;
  return [span];
}

/** Named only on days off: a make-up workday carries its holiday's name but is not one. */
function holidayNameOf(info: HolidayInfo): HolidayName | undefined {
  if (!info.holiday || !info.name) return undefined;
  const name: HolidayName = info.nameEn ? { name: info.name, nameEn: info.nameEn } : { name: info.name };
  if (info.provisional) name.provisional = true;
  return name;
}

export function planDay(schedule: StationSchedule, date: LocalDate, timeZone: string): DayPlan {
  const calendar = calendarOf(schedule);
  const info = holidayInfo(date, calendar);
  const holiday = holidayNameOf(info);
  const base = {
    date,
    makeupWorkday: info.makeupWorkday,
    holidaysKnown: info.known !== false,
    ...(holiday ? { holiday } : {}),
  };
  const override = overrideOn(schedule.overrides, date);
  const value = override ? override.opening_hours : schedule.openingHours;
  if (value === null || value.trim() === '') {
    return { ...base, reason: 'none', spans: wholeDayUnknown() };
  }

  let hours;
  try {
    hours = compileHours(value);
  } catch (error) {
    // Stored hours should have passed validateOpeningHours; if not, say unknown, never guess.
    return { ...base, reason: 'none', spans: wholeDayUnknown((error as Error).message) };
  }

  const ruleDate = info.makeupWorkday ? makeupRuleDate(date) : date;
  const isHoliday = (day: LocalDate) => holidayInfo(day, calendar).holiday;
  const spans = hours.spansOn(date, timeZone, isHoliday, ruleDate, schedule.location);
  if (override) return { ...base, reason: 'override', spans, override };

  const dependsOnHoliday = hours.holidayDayOffsets.some(
    (dayOffset) => isHoliday(addDays(date, dayOffset)),
  );
  const reason = dependsOnHoliday || ruleDate !== date ? 'holiday' : 'weekly';
  return { ...base, reason, spans };
}
