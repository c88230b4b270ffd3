/** Checking an opening_hours value before it is stored. */
import { compileHours } from './compiled-hours.js';
import { MAX_OPENING_HOURS_LENGTH, openingHoursTooLong } from './limits.js';
import { phraseToOpeningHours } from './phrases.js';

export type OpeningHoursValidation =
  | { ok: true; warnings: string[]; /** The library's normalised spelling. */ normalized: string }
  | { ok: false; error: string };

/**
 * Parses `text` with opening_hours as the engine will (China, holidays resolved per day).
 * Never throws: the library's own error text is returned as `error`, and its warnings (which
 * do not stop evaluation) as `warnings`.
 */
export function validateOpeningHours(text: unknown): OpeningHoursValidation {
  if (typeof text !== 'string') return { ok: false, error: 'Opening hours must be a string.' };
  // Checked before parsing: a long value costs seconds of CPU to parse.
  if (text.length > MAX_OPENING_HOURS_LENGTH) return { ok: false, error: openingHoursTooLong(text.length) };
  try {
    const hours = compileHours(text);
    return { ok: true, warnings: [...hours.warnings], normalized: hours.normalized };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: message };
  }
}

export type OpeningHoursInput =
  | {
      ok: true;
      /** The OSM value to store: the text itself, or what the phrase became. */
      value: string;
      /** The text was a phrase (e.g. 周一至周五 8:00-18:00), not OSM syntax. */
      fromPhrase: boolean;
      warnings: string[];
      /** The library's normalised spelling of `value`. */
      normalized: string;
    }
  | {
      ok: false;
      error: string;
      /** When the text read as a phrase: the part that was not understood. */
      unparsed: string | null;
    };

/**
 * Hours as a manager or a file gives them: OSM syntax, or the words people use (phrases.ts).
 * OSM is tried first, so every value that was valid before means what it meant.
 */
export function readOpeningHoursInput(text: unknown): OpeningHoursInput {
  const osm = validateOpeningHours(text);
  if (osm.ok) {
    return { ok: true, value: text as string, fromPhrase: false, warnings: osm.warnings, normalized: osm.normalized };
  }
  if (typeof text !== 'string' || text.length > MAX_OPENING_HOURS_LENGTH) return { ...osm, unparsed: null };
  const phrase = phraseToOpeningHours(text);
  if (!phrase.ok) {
    // Text with Chinese or spaces-and-words is a phrase attempt; say which part was not understood.
    const looksLikePhrase = /[\u4e00-\u9fff]/.test(text) || !/^[A-Za-z0-9 ,;:\-+/.]+$/.test(text);
    return looksLikePhrase
      ? { ok: false, error: `could not read "${phrase.unparsed}"`, unparsed: phrase.unparsed }
      : { ...osm, unparsed: null };
  }
  const produced = validateOpeningHours(phrase.osm);
  if (!produced.ok) return { ok: false, error: produced.error, unparsed: null };
  return {
    ok: true,
    value: phrase.osm,
    fromPhrase: true,
    warnings: produced.warnings,
    normalized: produced.normalized,
  };
}
