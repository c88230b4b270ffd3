/**
 * OGC API Features `datetime`: an instant (`2024-01-01T00:00:00Z`, or a date meaning that whole UTC
 * day) or an interval `start/end` where either end may be open (`..` or empty). Parsed to the
 * milliseconds it spans; null is an open end.
 */
import { z } from 'zod';
import { isRealDate, isRealDateTime } from '../../http/dates.js';

export interface TimeSpan {
  start: number | null;
  end: number | null;
}

const DAY_MS = 86_400_000;

/** One end of an interval: [first ms, last ms] it covers, null when open, undefined when invalid. */
function parseEnd(text: string): [number, number] | null | undefined {
  if (text === '' || text === '..') return null;
  const upper = text.toUpperCase();
  if (isRealDate(upper)) {
    const start = Date.parse(`${upper}T00:00:00Z`);
    return [start, start + DAY_MS - 1];
  }
  if (isRealDateTime(upper, true)) {
    const at = Date.parse(upper);
    return [at, at];
  }
  return undefined;
}

export const DatetimeSchema = z
  .string()
  .max(100)
  .transform((text, ctx): TimeSpan => {
    const parts = text.split('/');
    const ends = parts.map(parseEnd);
    const invalid = () => {
      ctx.addIssue({
        code: 'custom',
        message:
          'datetime must be an RFC 3339 instant with its offset (2024-01-01T00:00:00Z), a date, or an interval start/end with .. for an open end',
      });
      return z.NEVER;
    };
    if (parts.length > 2 || ends.some((e) => e === undefined)) return invalid();
    if (parts.length === 1) {
      if (ends[0] === null) return invalid();
      return { start: ends[0]![0], end: ends[0]![1] };
    }
    const [from, to] = ends as [[number, number] | null, [number, number] | null];
    if (from && to && from[0] > to[1]) {
      ctx.addIssue({ code: 'custom', message: 'datetime interval is inverted: start after end' });
      return z.NEVER;
    }
    return { start: from ? from[0] : null, end: to ? to[1] : null };
  })
  .meta({
    type: 'string',
    description:
      'an instant (2024-01-01T00:00:00Z), a date, or an interval start/end (.. for an open end). Stations: when last changed (updated_at); areas have no time and ignore it',
    param: { style: 'form', explode: false },
  });
