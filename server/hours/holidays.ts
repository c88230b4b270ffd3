/**
 * China's official public holidays and 调休 make-up workdays, from the `chinese-days` package
 * (transcribed from the State Council's yearly notices; it covers 2004 to the latest published
 * year, and dates outside that span count as ordinary days).
 *
 * We read the package's static JSON, not its functions: the functions build their date keys by
 * parsing "2026-2-15" as UTC midnight and formatting it with local getters, so in any process
 * zone west of Greenwich (TZ=America/New_York) every holiday lands one day early.
 */
import calendar from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { parseLocalDate, type LocalDate } from './zone.js';

/** Date → "English,中文,days", e.g. "2026-02-17": "Spring Festival,春节,4". */
type NamedDates = Record<LocalDate, string>;
const OFFICIAL = calendar as { holidays: NamedDates; workdays: NamedDates };

export interface HolidayName {
  /** Chinese name, e.g. 春节 */
  name: string;
  /** English name, e.g. Spring Festival */
  nameEn?: string;
}

export interface HolidayInfo {
  /** An official day off (including weekends that fall inside a holiday period). */
  holiday: boolean;
  name?: string;
  nameEn?: string;
  /** A Saturday or Sunday declared a workday to make up for a bridge day (调休上班). */
  makeupWorkday: boolean;
}

/** Splits "Spring Festival,春节,4" into its Chinese and English names. */
function parseHolidayName(raw: string): HolidayName | undefined {
  const parts = raw.split(',');
  if (parts.length < 2) return undefined;
  if (/^\d+$/.test(parts[parts.length - 1] ?? '')) parts.pop();
  const name = parts.pop() ?? '';
  const nameEn = parts.join(',');
  return nameEn ? { name, nameEn } : { name };
}

/** Whether `date` is an official holiday or make-up workday in mainland China, and its name. */
export function holidayInfo(date: LocalDate): HolidayInfo {
  parseLocalDate(date);
  const holidayName = OFFICIAL.holidays[date];
  const workdayName = OFFICIAL.workdays[date];
  const named = parseHolidayName(holidayName ?? workdayName ?? '');
  if (!named) return { holiday: false, makeupWorkday: false };
  return { holiday: holidayName !== undefined, ...named, makeupWorkday: workdayName !== undefined };
}

export function isPublicHoliday(date: LocalDate): boolean {
  return holidayInfo(date).holiday;
}
