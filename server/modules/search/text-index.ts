/**
 * Substring search over many short texts, kept as one joined string per field: V8's indexOf over a
 * few MB is far quicker than calling includes() on 200,000 small strings, and the offsets of the
 * items find the owner of a hit. One hit per item and field is enough: the first occurrence is the
 * only one that can be a prefix. Every item is followed by the separator (the last one too), so a
 * stretch of items is one slice of the text: an edit patches a column instead of re-joining it.
 */
import { contextForms, foldText, hasHan, pinyinForms } from './search-text.js';

/** Folded texts never hold a newline (foldText strips whitespace), so it separates items. */
const SEPARATOR = '\n';

export class TextColumn {
  private readonly text: string;
  /** starts[i] = offset of item i; starts[n] = one past the end (with the separator). */
  private readonly starts: Int32Array;

  private constructor(text: string, starts: Int32Array) {
    this.text = text;
    this.starts = starts;
  }

  static of(values: readonly string[]): TextColumn {
    const text = values.length ? values.join(SEPARATOR) + SEPARATOR : '';
    return new TextColumn(text, TextColumn.offsets(values.length, (i) => values[i]!));
  }

  /**
   * The same column from `count` values read by `valueAt`, joined `chunk` at a time with a turn
   * of the event loop between: at 200,000 items one join would hold it for tens of ms.
   */
  static async inTurns(
    count: number,
    valueAt: (i: number) => string,
    nextTurn: () => Promise<void>,
    chunk = 20_000,
  ): Promise<TextColumn> {
    const parts: string[] = [];
    for (let from = 0; from < count; from += chunk) {
      const slice: string[] = [];
      for (let i = from; i < Math.min(count, from + chunk); i++) slice.push(valueAt(i));
      parts.push(slice.join(SEPARATOR) + SEPARATOR);
      await nextTurn();
    }
    return new TextColumn(parts.join(''), TextColumn.offsets(count, valueAt));
  }

  /**
   * A new column from an old one: stretches of its items copied (one slice each) and new values
   * in between. O(stretches) string work plus one pass over the offsets: a few ms at 200,000
   * items where a re-join is tens.
   */
  static patched(old: TextColumn, runs: readonly ColumnRun[]): TextColumn {
    let count = 0;
    for (const run of runs) count += 'value' in run ? 1 : run.count;
    const starts = new Int32Array(count + 1);
    const parts: string[] = [];
    let item = 0;
    let offset = 0;
    for (const run of runs) {
      if ('value' in run) {
        starts[item++] = offset;
        parts.push(run.value, SEPARATOR);
        offset += run.value.length + 1;
        continue;
      }
      const begin = old.starts[run.from]!;
      const end = old.starts[run.from + run.count]!;
      for (let k = 0; k < run.count; k++) starts[item++] = old.starts[run.from + k]! - begin + offset;
      parts.push(old.text.slice(begin, end));
      offset += end - begin;
    }
    starts[count] = offset;
    return new TextColumn(parts.join(''), starts);
  }

  private static offsets(count: number, valueAt: (i: number) => string): Int32Array {
    const starts = new Int32Array(count + 1);
    let offset = 0;
    for (let i = 0; i < count; i++) {
      starts[i] = offset;
      offset += valueAt(i).length + 1;
    }
    starts[count] = offset;
    return starts;
  }

  /** Calls visit(item, atStart, whole) once for each item containing `needle` (non-empty). */
  forEachMatch(needle: string, visit: (item: number, atStart: boolean, whole: boolean) => void) {
    const { text, starts } = this;
    let item = 0;
    let from = 0;
    for (;;) {
      const at = text.indexOf(needle, from);
      if (at < 0) return;
      // Hits come in text order, so the owner is found by walking on: O(items) per query at
      // worst, and O(1) per hit when hits are dense (a broad query), where a search per hit is not.
      while (starts[item + 1]! <= at) item++;
      const start = starts[item]!;
      const end = starts[item + 1]! - 1;
      // A needle never contains the separator, so a hit never spans two items.
      visit(item, at === start, at === start && at + needle.length === end);
      from = end + 1;
    }
  }

  /** Like forEachMatch, for items that start with `needle` only. */
  forEachPrefix(needle: string, visit: (item: number, atStart: true, whole: boolean) => void) {
    const { text, starts } = this;
    for (let item = 0; item < starts.length - 1; item++) {
      const start = starts[item]!;
      if (text.startsWith(needle, start)) {
        visit(item, true, start + needle.length === starts[item + 1]! - 1);
      }
    }
  }
}

/** A stretch of a patched column: `count` old items from `from`, or one new value. */
export type ColumnRun = { from: number; count: number } | { value: string };

/** Where a hit was found; what the answer says to explain a result. */
export type MatchField = 'name' | 'pinyin' | 'initials' | 'address';

/**
 * Relevance, best first: the whole name (or its whole pinyin/initials), the name's start, the
 * pinyin's start, anywhere in the name, anywhere in the pinyin, anywhere in the address.
 */
export const TIER = {
  exact: 0,
  namePrefix: 1,
  pinyinPrefix: 2,
  nameInside: 3,
  pinyinInside: 4,
  address: 5,
} as const;
const NO_MATCH = 255;
const FIELDS: MatchField[] = ['name', 'pinyin', 'initials', 'address'];

export interface SearchableText {
  name: string;
  nameEn?: string | null;
  address?: string | null;
}

/** The folded forms of one item; made once per record and reused by every snapshot's index. */
export interface FoldedForms {
  name: string;
  nameEn: string;
  full: string;
  initials: string;
  /** The spelling in context where it differs from the per-character one, else ''. */
  contextFull: string;
  contextInitials: string;
  address: string;
  /** A polyphonic name whose spelling in context is not made yet (see withContext). */
  needsContext: boolean;
}

