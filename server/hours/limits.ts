/**
 * How much opening-hours text one value and one request may carry. Parsing costs roughly 0.1–0.2 ms
 * of CPU per character (the library is not linear), so lengths are checked before any parsing, on
 * every path that accepts hours: edits, the live check, overrides, imports.
 */
/** One `opening_hours` value (also each date override's). */
export const MAX_OPENING_HOURS_LENGTH = 1000;
/** All hours text of one station in one request: its value plus every override's. */
export const MAX_HOURS_TEXT_PER_STATION = 3000;

export const openingHoursTooLong = (length: number) =>
  `opening_hours must be at most ${MAX_OPENING_HOURS_LENGTH} characters (got ${length})`;
