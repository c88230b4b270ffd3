/** Checking an opening_hours value before it is stored. */
import { compileHours } from './compiled-hours.js';
import { MAX_OPENING_HOURS_LENGTH, openingHoursTooLong } from './limits.js';

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
