/**
 * A station change as a union office reads it: field names and values in the page's language,
 * amenities one line each ("微波炉：可用 → 故障"), weekly hours in words ("周一至周五 08:00–18:00；
 * 节假日休息"), dates as dates. Pure (no Svelte), so the unit test reads the same text the page shows.
 * Values are returned as plain text; the page renders them as text, never as HTML.
 */
import { parseWeekly, type TimeRange, type WeeklyHours } from './weekly-hours.js';

export type HistoryLocale = 'zh' | 'en';

export interface Vocabulary {
  amenities: Array<{ key: string; zh: string; en: string }>;
  kinds: Array<{ key: string; zh: string; en: string }>;
}

/** One readable line of a change: what, before, after. */
export interface ReadableLine {
  label: string;
  before: string;
  after: string;
  /** The exact stored form when the words are a reading of it (the OSM hours text). */
  beforeExact?: string;
  afterExact?: string;
}

const FIELD_NAMES: Record<string, { zh: string; en: string }> = {
  name: { zh: '名称', en: 'Name' },
  name_en: { zh: '英文名称', en: 'English name' },
  kind: { zh: '类型', en: 'Kind' },
  address: { zh: '地址', en: 'Address' },
  location: { zh: '位置（经度, 纬度）', en: 'Position (lng, lat)' },
  amenities: { zh: '设施', en: 'Amenities' },
  opening_hours: { zh: '开放时间', en: 'Opening hours' },
  hours_overrides: { zh: '特殊日期时间', en: 'Date exceptions' },
  closures: { zh: '临时关闭', en: 'Temporary closures' },
  phone: { zh: '电话', en: 'Phone' },
  seats: { zh: '座位数', en: 'Seats' },
  location_note: { zh: '位置说明', en: 'Location note' },
  verified_at: { zh: '核实时间', en: 'Verified' },
  district_code: { zh: '所在区', en: 'District' },
  subdistrict_code: { zh: '所在街道', en: 'Sub-district' },
};

const STATUS_NAMES: Record<string, { zh: string; en: string }> = {
  available: { zh: '可用', en: 'available' },
  out_of_order: { zh: '故障', en: 'out of order' },
  out_of_stock: { zh: '缺货', en: 'out of stock' },
};
const NOT_OFFERED = { zh: '没有', en: 'not offered' };

const DAY_NAMES: Record<HistoryLocale, readonly string[]> = {
  zh: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};

const EMPTY = '—';
const pickText = (entry: { zh: string; en: string } | undefined, locale: HistoryLocale, fallback: string) =>
  entry ? entry[locale] : fallback;

export function fieldName(field: string, locale: HistoryLocale): string {
  return pickText(FIELD_NAMES[field], locale, field);
}

function rangesInWords(ranges: TimeRange[], locale: HistoryLocale): string {
  if (ranges.length === 1 && ranges[0]!.from === '00:00' && ranges[0]!.to === '24:00') {
    return locale === 'zh' ? '全天' : 'all day';
  }
  return ranges.map((r) => `${r.from}–${r.to}`).join(locale === 'zh' ? '、' : ', ');
}

function dayGroup(days: number[], locale: HistoryLocale): string {
  const names = DAY_NAMES[locale];
  const contiguous = days.every((d, i) => i === 0 || d === days[i - 1]! + 1);
  if (days.length > 2 && contiguous) {
    return `${names[days[0]!]}${locale === 'zh' ? '至' : '–'}${names[days.at(-1)!]}`;
  }
  return days.map((d) => names[d]).join(locale === 'zh' ? '、' : ', ');
}

