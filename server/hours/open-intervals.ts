/** Open spans for planners, and the "always open" shortcut. */
import { compileHours } from './compiled-hours.js';
import { closureSpans, timelineBetween, timeZoneOf } from './timeline.js';
import type { StationSchedule } from './types.js';
import { localTimeAt } from './zone.js';

/**
 * The spans in [from, to) when the station is open (not closed, not unknown), merged across
 * midnight and across rule boundaries, clipped to the window.
 */
export function openIntervals(
  schedule: StationSchedule,
  from: Date,
  to: Date,
): Array<[Date, Date]> {
  const spans: Array<[Date, Date]> = [];
  for (const segment of timelineBetween(schedule, from.getTime(), to.getTime())) {
    if (segment.state !== 'open') continue;
    const last = spans.at(-1);
    if (last && last[1].getTime() === segment.start) {
      last[1] = new Date(segment.end);
    } else {
      spans.push([new Date(segment.start), new Date(segment.end)]);
    }
  }
  return spans;
}

function alwaysOpenValue(value: string | null, fromDate: string): boolean {
  if (value === null) return false;
  try {
    return compileHours(value).alwaysOpen(fromDate);
  } catch {
    return false;
  }
}

/**
 * True when the station is open around the clock from `now` on: a 24/7-equivalent weekly rule
 * (holidays included), no closure still to come, and no current or future override that closes.
 */
export function isAlwaysOpen(schedule: StationSchedule, now: Date = new Date()): boolean {
  const today = localTimeAt(now, timeZoneOf(schedule)).date;
  if (closureSpans(schedule.closures).some((span) => span.end > now.getTime())) return false;
  const futureOverrides = (schedule.overrides ?? []).filter((override) => override.to >= today);
  return (
    alwaysOpenValue(schedule.openingHours, today) &&
    futureOverrides.every((override) => alwaysOpenValue(override.opening_hours, today))
  );
}
