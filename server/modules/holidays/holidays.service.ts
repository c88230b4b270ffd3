/** Importing a holiday arrangement (admin API and CLI) and listing a year's days. */
import type { AppDatabase } from '../../db/client.js';
import { HttpError } from '../../http/errors.js';
import { holidayInfo, provisionalHolidaysOf } from '../../hours/index.js';
import { parseHolidayFile, type HolidayFileFormat } from './holiday-files.js';
import { yearsPublishedBy, type HolidayCalendarStore } from './holiday-calendar.store.js';
import { publishYears, readCalendarDays, readCalendarVersion } from './holidays.repository.js';
import { hoursContext } from './hours-context.js';

export interface ImportRequest {
  text: string;
  format: HolidayFileFormat;
  /** File name or note kept with each row. */
  source: string;
  dryRun: boolean;
}

const PREVIEW_LIMIT = 400;

/** Parses, checks and (unless a dry run) publishes the file's years; all or nothing. */
export async function importHolidays(db: AppDatabase, store: HolidayCalendarStore, request: ImportRequest) {
  if (store.setting === 'none') {
    throw new HttpError(409, 'This deployment observes no public holidays (HOLIDAY_CALENDAR=none); set HOLIDAY_CALENDAR=cn to import them');
  }
  const { days, problems } = parseHolidayFile(request.text, request.format, hoursContext().timeZone);
  const years = yearsPublishedBy(days);
  const before = await readCalendarVersion(db, store.setting);
  const report = {
    dry_run: request.dryRun,
    committed: false,
    format: request.format,
    source: request.source,
    summary: {
      days: days.length,
      holidays: days.filter((d) => d.kind === 'holiday').length,
      workdays: days.filter((d) => d.kind === 'workday').length,
    },
    /** Years this file publishes in full (they replace what is stored for those years). */
    years,
    published_through_before: before?.publishedThrough ?? null,
    published_through: before?.publishedThrough ?? null,
    problems,
    days: days.slice(0, PREVIEW_LIMIT).map((d) => ({ date: d.date, kind: d.kind, name: d.name, name_en: d.nameEn ?? null })),
  };
  if (problems.length > 0 || request.dryRun) return report;
  const after = await publishYears(db, store.setting, days, years, request.source);
  await store.reload();
  return { ...report, committed: true, published_through: after?.publishedThrough ?? null };
}

/** A year's published days, or — past the published arrangement — its provisional festivals. */
export async function listHolidays(db: AppDatabase, year: number) {
  const { calendar } = hoursContext();
  const setting = calendar.observesHolidays ? calendar.id.split('@')[0]! : 'none';
  const published = setting === 'none' ? [] : await readCalendarDays(db, setting, year);
  const firstDay = `${year}-01-01`;
  const known = holidayInfo(firstDay, calendar).known !== false && holidayInfo(`${year}-12-31`, calendar).known !== false;
  const provisional = known || !calendar.observesHolidays
    ? []
    : [...provisionalHolidaysOf(year)]
        .filter(([date]) => holidayInfo(date, calendar).provisional)
        .map(([date, h]) => ({ date, kind: 'holiday' as const, name: h.name, name_en: h.nameEn ?? null, provisional: true }));
  return {
    calendar: setting,
    year,
    published_through: calendar.publishedThrough,
    /** Whether the whole year's arrangement is published. */
    holidays_known: known,
    days: published.map((d) => ({ date: d.date, kind: d.kind, name: d.name, name_en: d.nameEn ?? null, source: d.source })),
    provisional,
  };
}
