/**
 * An `opening_hours` value parsed once and evaluated one station-local day at a time, with public
 * holidays taken from China's calendar (holiday-rewrite.ts) and times read in the station's zone
 * (wall-clock.ts).
 */
import OpeningHours, { type nominatim_object } from 'opening_hours';
import {
  findHolidayReferences,
  settleHolidays,
  type HolidayReferences,
} from './holiday-rewrite.js';
import {
  minutesSinceWallClockMidnight,
  processOffsetMinutes,
  processZoneKey,
  regularProcessDay,
  wallClockDate,
} from './wall-clock.js';
import { addDays, MINUTES_PER_DAY, zoneOffsetMinutes, instantAt, type LocalDate } from './zone.js';

/** Where sunrise/sunset are computed: central Beijing, `[lng, lat]`. */
const BEIJING_LNG_LAT: readonly [number, number] = [116.4074, 39.9042];

/** A stretch of one local day in minutes since midnight (`to` ≤ 1440), open or unknown. */
export interface DaySpan {
  from: number;
  to: number;
  /** The library's "unknown" state: open end, a bare comment, a `||` fallback comment, … */
  unknown: boolean;
  comment?: string;
}

export interface CompiledHours {
  /** The library's normalised form of the value. */
  readonly normalized: string;
  readonly warnings: string[];
  /** Relative days whose holiday status the value depends on (see holiday-rewrite.ts). */
  readonly holidayDayOffsets: readonly number[];
  /**
   * Open/unknown spans of local day `date`, with PH settled for `date` by `isHoliday` and the
   * rule read on `ruleDate` (normally `date`; the stand-in weekday for a make-up workday).
   */
  spansOn(
    date: LocalDate,
    timeZone: string,
    isHoliday: (date: LocalDate) => boolean,
    ruleDate?: LocalDate,
  ): DaySpan[];
  /** Open around the clock on every day, holiday or not (checked over a year from `from`). */
  alwaysOpen(from: LocalDate): boolean;
}

/**
 * The library only reads lat/lon when they are strings (its types say number). A shifted
 * longitude corrects sun times for the process zone; see `processOffsetMinutes`.
 */
function locationFor(clockDifferenceMinutes: number): nominatim_object {
  let lng = BEIJING_LNG_LAT[0] - clockDifferenceMinutes / 4;
  lng = ((((lng + 180) % 360) + 360) % 360) - 180;
  const location = {
    lat: String(BEIJING_LNG_LAT[1]),
    lon: String(lng),
    address: { country_code: 'cn', state: '' },
  };
  return location as unknown as nominatim_object;
}

/**
 * `SH` (school holidays) makes the library log to console.error and then fail, as it has no
 * school calendar for China; we fail first, with a message that says what to do instead.
 */
const SCHOOL_HOLIDAY = /\bSH\b/i;
const SCHOOL_HOLIDAY_ERROR =
  'School holidays (SH) are not defined for China; list the dates as a date override instead.';

const withoutComments = (value: string) => value.replace(/"[^"]*"/g, '');

/** Parses with the library; a failure is its message (thrown as a string) wrapped in an Error. */
function parse(value: string, clockDifferenceMinutes = 0): OpeningHours {
  try {
    return new OpeningHours(value, locationFor(clockDifferenceMinutes));
  } catch (error) {
    const message = typeof error === 'string' ? error : (error as Error).message;
    throw new Error(String(message).trim());
  }
}

function ruleTextsOf(parsed: OpeningHours): string[] {
  const texts: string[] = [];
  for (let index = 0; ; index++) {
    const text = parsed.prettifyValue({ rule_index: index });
    if (!text) return texts;
    texts.push(text);
  }
}

class LibraryBackedHours implements CompiledHours {
  readonly normalized: string;
  readonly warnings: string[];
  readonly holidayDayOffsets: readonly number[];
  private readonly references: HolidayReferences | undefined;
  /** Parsed variants keyed by settled value + sun correction; a handful per value at most. */
  private readonly variants = new Map<string, OpeningHours>();

