/**
 * One HTTP byte range (RFC 9110 §14.1.2) of a file of known size, as a PMTiles reader asks for it.
 * Only single ranges are served: a reader asks for one directory or tile at a time, and multipart
 * answers would only cost work. A range longer than `maxLength` is shortened to it (the answer's
 * Content-Range says so, and a reader asks again for the rest), so no request makes the server read
 * more than that at once.
 */

/** Inclusive first and last byte, as Content-Range writes them. */
export interface ByteRange {
  start: number;
  end: number;
}

/** What to do with a Range header: no header → the whole file; unsatisfiable → 416. */
export type RangeAnswer =
  | { kind: 'whole' }
  | { kind: 'range'; range: ByteRange }
  | { kind: 'unsatisfiable'; reason: string };

const SINGLE = /^bytes=(\d*)-(\d*)$/;

export function parseByteRange(
  header: string | undefined,
  size: number,
  maxLength: number,
): RangeAnswer {
  if (!Number.isInteger(maxLength) || maxLength < 1) {
    throw new Error(`maxLength must be a positive integer, got ${maxLength}`);
  }
  if (header === undefined) return { kind: 'whole' };
  const match = SINGLE.exec(header.trim());
  if (!match) {
    return {
      kind: 'unsatisfiable',
      reason: 'Range must be one range of bytes, "bytes=first-last", "bytes=first-" or "bytes=-suffix"',
    };
  }
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return { kind: 'unsatisfiable', reason: 'Range "bytes=-" names no bytes' };
  let start: number;
  let end: number;
  if (first === '') {
    // A suffix: the last N bytes.
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable', reason: 'Range asks for no bytes' };
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
    if (last !== '' && Number(last) < start) {
      return { kind: 'unsatisfiable', reason: `Range ends (${last}) before it starts (${first})` };
    }
  }
  if (!Number.isSafeInteger(start) || start >= size) {
    return { kind: 'unsatisfiable', reason: `Range starts at ${first} but the file has ${size} bytes` };
  }
  end = Math.min(end, start + maxLength - 1);
  return { kind: 'range', range: { start, end } };
}
