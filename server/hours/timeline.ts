/**
 * A station's schedule as a sequence of absolute segments (open / closed / unknown), built one
 * local day at a time, with temporary closures laid over everything else.
 */
import { calendarOf, planDay, type DayPlan } from './day-plan.js';
import type { HolidayName } from './holidays.js';
import type { Closure, StateReason, StationSchedule } from './types.js';
import { processZoneKey } from './wall-clock.js';
import {
  addDays,
  DEFAULT_TIME_ZONE,
  instantAt,
  localTimeAt,
  MINUTES_PER_DAY,
  type LocalDate,
} from './zone.js';

export type SegmentState = 'open' | 'closed' | 'unknown';

export interface Segment {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
  state: SegmentState;
  reason: StateReason;
  comment?: string;
  holiday?: HolidayName;
  closureReason?: string;
  /** The day is after the calendar's published arrangement. */
  unpublished?: true;
}

export interface ClosureSpan {
  start: number;
  end: number;
  reason: string;
}

export function timeZoneOf(schedule: StationSchedule): string {
  return schedule.timeZone ?? DEFAULT_TIME_ZONE;
}

/** Valid closures as epoch-ms spans, in start order; unparsable or empty ones are ignored. */
export function closureSpans(closures: Closure[] | undefined): ClosureSpan[] {
  const spans: ClosureSpan[] = [];
  for (const closure of closures ?? []) {
    const start = Date.parse(closure.from);
    const end = Date.parse(closure.to);
    if (Number.isFinite(start) && Number.isFinite(end) && start < end) {
      spans.push({ start, end, reason: closure.reason });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** The end of the run of overlapping or back-to-back closures that covers `instant`. */
export function closedUntil(spans: ClosureSpan[], instant: number): number {
  let until = instant;
  let extended = true;
  while (extended) {
    extended = false;
    for (const span of spans) {
      if (span.start <= until && span.end > until) {
        until = span.end;
        extended = true;
      }
    }
  }
  return until;
}

/** Cuts `segment` wherever a closure starts or ends inside it; covered pieces become closures. */
function overlayClosures(segment: Segment, spans: ClosureSpan[]): Segment[] {
  const cuts = new Set([segment.start, segment.end]);
  for (const span of spans) {
    if (span.start > segment.start && span.start < segment.end) cuts.add(span.start);
    if (span.end > segment.start && span.end < segment.end) cuts.add(span.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const pieces: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [start, end] = [points[i]!, points[i + 1]!];
    // Where closures overlap, the one that started last names the reason.
    const covering = spans.filter((span) => span.start <= start && span.end >= end).at(-1);
    if (!covering) {
      pieces.push({ ...segment, start, end });
      continue;
    }
    const closed: Segment = {
      start,
      end,
      state: 'closed',
      reason: 'closure',
      closureReason: covering.reason,
    };
    if (segment.holiday) closed.holiday = segment.holiday;
    if (segment.unpublished) closed.unpublished = true;
    pieces.push(closed);
  }
  return pieces;
}

/** The segments of one planned local day, 00:00 to 24:00 in `timeZone`, closures applied. */
export function segmentsOfPlan(
  plan: DayPlan,
  timeZone: string,
  closures: ClosureSpan[],
): Segment[] {
  const shared = {
    reason: plan.reason,
    ...(plan.holiday ? { holiday: plan.holiday } : {}),
    ...(plan.holidaysKnown ? {} : { unpublished: true as const }),
  };
  const note = plan.override?.note;
  const at = (minute: number) => instantAt(plan.date, minute, timeZone);

  const segments: Segment[] = [];
  const closedBetween = (from: number, to: number) => {
    if (to <= from) return;
    const closed: Segment = { start: at(from), end: at(to), state: 'closed', ...shared };
    if (note) closed.comment = note;
    segments.push(closed);
  };
  let cursor = 0;
  for (const span of [...plan.spans].sort((a, b) => a.from - b.from)) {
    if (span.to <= cursor) continue;
    closedBetween(cursor, span.from);
    const segment: Segment = {
      start: at(Math.max(span.from, cursor)),
      end: at(span.to),
      state: span.unknown ? 'unknown' : 'open',
      ...shared,
    };
    const comment = span.comment ?? note;
    if (comment) segment.comment = comment;
    segments.push(segment);
    cursor = span.to;
  }
  closedBetween(cursor, MINUTES_PER_DAY);
  return segments.flatMap((segment) => overlayClosures(segment, closures));
}

/** The segments of one local day in the station's zone. */
export function daySegments(
  schedule: StationSchedule,
  date: LocalDate,
  closures: ClosureSpan[] = closureSpans(schedule.closures),
): Segment[] {
  const timeZone = timeZoneOf(schedule);
  return segmentsOfPlan(planDay(schedule, date, timeZone), timeZone, closures);
}

function sameState(a: Segment, b: Segment): boolean {
  return (
    a.state === b.state &&
    a.reason === b.reason &&
    a.comment === b.comment &&
    a.holiday?.name === b.holiday?.name &&
    a.holiday?.provisional === b.holiday?.provisional &&
    a.closureReason === b.closureReason &&
    a.unpublished === b.unpublished
  );
}

/** Appends `segment`, extending the last one instead when nothing visible changes. */
export function appendMerged(segments: Segment[], segment: Segment): void {
  const last = segments.at(-1);
  if (last && last.end === segment.start && sameState(last, segment)) {
    last.end = segment.end;
  } else {
    segments.push({ ...segment });
  }
}

/**
 * Day segments are a pure function of the schedule's text (hours, overrides, closures, zone,
 * holiday calendar version), the
 * date and the process zone (the library evaluates in it; see wall-clock.ts), so they are kept in
 * a bounded LRU keyed by exactly that. Nothing can go stale: an edited station has a new key.
 * A 24/7 station needs ten days of evaluation to learn it never changes; with the cache a request
 * pays that once a day per distinct schedule, not twice per station.
 */
const MAX_CACHED_DAYS = 20_000;
const cachedDays = new Map<string, readonly Segment[]>();

/** Identifies everything `daySegments` reads from a schedule, except the date. */
export function scheduleKey(schedule: StationSchedule): string {
  return [
    processZoneKey(),
    timeZoneOf(schedule),
    calendarOf(schedule).id,
    schedule.openingHours ?? '\u0000null',
    schedule.overrides?.length ? JSON.stringify(schedule.overrides) : '',
    schedule.closures?.length ? JSON.stringify(schedule.closures) : '',
  ].join('\u0001');
}

/** A get/set Map that forgets the least recently used entry beyond `limit`. */
function lruGet<V>(cache: Map<string, V>, key: string, limit: number, compute: () => V): V {
  let value = cache.get(key);
  if (value !== undefined) {
    cache.delete(key); // re-inserted below: now the most recently used
  } else {
    value = compute();
    if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
  }
  cache.set(key, value);
  return value;
}

function freezeSegment(segment: Segment): Segment {
  if (segment.holiday) Object.freeze(segment.holiday);
  return Object.freeze(segment);
}

/** `daySegments` through the LRU; the segments are frozen, as callers share them. */
function cachedDaySegments(
  schedule: StationSchedule,
  key: string,
  date: LocalDate,
  closures: () => ClosureSpan[],
): readonly Segment[] {
  return lruGet(cachedDays, `${date}\u0001${key}`, MAX_CACHED_DAYS, () =>
    Object.freeze(daySegments(schedule, date, closures()).map(freezeSegment)),
  );
}

/**
 * Days read at once from a start date: enough for the next-change horizon of `scheduleStateAt`
 * (10 days from any time of the first day, plus one for a DST day on the way), so a state costs
 * one cache look-up instead of a walk over up to eleven days.
 */
const DAYS_PER_RUN = 12;
const MAX_CACHED_RUNS = 5_000;
const cachedRuns = new Map<string, readonly Segment[]>();

function cachedRunOfDays(
  schedule: StationSchedule,
  key: string,
  date: LocalDate,
  closures: () => ClosureSpan[],
): readonly Segment[] {
  return lruGet(cachedRuns, `${date}\u0001${key}`, MAX_CACHED_RUNS, () => {
    const run: Segment[] = [];
    for (let day = 0; day < DAYS_PER_RUN; day++) {
      run.push(...cachedDaySegments(schedule, key, addDays(date, day), closures));
    }
    return Object.freeze(run);
  });
}

/** Index of the first segment ending after `instant` (segments are in time order). */
function firstEndingAfter(segments: readonly Segment[], instant: number): number {
  let [low, high] = [0, segments.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (segments[middle]!.end <= instant) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Segments covering [from, …) day by day, clipped at `from`. The caller stops iterating when it
 * has seen enough; the first twelve days come from one cached run, later ones a day at a time.
 * Yielded segments are shared (frozen): copy before changing one.
 */
export function* segmentsFrom(schedule: StationSchedule, from: number): Generator<Segment> {
  let spans: ClosureSpan[] | undefined;
  const closures = () => (spans ??= closureSpans(schedule.closures));
  const key = scheduleKey(schedule);
  const firstDate = localTimeAt(from, timeZoneOf(schedule)).date;
  const run = cachedRunOfDays(schedule, key, firstDate, closures);
  for (let index = firstEndingAfter(run, from); index < run.length; index++) {
    const segment = run[index]!;
    yield segment.start < from ? { ...segment, start: from } : segment;
  }
  for (let date = addDays(firstDate, DAYS_PER_RUN); ; date = addDays(date, 1)) {
    for (const segment of cachedDaySegments(schedule, key, date, closures)) {
      if (segment.end <= from) continue;
      yield segment.start < from ? { ...segment, start: from } : segment;
    }
  }
}

/** Merged segments covering [from, to). */
export function timelineBetween(schedule: StationSchedule, from: number, to: number): Segment[] {
  const segments: Segment[] = [];
  if (!(from < to)) return segments;
  for (const segment of segmentsFrom(schedule, from)) {
    if (segment.start >= to) break;
    appendMerged(segments, segment.end > to ? { ...segment, end: to } : segment);
  }
  return segments;
}
