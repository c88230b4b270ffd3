/** Is a station open at an instant, and when does that change? */
import {
  appendMerged,
  closedUntil,
  closureSpans,
  segmentsFrom,
  timeZoneOf,
  type Segment,
} from './timeline.js';
import type { ScheduleState, StationSchedule } from './types.js';
import { MS_PER_DAY } from './zone.js';

/**
 * How far ahead to look for the next change. The longest official break so far is nine days
 * (春节 2026: 15-23 Feb), so a station closed for all of it still shows when it reopens.
 */
export const NEXT_CHANGE_HORIZON_DAYS = 10;

export function scheduleStateAt(schedule: StationSchedule, instant: Date): ScheduleState {
  const from = instant.getTime();
  if (!Number.isFinite(from)) throw new RangeError('scheduleStateAt: instant is an invalid Date');
  const horizon = from + NEXT_CHANGE_HORIZON_DAYS * MS_PER_DAY;

  const merged: Segment[] = [];
  let change: Segment | undefined;
  for (const segment of segmentsFrom(schedule, from)) {
    if (segment.start >= horizon) break;
    appendMerged(merged, segment);
    if (segment.state !== merged[0]!.state) {
      change = segment;
      break;
    }
  }

  const current = merged[0]!;
  const state: ScheduleState = {
    open: current.state === 'open',
    unknown: current.state === 'unknown',
    nextChange: change ? new Date(change.start) : null,
    nextOpen: change ? change.state === 'open' : null,
    reason: current.reason,
    timeZone: timeZoneOf(schedule),
  };
  if (current.holiday) state.holiday = current.holiday;
  if (current.unpublished) state.holidaysKnown = false;
  if (current.comment) state.comment = current.comment;
  if (current.closureReason !== undefined) {
    const until = closedUntil(closureSpans(schedule.closures), from);
    state.closure = { reason: current.closureReason, until: new Date(until) };
  }
  return state;
}
