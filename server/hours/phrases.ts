/**
 * Opening hours as union lists and door notices write them — "周一至周五 8:00-18:00，午休
 * 12:00-13:00，节假日休息" — turned into OSM `opening_hours` ("Mo-Fr 08:00-12:00,13:00-18:00; PH
 * off"), which stays the stored form. Common English phrasings too ("Mon-Fri 8am-6pm, closed on
 * public holidays").
 *
 * A phrase is read clause by clause (split at ；。 newlines, and at commas that start a new day
 * group); each clause is a day group, time spans, and modifiers (lunch break, holidays, closed).
 * Anything left that is not understood makes the whole phrase not understood, with the text that
 * was left — a guess would be worse than asking the manager to rephrase. Linear in the length.
 */

export type PhraseResult =
  | { ok: true; osm: string }
  | { ok: false; /** The part that was not understood, as written. */ unparsed: string };

const OSM_DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
const ZH_DAY: Record<string, number> = { 一: 0, 二: 1, 三: 2, 四: 3, 五: 4, 六: 5, 日: 6, 天: 6, 七: 6 };
const EN_DAY: Array<[RegExp, number]> = [
  [/^mon(day)?s?/, 0],
  [/^tue(s|sday)?s?/, 1],
  [/^wed(nesday)?s?/, 2],
  [/^thu(r|rs|rsday)?s?/, 3],
  [/^fri(day)?s?/, 4],
  [/^sat(urday)?s?/, 5],
  [/^sun(day)?s?/, 6],
];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Full-width digits and punctuation to ASCII, dashes and "to" words to '-', spaces collapsed. */
export function normalizePhrase(text: string): string {
  return text
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .replace(/[—–－―~〜～]/g, '-')
    .replace(/：/g, ':')
    .replace(/[，、]/g, ',')
    .replace(/[()（）[\]【】]/g, ',')
    .replace(/[；。]/g, ';')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Clause {
  days: number[] | null;
  spans: Array<[number, number]>;
  closed: boolean;
  allDay: boolean;
  lunch: Array<[number, number]>;
  holiday: 'off' | 'open' | 'unknown' | null;
  dates: string | null;
}

type Reader = { rest: string };

const skipSpace = (r: Reader) => {
  r.rest = r.rest.replace(/^[\s,]+/, '');
};

function take(r: Reader, re: RegExp): RegExpExecArray | null {
  const m = re.exec(r.rest);
  if (!m || m.index !== 0) return null;
  r.rest = r.rest.slice(m[0].length);
  return m;
}

/** 周一 / 星期一 / 礼拜一 / 周日 / 周天 → day index. */
function readZhDay(r: Reader): number | null {
  const m = take(r, /^(?:周|星期|礼拜)([一二三四五六日天七])/);
  return m ? ZH_DAY[m[1]!]! : null;
}

function readEnDay(r: Reader): number | null {
  const lower = r.rest.toLowerCase();
  for (const [re, day] of EN_DAY) {
    const m = re.exec(lower);
    if (m) {
      r.rest = r.rest.slice(m[0].length).replace(/^\./, '');
      return day;
    }
  }
  return null;
}

const range = (from: number, to: number): number[] => {
  const out: number[] = [];
  for (let d = from; ; d = (d + 1) % 7) {
    out.push(d);
    if (d === to || out.length === 7) return out;
  }
};

/** A day group at the start of the clause: 周一至周五, 工作日, 周末, 每天, Mon-Fri, weekdays … */
function readDays(r: Reader): number[] | null {
  const words: Array<[RegExp, number[]]> = [
    [/^(?:每天|每日|天天|全天候每天|全年|全周|一周七天|周一至周日|daily|every ?day|7 days(?: a week)?|mon(?:day)?-sun(?:day)?)/i, range(0, 6)],
    [/^(?:工作日|周一至周五|weekdays|on weekdays|monday to friday)/i, range(0, 4)],
    [/^(?:周末|双休日|周六日|周六、日|weekends?|on weekends|saturday and sunday)/i, [5, 6]],
  ];
  for (const [re, days] of words) if (take(r, re)) return days;
  const zh = readZhDay(r);
  const en = zh === null ? readEnDay(r) : null;
  const first = zh ?? en;
  if (first === null) return null;
  const days = [first];
  for (;;) {
    const save = r.rest;
    if (take(r, /^\s*(?:至|到|-|to|through|thru)\s*/i)) {
      const last = zh !== null ? (readZhDay(r) ?? readBareZhDay(r)) : readEnDay(r);
      if (last === null) {
        r.rest = save;
        break;
      }
      const start = days.pop()!;
      for (const d of range(start, last)) if (!days.includes(d)) days.push(d);
      continue;
    }
    if (take(r, /^\s*(?:,|和|及|与|&|and)\s*/i)) {
      const next = zh !== null ? (readZhDay(r) ?? readBareZhDay(r)) : readEnDay(r);
      if (next === null) {
        r.rest = save;
        break;
      }
      if (!days.includes(next)) days.push(next);
      continue;
    }
    break;
  }
  return days;
}

/** "周六、日" / "周一至五": the second day without its 周. */
function readBareZhDay(r: Reader): number | null {
  const m = take(r, /^([一二三四五六日天])(?![点时:])/);
  return m ? ZH_DAY[m[1]!]! : null;
}

/** One time of day in minutes: 8:00, 08:30, 8点, 8点半, 8时30分, 下午6点, 6pm, 18h. */
function readTime(r: Reader, afternoonHint: boolean): number | null {
  const save = r.rest;
  const part = take(r, /^(上午|早上|早晨|早|中午|下午|午后|傍晚|晚上|晚|夜间|夜里|凌晨|次日|翌日|第二天)?\s*/);
  const period = part?.[1] ?? '';
  const m =
    take(r, /^(\d{1,2})[:.](\d{2})(?:\s*(am|pm|a\.m\.|p\.m\.))?/i) ??
    take(r, /^(\d{1,2})\s*(?:点|时)\s*(?:(\d{1,2})\s*分?|(半))?/) ??
    take(r, /^(\d{1,2})\s*(am|pm|a\.m\.|p\.m\.|h)(?![a-z])/i) ??
    (period ? take(r, /^(\d{1,2})(?![\d:.])/) : null);
  if (!m) {
    r.rest = save;
    return null;
  }
  let hour = Number(m[1]);
  let minute = 0;
  if (m[2] && /^\d+$/.test(m[2])) minute = Number(m[2]);
  if (m[3] === '半') minute = 30;
  const suffix = (m.slice(2).find((g) => g && /^(am|pm|a\.m\.|p\.m\.)$/i.test(g)) ?? '').toLowerCase();
  if (hour > 24 || minute > 59) {
    r.rest = save;
    return null;
  }
  const pm = /^p/.test(suffix) || /下午|午后|傍晚|晚|夜/.test(period);
  if (pm && hour < 12) hour += 12;
  if (/^a/.test(suffix) && hour === 12) hour = 0;
  if (period === '中午' && hour < 6) hour += 12;
  if (!period && !suffix && afternoonHint && hour < 12) hour += 12;
  return hour * 60 + minute;
}

/** 8:00-18:00 / 早8点至晚6点 / 9am to 5pm; a closing time before the opening one runs past midnight. */
function readSpan(r: Reader): [number, number] | null {
  const save = r.rest;
  const from = readTime(r, false);
  if (from === null) return null;
  if (!take(r, /^\s*(?:-|至|到|to|until|till)\s*/i)) {
    r.rest = save;
    return null;
  }
  const toSave = r.rest;
  let to = readTime(r, false);
  if (to === null) {
    r.rest = save;
    return null;
  }
  // "8-6" with no marks: a closing hour below the opening one, both ≤ 12, is the afternoon.
  const bareTo = /^\d{1,2}(?![:.点时])/.test(toSave.trim()) || /^\d{1,2}\s*(点|时)/.test(toSave.trim());
  if (to <= from && to < 12 * 60 && from < 12 * 60 && bareTo && !/次日|翌日|第二天|凌晨/.test(toSave)) to += 12 * 60;
  return [from, to];
}

function readSpans(r: Reader): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (;;) {
    skipSpace(r);
    const span = readSpan(r);
    if (!span) return spans;
    spans.push(span);
    take(r, /^\s*(?:,|和|及|and|&)\s*(?=[\d上下早中晚凌次翌])/i);
  }
}

