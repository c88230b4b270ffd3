/**
 * Reading a year's holiday arrangement from a file: iCalendar (.ics) as the holiday-cn project and
 * calendar apps publish it, or CSV `date,kind,name[,name_en]`. Every problem is collected (with the
 * event or line it is on) so an admin can fix the file in one go; a file with any problem imports
 * nothing.
 */
import { parse as parseCsvText } from 'csv-parse/sync';
import ical from 'node-ical';
import type { CalendarDay } from '../../hours/index.js';
import { addDays, daysBetween, isLocalDate, localTimeAt } from '../../hours/zone.js';

export type HolidayFileFormat = 'ics' | 'csv';

export interface ParsedHolidayFile {
  days: CalendarDay[];
  problems: string[];
}

/** A year's notice names ~35 dates; a file with every year since 2004 about 1,000. */
export const MAX_DAYS = 5_000;
const MAX_EVENT_DAYS = 31;
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

const ENGLISH: Record<string, string> = {
  元旦: "New Year's Day",
  春节: 'Spring Festival',
  清明: 'Tomb-sweeping Day',
  清明节: 'Tomb-sweeping Day',
  劳动节: 'Labour Day',
  端午: 'Dragon Boat Festival',
  端午节: 'Dragon Boat Festival',
  中秋: 'Mid-autumn Festival',
  中秋节: 'Mid-autumn Festival',
  国庆: 'National Day',
  国庆节: 'National Day',
};

/** English for a Chinese holiday name, also for a joint one such as 国庆节、中秋节. */
export function englishName(name: string): string | null {
  const parts = name.split(/[、,，]/).map((p) => ENGLISH[p.trim()]);
  return parts.every(Boolean) ? parts.join(', ') : null;
}

const WORKDAY_MARK = /补班|上班|调休日?上班|[（(]班[)）]|make-?up|workday/i;

/** "上班(补春节假期)", "春节补班", "春节假期", "元旦(休)", "春节 第1天/共8天" → "春节". */
export function holidayNameOf(summary: string): string {
  let name = summary.trim();
  const makeup = /^上班\s*[（(]\s*补(.+?)[)）]$/.exec(name);
  if (makeup) name = makeup[1]!;
  name = name
    .replace(/第\s*\d+\s*天\s*[/／]\s*共\s*\d+\s*天/g, '')
    .replace(/[（(](休|班|假|调休)[)）]/g, '')
    .replace(/(补班|调休上班|调休|上班|放假|假期)/g, '')
    .trim();
  return name || summary.trim();
}

