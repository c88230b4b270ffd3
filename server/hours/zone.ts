/**
 * Calendar dates and wall-clock times in a named IANA zone, computed with `Intl` only.
 *
 * Nothing here reads the process time zone: a station in Beijing shows Beijing hours whether the
 * server runs with TZ=UTC, TZ=America/New_York or in a browser anywhere. China has no DST today,
 * but offsets are always looked up for the instant in question rather than assumed to be +08:00.
 */

/** A calendar date in a station's zone, `YYYY-MM-DD`. */
export type LocalDate = string;

/**
 * The one place a zone is written down: the default of the TIME_ZONE setting (server/config.ts),
 * and what the engine uses for a schedule that names no zone (unit tests). Servers always pass
 * the configured zone.
 */
export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

/** Whether `name` is an IANA zone this runtime knows (e.g. Europe/Andorra). */
export function isValidTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;
export const MINUTES_PER_DAY = 1440;

const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface DateParts {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
}

/** Splits `YYYY-MM-DD`, rejecting impossible dates such as 2026-02-30. */
export function parseLocalDate(date: LocalDate): DateParts {
  const match = LOCAL_DATE_PATTERN.exec(date);
  if (match) {
    const [year, month, day] = [
      Number(match[1]),
      Number(match[2]),
      Number(match[3]),
    ];
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCMonth() === month - 1 && check.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new RangeError(
    `Invalid local date "${date}": expected an existing date as YYYY-MM-DD`,
  );
}

export function isLocalDate(text: string): boolean {
  try {
    parseLocalDate(text);
    return true;
  } catch {
    return false;
  }
}

function formatLocalDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** Calendar arithmetic on dates, independent of any zone. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const { year, month, day } = parseLocalDate(date);
  const shifted = new Date(Date.UTC(year, month - 1, day + days));
  return formatLocalDate(
    shifted.getUTCFullYear(),
    shifted.getUTCMonth() + 1,
    shifted.getUTCDate(),
  );
}

/** 0 = Sunday … 6 = Saturday, as `Date#getDay`. */
export function weekdayOf(date: LocalDate): number {
  const { year, month, day } = parseLocalDate(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  const a = parseLocalDate(from);
  const b = parseLocalDate(to);
  return (
    (Date.UTC(b.year, b.month - 1, b.day) -
      Date.UTC(a.year, a.month - 1, a.day)) /
    MS_PER_DAY
  );
}

// Building a DateTimeFormat costs far more than using one, and we format on every evaluated day.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export interface LocalTime extends DateParts {
  date: LocalDate;
  /** Minutes since local midnight, 0-1439. */
  minuteOfDay: number;
  second: number;
}

/** The wall clock in `timeZone` at `instant`, read with Intl (slow: a formatToParts per call). */
function localTimeFromIntl(ms: number, timeZone: string): LocalTime {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  const {
    year = 0,
    month = 0,
    day = 0,
    hour = 0,
    minute = 0,
    second = 0,
  } = fields;
  return {
    date: formatLocalDate(year, month, day),
    year,
    month,
    day,
    minuteOfDay: hour * 60 + minute,
    second,
  };
}

/** Milliseconds the wall clock is ahead of UTC at `ms` (whole seconds), read with Intl. */
function offsetMsFromIntl(ms: number, timeZone: string): number {
  const local = localTimeFromIntl(ms, timeZone);
  const wallAsUtc =
    Date.UTC(local.year, local.month - 1, local.day) +
    local.minuteOfDay * MS_PER_MINUTE +
    local.second * 1000;
  return wallAsUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * Offsets per zone per 15-minute bucket of UTC. A zone changes its offset at most once in any
 * 15 minutes, so when both ends of a bucket agree the whole bucket has that offset; a bucket with a
 * change in it is never cached and goes to Intl every time. This turns the formatToParts call —
 * most of the cost of evaluating hours — into arithmetic for nearly every instant.
 */
const OFFSET_BUCKET_MS = 15 * MS_PER_MINUTE;
const OFFSET_CACHE_LIMIT = 20_000;
const offsetCache = new Map<string, Map<number, number>>();

function offsetMsAt(ms: number, timeZone: string): number {
  let zone = offsetCache.get(timeZone);
  if (!zone) offsetCache.set(timeZone, (zone = new Map()));
  const bucket = Math.floor(ms / OFFSET_BUCKET_MS);
  const cached = zone.get(bucket);
  if (cached !== undefined) return cached;
  const start = offsetMsFromIntl(bucket * OFFSET_BUCKET_MS, timeZone);
  const end = offsetMsFromIntl(
    (bucket + 1) * OFFSET_BUCKET_MS - 1000,
    timeZone,
  );
  if (start !== end) return offsetMsFromIntl(ms, timeZone);
  if (zone.size >= OFFSET_CACHE_LIMIT) zone.clear();
  zone.set(bucket, start);
  return start;
}

/** The wall clock in `timeZone` at `instant`. */
export function localTimeAt(
  instant: Date | number,
  timeZone: string,
): LocalTime {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  if (!Number.isFinite(ms)) return localTimeFromIntl(ms, timeZone); // let Intl throw its RangeError
  // Seconds are floored as Intl does (it never rounds up to the next second).
  const wall = new Date(
    Math.floor(ms / 1000) * 1000 + offsetMsAt(ms, timeZone),
  );
  const [year, month, day] = [
    wall.getUTCFullYear(),
    wall.getUTCMonth() + 1,
    wall.getUTCDate(),
  ];
  return {
    date: formatLocalDate(year, month, day),
    year,
    month,
    day,
    minuteOfDay: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in minutes (+480 for Beijing). */
export function zoneOffsetMinutes(
  instant: Date | number,
  timeZone: string,
): number {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  const local = localTimeAt(ms, timeZone);
  const wallAsUtc =
    Date.UTC(local.year, local.month - 1, local.day) +
    local.minuteOfDay * MS_PER_MINUTE +
    local.second * 1000;
  return Math.round((wallAsUtc - Math.floor(ms / 1000) * 1000) / MS_PER_MINUTE);
}

/**
 * The instant (epoch ms) when the wall clock in `timeZone` reads `date` 00:00 plus `minuteOfDay`
 * (which may exceed 1440 to reach into later days). Two passes settle the offset even next to a
 * DST change; a wall time that a DST gap skips resolves to the instant just after the gap.
 */
export function instantAt(
  date: LocalDate,
  minuteOfDay: number,
  timeZone: string,
): number {
  const { year, month, day } = parseLocalDate(date);
  const wallAsUtc =
    Date.UTC(year, month - 1, day) + minuteOfDay * MS_PER_MINUTE;
  let instant =
    wallAsUtc - zoneOffsetMinutes(wallAsUtc, timeZone) * MS_PER_MINUTE;
  instant = wallAsUtc - zoneOffsetMinutes(instant, timeZone) * MS_PER_MINUTE;
  return instant;
}

/** `HH:MM` for minutes since midnight; 1440 prints as `24:00` (end of day). */
export function formatMinuteOfDay(minuteOfDay: number): string {
  const hours = Math.floor(minuteOfDay / 60);
  const minutes = minuteOfDay % 60;
  return `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
}