const ALL_DAY = /^(?:全天候?|24\s*小时|二十四小时|24\s*h(?:ours)?|24\/7|open 24 hours|all day|round the clock)(?:营业|开放|服务)?/i;
const CLOSED = /^(?:休息|闭馆|闭站|不开放|暂停开放|关闭|歇业|closed|off)/i;
const HOLIDAY = /^(?:法定)?(?:节假日|节日|假日|公众假期|法定假日|public holidays?|holidays?|on public holidays)/i;
const LUNCH = /^(?:午休|午间休息|中午休息|lunch(?: break)?)\s*(?:时间)?\s*:?\s*/i;
const HOLIDAY_RULE: Array<[RegExp, 'off' | 'open' | 'unknown']> = [
  [/^(?:休息|闭馆|不开放|关闭|歇业|除外|closed|off)/i, 'off'],
  [/^(?:照常开放|正常开放|照常营业|正常营业|照常|正常|开放|营业|不休|open|as usual)/i, 'open'],
  [/^(?:另行安排|另行通知|视情况|待定|varies|to be announced)/i, 'unknown'],
];
const CLOSED_ON_HOLIDAYS = /^(?:closed on public holidays|closed on holidays)/i;

/** 2月15日至2月23日 / 2027年2月15日-2月23日 / 2月15日-23日 → "Feb 15-23" or "2027 Feb 15-Feb 23". */
function readDates(r: Reader): string | null {
  const save = r.rest;
  const one = (): { y?: number; m: number; d: number } | null => {
    const m = take(r, /^(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?/);
    return m ? { y: m[1] ? Number(m[1]) : undefined, m: Number(m[2]), d: Number(m[3]) } : null;
  };
  take(r, /^(?:春节|国庆|元旦|劳动节|五一|十一|清明|端午|中秋)?(?:假期|期间|节期间)?\s*/);
  const from = one();
  if (!from || from.m < 1 || from.m > 12 || from.d < 1 || from.d > 31) {
    r.rest = save;
    return null;
  }
  let to: typeof from | null = null;
  if (take(r, /^\s*(?:-|至|到)\s*/)) {
    to = one();
    if (!to) {
      const d = take(r, /^(\d{1,2})\s*[日号]?/);
      if (d) to = { y: from.y, m: from.m, d: Number(d[1]) };
    }
    if (!to) {
      r.rest = save;
      return null;
    }
  }
  take(r, /^\s*(?:期间)?/);
  const fmt = (x: { y?: number; m: number; d: number }) =>
    `${x.y ? `${x.y} ` : ''}${MONTHS[x.m - 1]} ${String(x.d).padStart(2, '0')}`;
  if (!to) return fmt(from);
  if (to.m === from.m && !to.y) return `${fmt(from)}-${String(to.d).padStart(2, '0')}`;
  return `${fmt(from)}-${fmt({ ...to, y: to.y && to.y !== from.y ? to.y : undefined })}`;
}

function readClause(text: string): Clause | { unparsed: string } {
  const r: Reader = { rest: text.trim() };
  const clause: Clause = { days: null, spans: [], closed: false, allDay: false, lunch: [], holiday: null, dates: null };
  // Filler that adds nothing: "营业时间：", "开放时间", "Opening hours:", "(示例)".
  take(r, /^(?:营业时间|开放时间|服务时间|办公时间|开放|营业|opening hours|open|hours)\s*[:]?\s*/i);
  while (r.rest.length > 0) {
    skipSpace(r);
    if (!r.rest) break;
    if (take(r, CLOSED_ON_HOLIDAYS)) {
      clause.holiday = 'off';
      continue;
    }
    const holidayWord = take(r, HOLIDAY);
    if (holidayWord) {
      skipSpace(r);
      take(r, /^(?:期间)?\s*/);
      const rule = HOLIDAY_RULE.find(([re]) => take(r, re));
      if (rule) {
        clause.holiday = rule[1];
        // "周日及节假日休息": the days named with the holidays are closed too.
        if (rule[1] === 'off' && clause.days?.length && clause.spans.length === 0) clause.closed = true;
        continue;
      }
      // "节假日 9:00-17:00": holiday hours of their own.
      const spans = readSpans(r);
      if (spans.length) {
        clause.days = [];
        clause.spans.push(...spans);
        clause.holiday = 'open';
        continue;
      }
      return { unparsed: holidayWord[0] + r.rest };
    }
    if (take(r, LUNCH)) {
      const span = readSpan(r);
      if (!span) return { unparsed: r.rest || text };
      clause.lunch.push(span);
      continue;
    }
    if (take(r, ALL_DAY)) {
      clause.allDay = true;
      continue;
    }
    if (take(r, CLOSED)) {
      clause.closed = true;
      continue;
    }
    if (clause.days === null && clause.spans.length === 0) {
      const dates = clause.dates === null ? readDates(r) : null;
      if (dates) {
        clause.dates = dates;
        continue;
      }
      const days = readDays(r);
      if (days) {
        clause.days = days;
        continue;
      }
    }
    const spans = readSpans(r);
    if (spans.length) {
      clause.spans.push(...spans);
      continue;
    }
    // Connecting words between parts.
    if (take(r, /^(?:的|为|是|均|都|全部|及|和|与|:|from|on|at|(?:开放|营业|服务|办公)(?!时间))\s*/i)) continue;
    return { unparsed: r.rest };
  }
  return clause;
}

/** Splits at ; and newlines, and at commas followed by a new day group or modifier. */
function splitClauses(text: string): string[] {
  const starts = /,\s*(?=(?:周|星期|礼拜|工作日|周末|双休|每天|每日|节假日|法定|午休|中午休息|春节|国庆|元旦|\d{1,2}\s*月|mon|tue|wed|thu|fri|sat|sun|daily|weekend|weekday|lunch|closed|public|holiday))/gi;
  const parts = text
    .replace(starts, ';')
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  // "周六，周日 9:00-12:00" / "Sat, Sun 9-12": a part that is only days belongs to the next one.
  const merged: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    let part = parts[i]!;
    while (i + 1 < parts.length && isOnlyDays(part)) part = `${part},${parts[++i]!}`;
    merged.push(part);
  }
  return merged;
}