/** Folded forms; `context: false` leaves a polyphonic name's spelling in context for later. */
export function foldedForms(item: SearchableText, context = true): FoldedForms {
  const name = foldText(item.name);
  const pinyin = pinyinForms(name);
  const forms: FoldedForms = {
    name,
    nameEn: item.nameEn ? foldText(item.nameEn) : '',
    full: pinyin?.full ?? '',
    initials: pinyin?.initials ?? '',
    contextFull: '',
    contextInitials: '',
    address: item.address ? foldText(item.address) : '',
    needsContext: pinyin?.polyphonic ?? false,
  };
  return context ? withContext(forms) : forms;
}

/** The same forms with the spelling in context made (a new object; forms are shared, never changed). */
export function withContext(forms: FoldedForms): FoldedForms {
  if (!forms.needsContext) return forms;
  const context = contextForms(forms.name);
  const differs = context !== null && context.full !== forms.full;
  return {
    ...forms,
    contextFull: differs ? context.full : '',
    contextInitials: differs ? context.initials : '',
    needsContext: false,
  };
}

/** A query folded once: its text, and whether pinyin fields apply (no Han characters in it). */
export interface PreparedQuery {
  folded: string;
  latin: boolean;
}

export function prepareQuery(q: string): PreparedQuery {
  // People type ü as v (lv for 绿); the index spells it so too.
  const folded = foldText(q).replace(/ü/g, 'v');
  return { folded, latin: !hasHan(folded) };
}

export interface TextMatches {
  /** Matching items, each once, in no particular order. */
  items: number[];
  /** Best tier per item (index = item); NO_MATCH for the rest. */
  tiers: Uint8Array;
  /** The field of the best tier per item, as an index into FIELDS. */
  fields: Uint8Array;
}

type ColumnName =
  | 'name'
  | 'nameEn'
  | 'full'
  | 'initials'
  | 'contextFull'
  | 'contextInitials'
  | 'address';
const COLUMNS: ColumnName[] = [
  'name',
  'nameEn',
  'full',
  'initials',
  'contextFull',
  'contextInitials',
  'address',
];

export class TextIndex {
  readonly size: number;

  private constructor(
    size: number,
    private readonly columns: Record<ColumnName, TextColumn>,
  ) {
    this.size = size;
  }

  /** Built at once: for a few thousand items (areas). */
  static of(forms: readonly FoldedForms[]): TextIndex {
    const columns = {} as Record<ColumnName, TextColumn>;
    for (const name of COLUMNS) columns[name] = TextColumn.of(forms.map((f) => f[name]));
    return new TextIndex(forms.length, columns);
  }

  /**
   * Built a slice of a column per turn of the event loop: seven joins of 200,000 texts in one go
   * would hold every other request for their sum (hundreds of ms).
   */
  static async inTurns(forms: readonly FoldedForms[], nextTurn: () => Promise<void>): Promise<TextIndex> {
    const columns = {} as Record<ColumnName, TextColumn>;
    for (const name of COLUMNS) {
      columns[name] = await TextColumn.inTurns(forms.length, (i) => forms[i]![name], nextTurn);
    }
    return new TextIndex(forms.length, columns);
  }

  /** The index after an edit: old items copied by stretches, changed ones from their forms. */
  static async patched(
    old: TextIndex,
    runs: ReadonlyArray<{ from: number; count: number } | { forms: FoldedForms }>,
    nextTurn: () => Promise<void>,
  ): Promise<TextIndex> {
    const columns = {} as Record<ColumnName, TextColumn>;
    let size = 0;
    for (const run of runs) size += 'forms' in run ? 1 : run.count;
    for (const name of COLUMNS) {
      await nextTurn();
      columns[name] = TextColumn.patched(
        old.columns[name],
        runs.map((run) => ('forms' in run ? { value: run.forms[name] } : run)),
      );
    }
    return new TextIndex(size, columns);
  }

  /** Every item matching the query with its best tier. Linear in the text size, not the hits. */
  match(query: PreparedQuery): TextMatches {
    const tiers = new Uint8Array(this.size).fill(NO_MATCH);
    const fields = new Uint8Array(this.size);
    const items: number[] = [];
    const offer = (item: number, tier: number, field: number) => {
      const held = tiers[item]!;
      if (held === NO_MATCH) items.push(item);
      if (tier < held) {
        tiers[item] = tier;
        fields[item] = field;
      }
    };
    const needle = query.folded;
    const { name, nameEn, full, initials, contextFull, contextInitials, address } = this.columns;
    const byName = (item: number, atStart: boolean, whole: boolean) =>
      offer(item, whole ? TIER.exact : atStart ? TIER.namePrefix : TIER.nameInside, 0);
    name.forEachMatch(needle, byName);
    nameEn.forEachMatch(needle, byName);
    if (query.latin) {
      // One letter inside a pinyin spelling says nothing ('d' in zhongdian): starts only.
      const startsOnly = needle.length === 1;
      for (const [column, field] of [
        [full, 1],
        [initials, 2],
        [contextFull, 1],
        [contextInitials, 2],
      ] as const) {
        const visit = (item: number, atStart: boolean, whole: boolean) =>
          offer(item, whole ? TIER.exact : atStart ? TIER.pinyinPrefix : TIER.pinyinInside, field);
        if (startsOnly) column.forEachPrefix(needle, visit);
        else column.forEachMatch(needle, visit);
      }
    }
    address.forEachMatch(needle, (item) => offer(item, TIER.address, 3));
    return { items, tiers, fields };
  }
}

export const fieldName = (index: number): MatchField => FIELDS[index]!;
