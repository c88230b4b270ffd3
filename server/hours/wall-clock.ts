/**
 * The bridge between station-local dates and the `opening_hours` library's notion of time.
 *
 * opening_hours reads every Date through the process-local getters (`getDay`, `getHours`, …), so
 * it only ever evaluates in the process time zone. Rather than change the process zone (global,
 * and visible to every other thread), we hand it "wall-clock Dates": Dates whose process-local
 * fields spell the station's local date and time. Whatever the library answers is read back
 * through the same getters, so the process zone cancels out.
 *
 * That holds on every day the process zone has 24 ordinary hours. On a process-zone DST day a
 * wall time inside the skipped hour cannot be represented, so callers evaluate such a day on a
 * substitute date a week away (same weekday) — see `regularProcessDay`.
 */
import { addDays, daysBetween, MS_PER_DAY, parseLocalDate, type LocalDate } from './zone.js';

/** A Date whose process-local wall clock reads `date` 00:00 plus `minuteOfDay`. */
export function wallClockDate(date: LocalDate, minuteOfDay = 0): Date {
  const { year, month, day } = parseLocalDate(date);
  return new Date(year, month - 1, day, 0, minuteOfDay);
}

/** Minutes from `date` 00:00 to what `wallClock` reads in process-local terms. */
export function minutesSinceWallClockMidnight(date: LocalDate, wallClock: Date): number {
  const wallDate = [
    String(wallClock.getFullYear()).padStart(4, '0'),
    String(wallClock.getMonth() + 1).padStart(2, '0'),
    String(wallClock.getDate()).padStart(2, '0'),
  ].join('-');
  return daysBetween(date, wallDate) * 1440 + wallClock.getHours() * 60 + wallClock.getMinutes();
}

/** True when the process zone's `date` runs 00:00 → 24:00 with no offset change inside. */
function isRegularProcessDay(date: LocalDate): boolean {
  const start = wallClockDate(date);
  const length = wallClockDate(addDays(date, 1)).getTime() - start.getTime();
  return length === MS_PER_DAY && start.getHours() === 0;
}

/**
 * `date` itself, or — when the process zone changes offset that day — the nearest date a whole
 * number of weeks away that it does not. Same weekday, so weekday rules are unaffected; only
 * date-range selectors are read a week off, and only on those one or two days a year.
 */
export function regularProcessDay(date: LocalDate): LocalDate {
  for (const weeks of [0, 1, -1, 2, -2]) {
    const candidate = addDays(date, weeks * 7);
    if (isRegularProcessDay(candidate)) return candidate;
  }
  return date;
}

/**
 * Minutes the station's clock is ahead of the process clock around noon of `date` — used to move
 * the sun: the library computes sunrise/sunset as absolute instants and reads them back in
 * process-local time, so we feed it a longitude shifted by that difference (4 minutes of clock
 * time per degree) to make the process-local reading equal the station's wall clock.
 */
export function processOffsetMinutes(date: LocalDate): number {
  return -wallClockDate(date, 720).getTimezoneOffset();
}

/**
 * Names the process zone for cache keys: Node applies a change of `process.env.TZ` at once, so
 * answers computed under one zone must not be reused under another. In a browser there is no
 * `process` and the zone does not change while the page runs.
 */
export function processZoneKey(): string {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  return env?.TZ ?? '';
}