function isOnlyDays(part: string): boolean {
  const r: Reader = { rest: part };
  return readDays(r) !== null && r.rest.trim() === '';
}

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Consecutive day runs in OSM form: [0,1,2,3,4] → "Mo-Fr", [5,6] → "Sa,Su", all → "Mo-Su". */
function osmDays(days: number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    const a = OSM_DAYS[sorted[i]!]!;
    const b = OSM_DAYS[sorted[j]!]!;
    runs.push(j === i ? a : j === i + 1 ? `${a},${b}` : `${a}-${b}`);
    i = j + 1;
  }
  return runs.join(',');
}

/** Spans minus lunch breaks, in order. */
function withoutBreaks(spans: Array<[number, number]>, breaks: Array<[number, number]>): Array<[number, number]> {
  let out = spans;
  for (const [bs, be] of breaks) {
    out = out.flatMap(([s, e]) => {
      if (e <= s || be <= s || bs >= e) return [[s, e] as [number, number]];
      const parts: Array<[number, number]> = [];
      if (bs > s) parts.push([s, bs]);
      if (be < e) parts.push([be, e]);
      return parts;
    });
  }
  return out;
}

const osmSpans = (spans: Array<[number, number]>) => spans.map(([s, e]) => `${hhmm(s)}-${hhmm(e)}`).join(',');

