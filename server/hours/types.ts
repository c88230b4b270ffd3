/** Public shapes of the opening-hours engine. */
import type { HolidayCalendar, HolidayName } from './holidays.js';

/** Different hours for a run of local dates (Spring Festival, a heat-wave extension, …). */
export interface DateOverride {
  /** First local date, YYYY-MM-DD. */
  from: string;
  /** Last local date, inclusive. */
  to: string;
  /** OSM opening_hours syntax, applied on those dates instead of the weekly rule. */
  opening_hours: string;
  note?: string;
}

/** A temporary closure between two instants; beats every other rule. */
export interface Closure {
  /** ISO 8601 instant, e.g. 2026-12-01T09:00:00+08:00 */
  from: string;
  /** ISO 8601 instant, exclusive. */
  to: string;
  reason: string;
}

export interface StationSchedule {
  /** OSM opening_hours syntax; null when the station has not published hours. */
  openingHours: string | null;
  overrides?: DateOverride[];
  closures?: Closure[];
  /** IANA zone the hours are written in: the deployment's TIME_ZONE (DEFAULT_TIME_ZONE if absent). */
  timeZone?: string;
  /** Public holidays and make-up workdays; `builtInCalendar()` if absent. */
  calendar?: HolidayCalendar;
  /**
   * `[lng, lat]` (WGS-84) where sunrise/sunset/dawn/dusk are computed: the station's position, or
   * the deployment's centre. Absent: a placeless sun (about 06:00/18:00), good for syntax only.
   */
  location?: readonly [number, number];
}

/** What decided the state: closure > date override > weekly rule (with holidays) > nothing. */
export type StateReason = 'weekly' | 'holiday' | 'override' | 'closure' | 'none';

export interface ScheduleState {
  open: boolean;
  /** No hours published, unparsable hours, or the library's "unknown" state. */
  unknown: boolean;
  /** When `open`/`unknown` next changes, within NEXT_CHANGE_HORIZON_DAYS; null if not. */
  nextChange: Date | null;
  /** Whether the station is open after `nextChange`; null when there is no change. */
  nextOpen: boolean | null;
  reason: StateReason;
  /** The official holiday on the station's local date, whether or not the hours depend on it. */
  holiday?: HolidayName;
  /** The rule's comment, or a date override's note. */
  comment?: string;
  /** The closure in force; `until` is the end of the run of back-to-back closures. */
  closure?: { reason: string; until: Date };
  /** Zone used for the evaluation; describeState prints times in it. */
  timeZone: string;
  /**
   * Present (false) when the instant's local date is after the calendar's published arrangement:
   * statutory festivals count as provisional holidays, bridge days and make-up workdays are unknown.
   */
  holidaysKnown?: false;
}

/** One row of a station sheet. Times are station-local; `to` may be '24:00'. */
export interface WeekTableDay {
  date: string;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  intervals: Array<{ from: string; to: string }>;
  holiday?: HolidayName;
  makeupWorkday: boolean;
  /** The override's note (or its hours when it has no note) if one applies that day. */
  override?: string;
  /** Reason of a closure overlapping that day. */
  closure?: string;
  /** No hours known that day (none published, unparsable, or the library's unknown state). */
  unknown: boolean;
  /** No open interval at all that day. */
  closed: boolean;
  /** Present (false) for a date after the calendar's published arrangement. */
  holidaysKnown?: false;
}
