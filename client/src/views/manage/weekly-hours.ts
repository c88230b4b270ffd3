/**
 * The weekly editor's model ↔ OSM opening_hours text. Covers what managers need (per-day ranges,
 * closed days, 24/7, a public-holiday rule); anything richer stays in the raw text (`null` from
 * `parseWeekly` tells the editor to show "edit the text" instead of guessing).
 */
export const OSM_DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;

export interface TimeRange {
  from: string;
  to: string;
}
/** Monday first, like OSM; an empty list = closed that day. */
export type WeekRanges = TimeRange[][];
export type HolidayRule = { kind: 'same' } | { kind: 'off' } | { kind: 'hours'; ranges: TimeRange[] };

export interface WeeklyHours {
  days: WeekRanges;
  holiday: HolidayRule;
}

const TIME = /^([01]\d|2[0-4]):[0-5]\d$/;
const rangeText = (ranges: TimeRange[]) => ranges.map((r) => `${r.from}-${r.to}`).join(',');

function daySpanText(first: number, last: number) {
  if (first === last) return OSM_DAYS[first]!;
  if (last === first + 1) return `${OSM_DAYS[first]},${OSM_DAYS[last]}`;
  return `${OSM_DAYS[first]}-${OSM_DAYS[last]}`;
}

/** Writes the table as OSM text, grouping neighbouring days with the same hours. */
export function weeklyToOsm({ days, holiday }: WeeklyHours): string {
  const allDay = days.every((d) => d.length === 1 && d[0]!.from === '00:00' && d[0]!.to === '24:00');
  const rules: string[] = [];
  if (allDay) rules.push('24/7');
  else {
    let start = 0;
    for (let i = 1; i <= 7; i++) {
      if (i < 7 && rangeText(days[i]!) === rangeText(days[start]!)) continue;
      if (days[start]!.length > 0) rules.push(`${daySpanText(start, i - 1)} ${rangeText(days[start]!)}`);
      start = i;
    }
  }
  if (holiday.kind === 'off') rules.push('PH off');
  if (holiday.kind === 'hours' && holiday.ranges.length) rules.push(`PH ${rangeText(holiday.ranges)}`);
  return rules.join('; ');
}

function parseRanges(text: string): TimeRange[] | null {
  const ranges = text.split(',').map((part) => {
    const [from, to] = part.trim().split('-');
    return from && to && TIME.test(from) && TIME.test(to) ? { from, to } : null;
  });
  return ranges.every(Boolean) ? (ranges as TimeRange[]) : null;
}

function parseDays(text: string): number[] | null {
  const days: number[] = [];
  for (const part of text.split(',')) {
    const [a, b] = part.split('-');
    const first = OSM_DAYS.indexOf(a as (typeof OSM_DAYS)[number]);
    const last = b === undefined ? first : OSM_DAYS.indexOf(b as (typeof OSM_DAYS)[number]);
    if (first < 0 || last < 0 || last < first) return null;
    for (let d = first; d <= last; d++) days.push(d);
  }
  return days;
}

/** Reads simple OSM text back into the table; null when the text uses more than the table shows. */
export function parseWeekly(text: string | null): WeeklyHours | null {
  const days: WeekRanges = Array.from({ length: 7 }, () => []);
  let holiday: HolidayRule = { kind: 'same' };
  if (!text || !text.trim()) return { days, holiday };
  for (const raw of text.split(';')) {
    const rule = raw.trim();
    if (!rule) continue;
    if (rule === '24/7') {
      days.forEach((_, i) => (days[i] = [{ from: '00:00', to: '24:00' }]));
      continue;
    }
    const match = /^(\S+)\s+(.+)$/.exec(rule);
    if (!match) {
      const ranges = parseRanges(rule); // "08:00-20:00" alone = every day
      if (!ranges) return null;
      days.forEach((_, i) => (days[i] = ranges));
      continue;
    }
    const [, selector, value] = match as unknown as [string, string, string];
    if (selector === 'PH') {
      if (value === 'off' || value === 'closed') holiday = { kind: 'off' };
      else {
        const ranges = parseRanges(value);
        if (!ranges) return null;
        holiday = { kind: 'hours', ranges };
      }
      continue;
    }
    const dayList = parseDays(selector);
    if (!dayList) return null;
    const ranges = value === 'off' || value === 'closed' ? [] : parseRanges(value);
    if (!ranges) return null;
    for (const d of dayList) days[d] = ranges;
  }
  return { days, holiday };
}