export function phraseToOpeningHours(text: string): PhraseResult {
  const clauses: Clause[] = [];
  for (const part of splitClauses(normalizePhrase(text))) {
    const clause = readClause(part);
    if ('unparsed' in clause) return { ok: false, unparsed: clause.unparsed.trim() || part };
    clauses.push(clause);
  }
  if (clauses.length === 0) return { ok: false, unparsed: text };
  // A lunch break or holiday rule said on its own applies to the clauses with hours.
  const lunch = clauses.flatMap((c) => c.lunch);
  const holiday = clauses.map((c) => c.holiday).find((h) => h !== null) ?? null;
  const rules: string[] = [];
  let firstHours: string | null = null;
  for (const c of clauses) {
    const hasTimes = c.spans.length > 0 || c.allDay;
    const standsAlone = !hasTimes && !c.closed && c.days === null && c.dates === null;
    if (standsAlone) {
      if (c.lunch.length || c.holiday) continue;
      return { ok: false, unparsed: text };
    }
    if (c.holiday === 'open' && c.days?.length === 0) {
      rules.push(`PH ${osmSpans(withoutBreaks(c.spans, lunch))}`);
      continue;
    }
    const selector = [c.dates, c.days && c.days.length ? (c.days.length === 7 && !c.dates ? 'Mo-Su' : osmDays(c.days)) : null]
      .filter(Boolean)
      .join(' ');
    if (c.closed && !hasTimes) {
      if (!selector) return { ok: false, unparsed: text };
      rules.push(`${selector} off`);
      continue;
    }
    if (!hasTimes) return { ok: false, unparsed: text };
    const times = c.allDay ? '00:00-24:00' : osmSpans(withoutBreaks(c.spans, lunch));
    if (c.allDay && !selector) {
      rules.push('24/7');
      firstHours ??= '00:00-24:00';
      continue;
    }
    rules.push(selector ? `${selector} ${times}` : times);
    firstHours ??= times;
  }
  if (rules.length === 0) return { ok: false, unparsed: text };
  if (holiday === 'off') rules.push('PH off');
  else if (holiday === 'unknown') rules.push('PH unknown');
  else if (holiday === 'open' && firstHours && !rules.some((r) => r.startsWith('PH '))) rules.push(`PH ${firstHours}`);
  return { ok: true, osm: rules.join('; ') };
}
