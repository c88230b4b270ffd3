/**
 * Resolving `PH` selectors against China's real holiday calendar.
 *
 * opening_hours decides `PH` from its own table, which for China ("cn") holds only fixed dates
 * (元旦, 妇女节, 劳动节, 青年节, 儿童节, 国庆 1-3 Oct) and neither the lunar holidays (春节, 清明,
 * 端午, 中秋) nor the yearly bridge days. It offers no hook to supply another calendar.
 *
 * So for each local day we settle every `PH` selector ourselves, before the library sees the
 * value, and let the library evaluate the result on the real date — month, week, year and
 * weekday selectors keep their exact meaning. The rewrite works on the library's own
 * normalised output (prettifyValue, one rule at a time), where selectors are canonical:
 *
 * - `PH` (or `PH +1 day`, `PH -1 day`) inside a comma list is an OR with its neighbours:
 *   if it holds that day, the whole weekday selector holds → `Mo-Su`; if not, it is removed.
 *   `Sa,PH 10:00-16:00` becomes `Mo-Su 10:00-16:00` on a holiday and `Sa 10:00-16:00` otherwise.
 * - `PH Mo-Fr` (holiday list, space, weekdays) is an AND: it becomes `Mo-Fr` when it holds.
 * - A rule whose selector can no longer match (`PH off` on an ordinary day) is dropped with the
 *   separator before it; a never-matching rule has no effect under `;`, `,` or `||`.
 *
 * Limit: the library evaluates the after-midnight part of a time range (`PH 22:00-02:00`)
 * against the day it starts on, while our rewrite is chosen per day it lands on; so only a rule
 * that both names PH and crosses midnight can be an hour or two off next to a holiday.
 */

/** One user-visible rule and the separator that preceded it (`''` for the first). */
export interface RuleText {
  separator: string;
  text: string;
}

export interface HolidayReferences {
  rules: RuleText[];
  /**
   * Which days' holiday status the value depends on, relative to the evaluated day: 0 for `PH`,
   * -1 for `PH +1 day` (it matches the day after a holiday, so it asks about yesterday), +1 for
   * `PH -1 day`. Empty when the value never mentions PH.
   */
  dayOffsets: number[];
}

const PH_ITEM = /^PH(?: ([+-]\d+) days?)?$/;
const WEEKDAY_ITEM = /^(?:Mo|Tu|We|Th|Fr|Sa|Su)\b/;

/** Splits a normalised rule into words; a quoted comment is one word, `PH +1 day` is one word. */
function splitWords(rule: string): string[] {
  const words: string[] = [];
  const pattern = /"[^"]*"|[^\s"]+/g;
  for (const match of rule.matchAll(pattern)) words.push(match[0]);
  // Rejoin day offsets ("PH", "+1", "day,Sa") so that an offset travels with its selector.
  const joined: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const next = words[i + 1];
    if (/^[+-]\d+$/.test(word) && next !== undefined && /^days?(?:[,:]|$)/.test(next)) {
      const previous = joined.pop() ?? '';
      joined.push(`${previous} ${word} ${next}`.trim());
      i++;
    } else {
      joined.push(word);
    }
  }
  return joined;
}

/** Comma-separated items of a selector word, ignoring commas inside `[...]` (`Mo[1,3]`). */
function splitItems(word: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of word) {
    if (char === '[') depth++;
    if (char === ']') depth--;
    if (char === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  items.push(current);
  return items;
}

/** Day offset asked about by a `PH` item (see `dayOffsets`), or undefined for other items. */
function holidayOffsetOf(item: string): number | undefined {
  const match = PH_ITEM.exec(item);
  if (!match) return undefined;
  return match[1] ? -Number(match[1]) : 0;
}

function isCommentWord(word: string): boolean {
  return word.startsWith('"');
}

/**
 * Pairs the library's per-rule texts with the separators between them in the full value, and
 * collects the PH day offsets. Returns undefined if the texts do not tile the value (which
 * would mean a library output we do not understand).
 */
export function findHolidayReferences(
  value: string,
  ruleTexts: string[],
): HolidayReferences | undefined {
  const rules: RuleText[] = [];
  let position = 0;
  for (const text of ruleTexts) {
    const at = value.indexOf(text, position);
    if (at < 0) return undefined;
    const separator = value.slice(position, at);
    if (rules.length === 0 ? separator !== '' : !/^\s*(?:;|,|\|\|)\s*$/.test(separator)) {
      return undefined;
    }
    rules.push({ separator, text });
    position = at + text.length;
  }
  if (value.slice(position).trim() !== '') return undefined;

  const offsets = new Set<number>();
  for (const { text } of rules) {
    for (const word of splitWords(text)) {
      if (isCommentWord(word)) continue;
      for (const item of splitItems(word.replace(/:$/, ''))) {
        const offset = holidayOffsetOf(item);
        if (offset !== undefined) offsets.add(offset);
      }
    }
  }
  return { rules, dayOffsets: [...offsets].sort((a, b) => a - b) };
}

/** One rule with its PH selectors settled, or null when the rule cannot match that day. */
function settleRule(rule: string, isHoliday: (dayOffset: number) => boolean): string | null {
  const words = splitWords(rule);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (isCommentWord(word)) {
      out.push(word);
      continue;
    }
    const colon = word.endsWith(':') ? ':' : '';
    const items = splitItems(colon ? word.slice(0, -1) : word);
    const offsets = items.map(holidayOffsetOf);
    if (offsets.every((offset) => offset === undefined)) {
      out.push(word);
      continue;
    }
    const holds = offsets.some((offset) => offset !== undefined && isHoliday(offset));
    const nextWord = words[i + 1];
    const andWithWeekdays =
      offsets.every((offset) => offset !== undefined) &&
      nextWord !== undefined &&
      splitItems(nextWord.replace(/:$/, '')).every((item) => WEEKDAY_ITEM.test(item));

    if (andWithWeekdays) {
      if (!holds) return null;
      continue; // keep only the weekday word that follows
    }
    if (holds) {
      out.push(`Mo-Su${colon}`);
      continue;
    }
    const remaining = items.filter((_, index) => offsets[index] === undefined);
    if (remaining.length === 0) return null;
    out.push(remaining.join(',') + colon);
  }
  return out.join(' ');
}

/** The value with every PH selector settled for one day; `off` if no rule can match. */
export function settleHolidays(
  references: HolidayReferences,
  isHoliday: (dayOffset: number) => boolean,
): string {
  const kept: RuleText[] = [];
  for (const rule of references.rules) {
    const text = settleRule(rule.text, isHoliday);
    if (text !== null) kept.push({ separator: rule.separator, text });
  }
  if (kept.length === 0) return 'off';
  return kept.map((rule, index) => (index === 0 ? rule.text : rule.separator + rule.text)).join('');
}
