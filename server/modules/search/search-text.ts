/**
 * The forms of a text that a search compares: folded text (full-width → ASCII, lower case, no
 * spaces or punctuation) and, for Chinese, its pinyin spelt out (`donghuamen`) and its initials
 * (`dhm`). Pinyin comes from `pinyin-pro`, one character at a time: a country's station names use
 * a few thousand distinct characters, so 200,000 names cost a table read per character instead of
 * a dictionary segmentation per name (~20 µs each, 4 s at 200k). The price: a character with
 * several readings is spelt by its commonest one (行 → xing, so 银行 is `yinxing`); its Chinese
 * and the other characters still find it.
 *
 * Everything is decided once per distinct UTF-16 code unit and kept in flat tables indexed by
 * char code, so the regexes, NFKC and pinyin-pro run a few thousand times in all, not per name.
 */
import { pinyin } from 'pinyin-pro';

const HAN = /\p{Script=Han}/u;
/** Spaces and the punctuation people type or leave out at will (· in 东城·东华门, brackets, quotes). */
const IGNORED = /[\s\p{P}\p{S}]/gu;

/** What one character folds to ('' when ignored); undefined until first seen. */
const FOLDED: Array<string | undefined> = new Array(0x10000);
/** Pinyin of a folded BMP character (the character itself when not Han). */
const FULL: Array<string | undefined> = new Array(0x10000);
const INITIAL: string[] = new Array(0x10000);
const IS_HAN = new Uint8Array(0x10000);
/** Characters outside the BMP (surrogate pairs: rare extension Han, emoji): folded → pinyin. */
const ASTRAL = new Map<string, { folded: string; full: string; han: boolean }>();

const foldChar = (char: string) => char.normalize('NFKC').toLowerCase().replace(IGNORED, '');

function readingOf(char: string): { full: string; han: boolean } {
  if (!HAN.test(char)) return { full: char, han: false };
  const full = pinyin(char, { toneType: 'none', v: true }).toLowerCase();
  // Outside pinyin-pro's dictionary (rare extension characters) it returns the character.
  return { full: full === char ? '' : full, han: true };
}

function learn(code: number): void {
  const folded = foldChar(String.fromCharCode(code));
  FOLDED[code] = folded;
  // NFKC may turn one character into several (㈱ → (株)); each is looked up on its own later.
  if (folded.length === 1 && FULL[folded.charCodeAt(0)] === undefined) {
    const { full, han } = readingOf(folded);
    const c = folded.charCodeAt(0);
    FULL[c] = full;
    INITIAL[c] = full.charAt(0);
    IS_HAN[c] = han ? 1 : 0;
  }
}

function astral(pair: string) {
  let entry = ASTRAL.get(pair);
  if (!entry) {
    const folded = foldChar(pair);
    entry = { folded, ...readingOf(folded) };
    ASTRAL.set(pair, entry);
  }
  return entry;
}

/**
 * NFKC per character (full-width letters and digits → ASCII), lower case, without spaces or
 * punctuation. Per character rather than per string: combining accents stay separate, which no
 * station name needs.
 */
export function foldText(text: string): string {
  // Most names fold to themselves (Han characters, digits): then no new string is made at all.
  let i = 0;
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) break;
    if (FOLDED[code] === undefined) learn(code);
    if (FOLDED[code]!.length !== 1 || FOLDED[code]!.charCodeAt(0) !== code) break;
  }
  if (i === text.length) return text;
  const parts: string[] = [text.slice(0, i)];
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      parts.push(astral(text.slice(i, i + 2)).folded);
      i++;
      continue;
    }
    if (FOLDED[code] === undefined) learn(code);
    parts.push(FOLDED[code]!);
  }
  return parts.join('');
}

/** Whether the text holds a Han character (a Chinese query: no pinyin matching). */
export const hasHan = (text: string): boolean => HAN.test(text);

export interface PinyinForms {
  /** Every syllable spelt out; other characters (digits, Latin) kept as they are. */
  full: string;
  /** The first letter of each syllable; other characters kept as they are. */
  initials: string;
}

/** Pinyin forms of already folded text; text without Han characters has none (null). */
export function pinyinForms(folded: string): PinyinForms | null {
  const full: string[] = [];
  const initials: string[] = [];
  let han = 0;
  for (let i = 0; i < folded.length; i++) {
    const code = folded.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < folded.length) {
      const char = folded.slice(i, i + 2);
      i++;
      const entry = astral(char);
      han |= entry.han ? 1 : 0;
      full.push(entry.full);
      initials.push(entry.han ? entry.full.charAt(0) : char);
      continue;
    }
    if (FULL[code] === undefined) {
      const { full: reading, han: isHan } = readingOf(folded[i]!);
      FULL[code] = reading;
      INITIAL[code] = reading.charAt(0);
      IS_HAN[code] = isHan ? 1 : 0;
    }
    han |= IS_HAN[code]!;
    full.push(FULL[code]!);
    initials.push(INITIAL[code]!);
  }
  // Joined, not concatenated: flat strings, so the index's join copies them without flattening.
  return han ? { full: full.join(''), initials: initials.join('') } : null;
}

/** How many distinct Han characters have been read so far (for the bench's log). */
export const cachedReadings = (): number =>
  IS_HAN.reduce((n, h) => n + h, 0) + [...ASTRAL.values()].filter((e) => e.han).length;
