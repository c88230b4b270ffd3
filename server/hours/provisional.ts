/**
 * The statutory festival days of mainland China for a year whose arrangement is not published yet.
 *
 * 《全国年节及纪念日放假办法》 (as revised in 2024, in force from 2025) fixes the days off that every
 * year's notice builds on: 元旦 1 Jan; 春节 除夕 and 正月初一 to 初三; 清明 (the solar term); 劳动节
 * 1-2 May; 端午 五月初五; 中秋 八月十五; 国庆 1-3 Oct. The yearly notice adds bridge days and 调休
 * make-up workdays around them, which cannot be computed: those stay unknown until imported.
 *
 * Lunar and solar-term dates come from `chinese-days`. Its functions read dates with the process
 * zone's getters, so we hand them local Dates (lunar → solar) and correct the solar-term answer,
 * which it builds from a UTC midnight, by the process zone's day shift.
 */
import chineseDays from 'chinese-days';
import type { HolidayName } from './holidays.js';
import { addDays, type LocalDate } from './zone.js';

// The package is UMD: Node's CommonJS interop and bundlers nest the functions differently.
type ChineseDays = typeof chineseDays;
const lunar: ChineseDays =
  typeof chineseDays.getSolarDateFromLunar === 'function'
    ? chineseDays
    : (chineseDays as unknown as { default: ChineseDays }).default;

const NAMES = {
  newYear: { name: '元旦', nameEn: "New Year's Day" },
  spring: { name: '春节', nameEn: 'Spring Festival' },
  tomb: { name: '清明', nameEn: 'Tomb-sweeping Day' },
  labour: { name: '劳动节', nameEn: 'Labour Day' },
  dragonBoat: { name: '端午', nameEn: 'Dragon Boat Festival' },
  midAutumn: { name: '中秋', nameEn: 'Mid-autumn Festival' },
  national: { name: '国庆节', nameEn: 'National Day' },
} as const;

/** The solar date of lunar month/day in the lunar year that starts in `year`. */
function solarOfLunar(year: number, month: number, day: number): LocalDate {
  return lunar.getSolarDateFromLunar(new Date(year, month - 1, day)).date;
}

/** 清明: the solar term in early April. */
function pureBrightness(year: number): LocalDate {
  const answer = lunar.getSolarTermDate(year, 4, 'pure_brightness');
  // The library formats Date.UTC(year, 3, d) with local getters: one day early west of Greenwich.
  const shift = new Date(Date.UTC(year, 3, 5)).getDate() - 5;
  return addDays(answer, -shift);
}

const pad = (n: number) => String(n).padStart(2, '0');

function computeYear(year: number): Map<LocalDate, HolidayName> {
  const days = new Map<LocalDate, HolidayName>();
  const add = (date: LocalDate, name: { name: string; nameEn: string }) => {
    const existing = days.get(date);
    days.set(
      date,
      existing
        ? { name: `${existing.name}、${name.name}`, nameEn: `${existing.nameEn}, ${name.nameEn}`, provisional: true }
        : { ...name, provisional: true },
    );
  };
  const fixed = (month: number, day: number) => `${year}-${pad(month)}-${pad(day)}`;
  add(fixed(1, 1), NAMES.newYear);
  const springDay = solarOfLunar(year, 1, 1);
  for (let offset = -1; offset <= 2; offset++) add(addDays(springDay, offset), NAMES.spring);
  add(pureBrightness(year), NAMES.tomb);
  add(fixed(5, 1), NAMES.labour);
  add(fixed(5, 2), NAMES.labour);
  add(solarOfLunar(year, 5, 5), NAMES.dragonBoat);
  add(solarOfLunar(year, 8, 15), NAMES.midAutumn);
  for (let day = 1; day <= 3; day++) add(fixed(10, day), NAMES.national);
  return days;
}

const cache = new Map<number, Map<LocalDate, HolidayName>>();

/** Statutory days off of `year` by date, each marked provisional (除夕 is never before 20 Jan). */
export function provisionalHolidaysOf(year: number): Map<LocalDate, HolidayName> {
  let days = cache.get(year);
  if (!days) {
    days = computeYear(year);
    if (cache.size > 64) cache.clear();
    cache.set(year, days);
  }
  return days;
}
