/**
 * The forms of a text that a search compares: folded text (full-width → ASCII, lower case, no
 * spaces or punctuation) and, for Chinese, its pinyin spelt out (`donghuamen`) and its initials
 * (`dhm`). Pinyin comes from `pinyin-pro`, one character at a time: a country's station names use
 * a few thousand distinct characters, so 200,000 names cost a table read per character instead of
 * a dictionary segmentation per name (~10–20 µs each, 2–4 s at 200k). A character with several
 * readings is spelt there by its commonest one (行 → xing, 什 → shen); names holding one also get
 * their spelling in context (`contextForms`: 银行 yinhang, 什刹海 shichahai), which the index adds
 * when it has time (station-search-index.ts).
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
/** 0: not Han; 1: Han with one reading; 2: Han with several (行 xing/hang): context matters. */
const IS_HAN = new Uint8Array(0x10000);
/** Characters outside the BMP (surrogate pairs: rare extension Han, emoji): folded → pinyin. */
const ASTRAL = new Map<string, { folded: string; full: string; han: boolean; several: boolean }>();

const foldChar = (char: string) => char.normalize('NFKC').toLowerCase().replace(IGNORED, '');

function readingOf(char: string): { full: string; han: boolean; several: boolean } {
  if (!HAN.test(char)) return { full: char, han: false, several: false };
  const full = pinyin(char, { toneType: 'none', v: true }).toLowerCase();
  const readings = new Set(pinyin(char, { toneType: 'none', v: true, multiple: true, type: 'array' }));
  // Outside pinyin-pro's dictionary (rare extension characters) it returns the character.
  return { full: full === char ? '' : full, han: true, several: readings.size > 1 };
}

const hanCode = (r: { han: boolean; several: boolean }) => (r.han ? (r.several ? 2 : 1) : 0);

function learn(code: number): void {
  const folded = foldChar(String.fromCharCode(code));
  FOLDED[code] = folded;
  // NFKC may turn one character into several (㈱ → (株)); each is looked up on its own later.
  if (folded.length === 1 && FULL[folded.charCodeAt(0)] === undefined) {
    const reading = readingOf(folded);
    const c = folded.charCodeAt(0);
    FULL[c] = reading.full;
    INITIAL[c] = reading.full.charAt(0);
    IS_HAN[c] = hanCode(reading);
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
  /** Some character has several readings: the spelling in context may differ. */
  polyphonic: boolean;
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
      han |= hanCode(entry);
      full.push(entry.full);
      initials.push(entry.han ? entry.full.charAt(0) : char);
      continue;
    }
    if (FULL[code] === undefined) {
      const reading = readingOf(folded[i]!);
      FULL[code] = reading.full;
      INITIAL[code] = reading.full.charAt(0);
      IS_HAN[code] = hanCode(reading);
    }
    han |= IS_HAN[code]!;
    full.push(FULL[code]!);
    initials.push(INITIAL[code]!);
  }
  // Joined, not concatenated: flat strings, so the index's join copies them without flattening.
  return han ? { full: full.join(''), initials: initials.join(''), polyphonic: (han & 2) !== 0 } : null;
}

/**
 * Pinyin forms read in context (for text `pinyinForms` has seen, so every character is known) by pinyin-pro's word dictionary (银行 yinhang, 重庆 chongqing,
 * 什刹海 shichahai): ~10 µs a name, so only for names with a polyphonic character, and off the
 * request path for a whole country. Null when it cannot line the syllables up with the characters
 * (characters outside the BMP).
 */
export function contextForms(folded: string): PinyinForms | null {
  const syllables = pinyin(folded, { toneType: 'none', type: 'array', v: true, segmentit: 2 });
  if (syllables.length !== folded.length) return null;
  const full: string[] = [];
  const initials: string[] = [];
  for (let i = 0; i < folded.length; i++) {
    const code = folded.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) return null;
    if (IS_HAN[code]) {
      const reading = syllables[i]!.toLowerCase();
      full.push(reading);
      initials.push(reading.charAt(0));
    } else {
      full.push(folded[i]!);
      initials.push(folded[i]!);
    }
  }
  return { full: full.join(''), initials: initials.join(''), polyphonic: true };
}

/** How many distinct Han characters have been read so far (for the bench's log). */
export const cachedReadings = (): number =>
  IS_HAN.reduce((n, h) => n + (h ? 1 : 0), 0) + [...ASTRAL.values()].filter((e) => e.han).length;