  constructor(value: string) {
    if (SCHOOL_HOLIDAY.test(withoutComments(value))) throw new Error(SCHOOL_HOLIDAY_ERROR);
    const parsed = parse(value);
    this.normalized = parsed.prettifyValue();
    this.warnings = parsed.getWarnings();
    this.references = findHolidayReferences(this.normalized, ruleTextsOf(parsed));
    if (!this.references && /\bPH\b/.test(withoutComments(this.normalized))) {
      throw new Error(`Cannot resolve public holidays (PH) in "${this.normalized}"`);
    }
    this.holidayDayOffsets = this.references?.dayOffsets ?? [];
    // Every variant must parse, so that evaluation can never fail after compiling succeeded.
    for (const world of this.allHolidayWorlds()) this.variant(world, 0);
  }

  /** Every combination of holiday answers the value can ask about (at most 2³). */
  private allHolidayWorlds(): Array<(dayOffset: number) => boolean> {
    const offsets = this.holidayDayOffsets;
    const worlds: Array<(dayOffset: number) => boolean> = [];
    for (let mask = 0; mask < 1 << offsets.length; mask++) {
      worlds.push((dayOffset) => {
        const bit = offsets.indexOf(dayOffset);
        return bit >= 0 && (mask & (1 << bit)) !== 0;
      });
    }
    return worlds;
  }

  private variant(
    isHoliday: (dayOffset: number) => boolean,
    clockDifference: number,
  ): OpeningHours {
    const value = this.references ? settleHolidays(this.references, isHoliday) : this.normalized;
    const key = `${clockDifference}|${value}`;
    let parsed = this.variants.get(key);
    if (!parsed) {
      parsed = parse(value, clockDifference);
      this.variants.set(key, parsed);
    }
    return parsed;
  }

  spansOn(
    date: LocalDate,
    timeZone: string,
    isHoliday: (date: LocalDate) => boolean,
    ruleDate: LocalDate = date,
  ): DaySpan[] {
    const evaluated = regularProcessDay(ruleDate);
    const stationOffset = zoneOffsetMinutes(instantAt(date, 720, timeZone), timeZone);
    const clockDifference = stationOffset - processOffsetMinutes(evaluated);
    const parsed = this.variant(
      (dayOffset) => isHoliday(addDays(date, dayOffset)),
      clockDifference,
    );
    const intervals = parsed.getOpenIntervals(
      wallClockDate(evaluated),
      wallClockDate(addDays(evaluated, 1)),
    );
    return intervals.map(([from, to, unknown, comment]) => {
      const span: DaySpan = {
        from: Math.max(0, minutesSinceWallClockMidnight(evaluated, from)),
        to: Math.min(MINUTES_PER_DAY, minutesSinceWallClockMidnight(evaluated, to)),
        unknown,
      };
      if (comment) span.comment = comment;
      return span;
    });
  }

  /** Answers per start date (a year of evaluation each); a new day brings a new key. */
  private readonly alwaysOpenFrom = new Map<string, boolean>();

  alwaysOpen(from: LocalDate): boolean {
    // The process zone is part of the key: the library evaluates in it (see wall-clock.ts).
    const key = `${processZoneKey()}|${from}`;
    let answer = this.alwaysOpenFrom.get(key);
    if (answer === undefined) {
      answer = this.evaluateAlwaysOpen(from);
      if (this.alwaysOpenFrom.size >= 8) this.alwaysOpenFrom.clear();
      this.alwaysOpenFrom.set(key, answer);
    }
    return answer;
  }

  private evaluateAlwaysOpen(from: LocalDate): boolean {
    const start = wallClockDate(from);
    const yearLater = wallClockDate(addDays(from, 366));
    return this.allHolidayWorlds().every((world) => {
      const parsed = this.variant(world, 0);
      return (
        parsed.getState(start) &&
        !parsed.getUnknown(start) &&
        parsed.getNextChange(start, yearLater) === undefined
      );
    });
  }
}

// Stations share a few dozen distinct values; keep the parsed forms, bounded.
const MAX_CACHED_VALUES = 2000;
const compiled = new Map<string, CompiledHours | Error>();

/** Parses `value` (cached). Throws an Error carrying the library's message if it is invalid. */
export function compileHours(value: string): CompiledHours {
  let entry = compiled.get(value);
  if (!entry) {
    try {
      entry = new LibraryBackedHours(value);
    } catch (error) {
      entry = error instanceof Error ? error : new Error(String(error));
    }
    if (compiled.size >= MAX_CACHED_VALUES) {
      compiled.delete(compiled.keys().next().value as string);
    }
    compiled.set(value, entry);
  }
  if (entry instanceof Error) throw entry;
  return entry;
}
