/**
 * Calendar checks for dates and instants in requests. `new Date('2026-02-30')` quietly rolls over
 * to 2 March, so a regular expression plus `Date` lets impossible dates through to the work; these
 * check every field against the calendar first, so an impossible date is a 400 before any work.
 */

/** Whether year-month-day exists in the (proleptic) Gregorian calendar. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Date, time and optional offset of an ISO 8601 instant (`Z`, `+08:00` or `+0800`). */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))?$/;

/** `YYYY-MM-DD` naming a real day. */
export function isRealDate(text: string): boolean {
  const m = DATE.exec(text);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * `YYYY-MM-DDTHH:mm[:ss[.fff]][offset]` with a real day, hours 00–23, minutes and seconds 00–59
 * and an offset within ±14:00; `requireOffset` refuses a bare wall-clock time.
 */
export function isRealDateTime(text: string, requireOffset = false): boolean {
  const m = DATE_TIME.exec(text);
  if (!m) return false;
  const [, y, mo, d, h, mi, s, offset, oh, om] = m;
  if (!isCalendarDate(Number(y), Number(mo), Number(d))) return false;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return false;
  if (offset === undefined) return !requireOffset;
  if (offset === 'Z') return true;
  return Number(oh) <= 14 && Number(om) <= 59;
}
