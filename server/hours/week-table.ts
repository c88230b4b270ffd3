/** The rows of a station sheet: each local date's open intervals and what shaped them. */
import { planDay } from './day-plan.js';
import { closureSpans, segmentsOfPlan, timeZoneOf } from './timeline.js';
import type { StationSchedule, WeekTableDay } from './types.js';
import {
  addDays,
  formatMinuteOfDay,
  instantAt,
  localTimeAt,
  MINUTES_PER_DAY,
  parseLocalDate,
  weekdayOf,
} from './zone.js';

const MAX_DAYS = 366;

/**
 * `days` rows from local date `fromDate`. A range crossing midnight shows on both dates
 * (`22:00-06:00` is 00:00-06:00 and 22:00-24:00 of every day), which keeps each row truthful
 * about its own date.
 */
export function weekTable(schedule: StationSchedule, fromDate: string, days = 7): WeekTableDay[] {
  parseLocalDate(fromDate);
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new RangeError(`weekTable: days must be an integer from 1 to ${MAX_DAYS}, got ${days}`);
  }
  const timeZone = timeZoneOf(schedule);
  const closures = closureSpans(schedule.closures);

  const rows: WeekTableDay[] = [];
  for (let index = 0; index < days; index++) {
    const date = addDays(fromDate, index);
    const plan = planDay(schedule, date, timeZone);
    const dayEnd = instantAt(addDays(date, 1), 0, timeZone);
    const minuteOf = (instant: number) =>
      instant >= dayEnd ? MINUTES_PER_DAY : localTimeAt(instant, timeZone).minuteOfDay;

    const intervals: Array<{ from: number; to: number }> = [];
    let unknown = false;
    for (const segment of segmentsOfPlan(plan, timeZone, closures)) {
      if (segment.state === 'unknown') unknown = true;
      if (segment.state !== 'open') continue;
      const [from, to] = [minuteOf(segment.start), minuteOf(segment.end)];
      const last = intervals.at(-1);
      if (last && last.to === from) last.to = to;
      else intervals.push({ from, to });
    }

    const dayStart = instantAt(date, 0, timeZone);
    const closure = closures.find((span) => span.start < dayEnd && span.end > dayStart);
    const row: WeekTableDay = {
      date,
      weekday: weekdayOf(date),
      intervals: intervals.map(({ from, to }) => ({
        from: formatMinuteOfDay(from),
        to: formatMinuteOfDay(to),
      })),
      makeupWorkday: plan.makeupWorkday,
      unknown,
      closed: intervals.length === 0,
    };
    if (plan.holiday) row.holiday = plan.holiday;
    if (!plan.holidaysKnown) row.holidaysKnown = false;
    if (plan.override) row.override = plan.override.note ?? plan.override.opening_hours;
    if (closure) row.closure = closure.reason;
    rows.push(row);
  }
  return rows;
}
