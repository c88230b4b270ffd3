/**
 * The forms of a text that a search compares: folded text (full-width → ASCII, lower case, no
 * spaces or punctuation) and, for Chinese, its pinyin spelt out (`donghuamen`) and its initials
 * (`dhm`). Pinyin comes from `pinyin-pro`, one character at a time through a cache: a country's
 * station names use a few thousand distinct characters, so 200,000 names cost a cache lookup per
 * character instead of a dictionary segmentation per name (~20 µs each, 4 s at 200k). The price:
 * a character with several readings is spelt by its commonest one (行 → xing, so 银行 is
 * `yinxing`); its Chinese and the other characters still find it.
 */
import { pinyin } from 'pinyin-pro';

const HAN = /\p{Script=Han}/u;
/** Spaces and the punctuation people type or leave out at will (· in 东城·东华门, brackets, quotes). */
const IGNORED = /[\s\p{P}\p{S}]/gu;

/** NFKC (full-width letters and digits → ASCII), lower case, without spaces or punctuation. */
export function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(IGNORED, '');
}

export const hasHan = (text: string): boolean => HAN.test(text);

const readings = new Map<string, string>();

/** The toneless pinyin of one Han character (ü as v, as people type it), cached. */
function readingOf(char: string): string {
  let reading = readings.get(char);
  if (reading === undefined) {
    reading = pinyin(char, { toneType: 'none', v: true }).toLowerCase();
    // Outside pinyin-pro's dictionary (rare extension characters) it returns the character.
    if (reading === char) reading = '';
    readings.set(char, reading);
  }
  return reading;
}

export interface PinyinForms {
  /** Every syllable spelt out; other characters (digits, Latin) kept as they are. */
  full: string;
  /** The first letter of each syllable; other characters kept as they are. */
  initials: string;
}

/** Pinyin forms of already folded text; text without Han characters has none (null). */
export function pinyinForms(folded: string): PinyinForms | null {
  if (!hasHan(folded)) return null;
  let full = '';
  let initials = '';
  for (const char of folded) {
    if (HAN.test(char)) {
      const reading = readingOf(char);
      full += reading;
      initials += reading.charAt(0);
    } else {
      full += char;
      initials += char;
    }
  }
  return { full, initials };
}

/** How many distinct characters have been read so far (for the bench's log). */
export const cachedReadings = (): number => readings.size;