function yearOk(date: string): boolean {
  const year = Number(date.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

/** Local date of an iCalendar DTSTART/DTEND: a DATE value as written, a date-time in `timeZone`. */
function icsDate(value: unknown, timeZone: string): string | null {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) return null;
  if ((value as Date & { dateOnly?: boolean }).dateOnly) {
    // node-ical builds DATE values as local midnight of the process zone.
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  }
  return localTimeAt(value, timeZone).date;
}

export function parseIcs(text: string, timeZone: string): ParsedHolidayFile {
  const problems: string[] = [];
  if (!/^\s*BEGIN:VCALENDAR/i.test(text)) {
    return { days: [], problems: ['not an iCalendar file: it must begin with BEGIN:VCALENDAR'] };
  }
  let parsed: ical.CalendarResponse;
  try {
    parsed = ical.sync.parseICS(text);
  } catch (error) {
    return { days: [], problems: [`the iCalendar file cannot be read: ${(error as Error).message}`] };
  }
  const days: CalendarDay[] = [];
  let index = 0;
  for (const component of Object.values(parsed)) {
    if (!component || component.type !== 'VEVENT') continue;
    index++;
    const event = component as ical.VEvent;
    const summary = typeof event.summary === 'string' ? event.summary : String(event.summary ?? '');
    const where = `event ${index}${summary ? ` "${summary.slice(0, 40)}"` : ''}`;
    if (!summary.trim()) {
      problems.push(`${where}: has no SUMMARY naming the holiday`);
      continue;
    }
    const start = icsDate(event.start, timeZone);
    if (!start) {
      problems.push(`${where}: has no valid DTSTART`);
      continue;
    }
    const endExclusive = event.end ? icsDate(event.end, timeZone) : addDays(start, 1);
    if (!endExclusive || endExclusive <= start) {
      problems.push(`${where}: DTEND must be after DTSTART`);
      continue;
    }
    if (daysBetween(start, endExclusive) > MAX_EVENT_DAYS) {
      problems.push(`${where}: spans more than ${MAX_EVENT_DAYS} days`);
      continue;
    }
    if (!yearOk(start)) {
      problems.push(`${where}: ${start} is outside ${MIN_YEAR}–${MAX_YEAR}`);
      continue;
    }
    const kind = WORKDAY_MARK.test(summary) ? 'workday' : 'holiday';
    const name = holidayNameOf(summary);
    for (let date = start; date < endExclusive; date = addDays(date, 1)) {
      days.push({ date, kind, name, nameEn: englishName(name) });
    }
  }
  if (index === 0) problems.push('the file has no events (VEVENT): nothing to import');
  return finish(days, problems);
}

const KINDS: Record<string, CalendarDay['kind']> = {
  holiday: 'holiday',
  休: 'holiday',
  workday: 'workday',
  makeup_workday: 'workday',
  班: 'workday',
};

export function parseCsv(text: string): ParsedHolidayFile {
  let rows: Record<string, string>[];
  try {
    rows = parseCsvText(text.replace(/^\uFEFF/, ''), {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    });
  } catch (error) {
    return { days: [], problems: [`the CSV cannot be read: ${(error as Error).message}`] };
  }
  const problems: string[] = [];
  if (rows.length === 0) return { days: [], problems: ['the CSV has no rows: nothing to import'] };
  const columns = Object.keys(rows[0]!);
  for (const required of ['date', 'kind', 'name']) {
    if (!columns.includes(required)) {
      problems.push(`the CSV needs a header row with date,kind,name (missing "${required}")`);
    }
  }
  if (problems.length) return { days: [], problems };
  const days: CalendarDay[] = [];
  rows.forEach((row, i) => {
    const line = `line ${i + 2}`;
    const date = row.date ?? '';
    const kind = KINDS[(row.kind ?? '').toLowerCase()];
    const name = (row.name ?? '').trim();
    if (!isLocalDate(date)) problems.push(`${line}: date "${date.slice(0, 20)}" must be YYYY-MM-DD`);
    else if (!yearOk(date)) problems.push(`${line}: ${date} is outside ${MIN_YEAR}–${MAX_YEAR}`);
    if (!kind) problems.push(`${line}: kind must be holiday or workday`);
    if (!name) problems.push(`${line}: name is empty`);
    else if (name.length > 60) problems.push(`${line}: name is longer than 60 characters`);
    if (isLocalDate(date) && kind && name) {
      const nameEn = (row.name_en ?? '').trim() || englishName(name);
      days.push({ date, kind, name, nameEn });
    }
  });
  return finish(days, problems);
}

/** Sorts, and refuses a date listed twice with different kinds. */
function finish(days: CalendarDay[], problems: string[]): ParsedHolidayFile {
  const byDate = new Map<string, CalendarDay>();
  for (const day of days) {
    const seen = byDate.get(day.date);
    if (seen && seen.kind !== day.kind) {
      problems.push(`${day.date} is listed both as a holiday and as a make-up workday`);
    }
    byDate.set(day.date, seen && seen.kind === day.kind ? seen : day);
  }
  if (byDate.size > MAX_DAYS) problems.push(`the file lists more than ${MAX_DAYS} dates`);
  const sorted = [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
  return { days: sorted, problems };
}

export function detectFormat(name: string | undefined, text: string): HolidayFileFormat {
  if (name && /\.ics$/i.test(name)) return 'ics';
  if (name && /\.csv$/i.test(name)) return 'csv';
  return /^\s*BEGIN:VCALENDAR/i.test(text) ? 'ics' : 'csv';
}

export function parseHolidayFile(
  text: string,
  format: HolidayFileFormat,
  timeZone: string,
): ParsedHolidayFile {
  return format === 'ics' ? parseIcs(text, timeZone) : parseCsv(text);
}
