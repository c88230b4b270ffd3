/**
 * An `opening_hours` value parsed once and evaluated one station-local day at a time, with public
 * holidays taken from the deployment's calendar (holiday-rewrite.ts), times read in the station's
 * zone (wall-clock.ts) and sun events at the station's position.
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

/** `[lng, lat]`, WGS-84: where sunrise, sunset, dawn and dusk are computed. */
export type SunLocation = readonly [number, number];

/** Values that name a sun event: only these depend on where the station is. */
const SUN_EVENT = /\b(sunrise|sunset|dawn|dusk)\b/i;

/**
 * Sun times move 4 min per degree east–west and at most a few minutes per degree north–south
 * (mid-latitudes, solstice); positions are rounded to 0.1° (≈ 11 km: well under a minute) so the
 * stations of one district share parsed forms instead of each parsing its own.
 */
const roundLocation = (location: SunLocation): SunLocation => [
  Math.round(location[0] * 10) / 10,
  Math.round(location[1] * 10) / 10,
];

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
    location?: SunLocation,
  ): DaySpan[];
  /** Whether the value names sunrise, sunset, dawn or dusk (its spans depend on the place). */
  readonly usesSun: boolean;
  /** Open around the clock on every day, holiday or not (checked over a year from `from`). */
  alwaysOpen(from: LocalDate): boolean;
}

/**
 * The library only reads lat/lon when they are strings (its types say number). A shifted
 * longitude corrects sun times for the process zone; see `processOffsetMinutes`.
 */
function locationFor(clockDifferenceMinutes: number, at: SunLocation): nominatim_object {
  let lng = at[0] - clockDifferenceMinutes / 4;
  lng = ((((lng + 180) % 360) + 360) % 360) - 180;
  const location = {
    lat: String(at[1]),
    lon: String(lng),
    address: { country_code: 'cn', state: '' },
  };
  return location as unknown as nominatim_object;
}

/**
 * Where the sun is taken when no position is given: on the equator, on the meridian of the zone's
 * offset, so sun events fall near 06:00/18:00 local time. Only for checking a value's syntax; the
 * server always passes the station's position (or the deployment's centre).
 */
const placeless = (zoneOffsetMinutesAtNoon: number): SunLocation => [zoneOffsetMinutesAtNoon / 4, 0];

/**
 * `SH` (school holidays) makes the library log to console.error and then fail, as it has no
 * school calendar for China; we fail first, with a message that says what to do instead.
 */
const SCHOOL_HOLIDAY = /\bSH\b/i;
const SCHOOL_HOLIDAY_ERROR =
  'School holidays (SH) are not defined for China; list the dates as a date override instead.';

const withoutComments = (value: string) => value.replace(/"[^"]*"/g, '');

/** Parses with the library; a failure is its message (thrown as a string) wrapped in an Error. */
function parse(value: string, clockDifferenceMinutes = 0, at: SunLocation = [0, 0]): OpeningHours {
  try {
    return new OpeningHours(value, locationFor(clockDifferenceMinutes, at));
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
  readonly usesSun: boolean;
  private readonly references: HolidayReferences | undefined;
  /**
   * Parsed variants keyed by settled value + sun correction (+ place, for sun values): a handful
   * per value, bounded for sun values used by stations all over a region.
   */
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
    this.usesSun = SUN_EVENT.test(withoutComments(this.normalized));
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
    location: SunLocation = [0, 0],
  ): OpeningHours {
    const value = this.references ? settleHolidays(this.references, isHoliday) : this.normalized;
    // Without a sun event neither the place nor the sun correction changes anything: one variant
    // (the one compiling already parsed) serves every station and zone.
    const at = this.usesSun ? roundLocation(location) : ([0, 0] as const);
    const correction = this.usesSun ? clockDifference : 0;
    const key = `${correction}|${at[0]},${at[1]}|${value}`;
    let parsed = this.variants.get(key);
    if (!parsed) {
      parsed = parse(value, correction, at);
      if (this.variants.size >= MAX_VARIANTS) this.variants.delete(this.variants.keys().next().value as string);
      this.variants.set(key, parsed);
    }
    return parsed;
  }

  spansOn(
    date: LocalDate,
    timeZone: string,
    isHoliday: (date: LocalDate) => boolean,
    ruleDate: LocalDate = date,
    location?: SunLocation,
  ): DaySpan[] {
    const evaluated = regularProcessDay(ruleDate);
    const stationOffset = zoneOffsetMinutes(instantAt(date, 720, timeZone), timeZone);
    const clockDifference = stationOffset - processOffsetMinutes(evaluated);
    const parsed = this.variant(
      (dayOffset) => isHoliday(addDays(date, dayOffset)),
      clockDifference,
      location ?? placeless(stationOffset),
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
/** Parsed variants kept per value (holiday worlds × sun corrections × places). */
const MAX_VARIANTS = 64;
const compiled = new Map<string, CompiledHours | Error>();

/** Whether `value` is in the parse cache (so evaluating it now costs no parse). */
export function isHoursCompiled(value: string): boolean {
  return compiled.has(value);
}

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