/** Weekly hours as words; null when the value says more than a week table (then the OSM text is shown). */
export function hoursInWords(osm: string | null, locale: HistoryLocale): string | null {
  if (osm === null || osm.trim() === '') return null;
  const weekly: WeeklyHours | null = parseWeekly(osm);
  if (!weekly) return null;
  const parts: string[] = [];
  if (weekly.days.every((d) => d.length === 1 && d[0]!.from === '00:00' && d[0]!.to === '24:00')) {
    parts.push(locale === 'zh' ? '每天 24 小时' : 'open 24/7');
  } else {
    // Days with the same hours together, in week order of their first day.
    const groups = new Map<string, number[]>();
    weekly.days.forEach((ranges, day) => {
      const key = ranges.length ? rangesInWords(ranges, locale) : '';
      groups.set(key, [...(groups.get(key) ?? []), day]);
    });
    for (const [hours, days] of groups) {
      const when = days.length === 7 ? (locale === 'zh' ? '每天' : 'every day') : dayGroup(days, locale);
      parts.push(hours ? `${when} ${hours}` : `${when}${locale === 'zh' ? '休息' : ' closed'}`);
    }
  }
  if (weekly.holiday.kind === 'off') parts.push(locale === 'zh' ? '节假日休息' : 'closed on public holidays');
  if (weekly.holiday.kind === 'hours') {
    parts.push(`${locale === 'zh' ? '节假日' : 'public holidays'} ${rangesInWords(weekly.holiday.ranges, locale)}`);
  }
  return parts.join(locale === 'zh' ? '；' : '; ');
}

interface DatedEntry {
  from?: string;
  to?: string;
  opening_hours?: string;
  note?: string;
  reason?: string;
}

function datesInWords(entry: DatedEntry, locale: HistoryLocale): string {
  const span = entry.from === entry.to || !entry.to ? String(entry.from) : `${entry.from}${locale === 'zh' ? ' 至 ' : ' to '}${entry.to}`;
  const what = entry.opening_hours !== undefined
    ? (hoursInWords(entry.opening_hours, locale) ?? entry.opening_hours)
    : (entry.reason ?? '');
  const note = entry.note ? (locale === 'zh' ? `（${entry.note}）` : ` (${entry.note})`) : '';
  return `${span}${locale === 'zh' ? '：' : ': '}${what}${note}`;
}

function valueInWords(
  field: string,
  value: unknown,
  vocabulary: Vocabulary,
  locale: HistoryLocale,
  formatInstant: (iso: string) => string,
): string {
  if (value === null || value === undefined || value === '') return EMPTY;
  switch (field) {
    case 'kind':
      return pickText(vocabulary.kinds.find((k) => k.key === value), locale, String(value));
    case 'location': {
      const [lng, lat] = value as [number, number];
      return `${Number(lng).toFixed(6)}, ${Number(lat).toFixed(6)}`;
    }
    case 'opening_hours':
      return hoursInWords(String(value), locale) ?? String(value);
    case 'hours_overrides':
    case 'closures': {
      const list = value as DatedEntry[];
      return list.length ? list.map((entry) => datesInWords(entry, locale)).join(locale === 'zh' ? '；' : '; ') : EMPTY;
    }
    case 'verified_at':
      return formatInstant(String(value));
    default:
      return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
  }
}

/**
 * The lines of one field's change. Amenities give one line per amenity that changed, named from
 * the vocabulary (an amenity the vocabulary no longer has keeps its key).
 */
export function readableChange(
  field: string,
  change: { before: unknown; after: unknown },
  vocabulary: Vocabulary,
  locale: HistoryLocale,
  formatInstant: (iso: string) => string = (iso) => iso,
): ReadableLine[] {
  if (field === 'amenities') {
    const before = (change.before ?? {}) as Record<string, string>;
    const after = (change.after ?? {}) as Record<string, string>;
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k]);
    const order = (key: string) => {
      const at = vocabulary.amenities.findIndex((a) => a.key === key);
      return at < 0 ? Number.MAX_SAFE_INTEGER : at;
    };
    const status = (value: string | undefined) => pickText(value ? STATUS_NAMES[value] : NOT_OFFERED, locale, String(value));
    return keys
      .sort((a, b) => order(a) - order(b) || a.localeCompare(b))
      .map((key) => ({
        label: pickText(vocabulary.amenities.find((a) => a.key === key), locale, key),
        before: status(before[key]),
        after: status(after[key]),
      }));
  }
  const line: ReadableLine = {
    label: fieldName(field, locale),
    before: valueInWords(field, change.before, vocabulary, locale, formatInstant),
    after: valueInWords(field, change.after, vocabulary, locale, formatInstant),
  };
  if (field === 'opening_hours') {
    // The words are a reading of the stored text: show the exact form beside them.
    if (typeof change.before === 'string' && line.before !== change.before) line.beforeExact = change.before;
    if (typeof change.after === 'string' && line.after !== change.after) line.afterExact = change.after;
  }
  return [line];
}

