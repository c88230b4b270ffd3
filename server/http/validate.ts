import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { badRequest, describeZodError, HttpError, type Bilingual } from './errors.js';

/** Parses a request part with a zod schema; a failure becomes a 400 naming the bad parameter. */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: 'query' | 'body' | 'params' = 'query',
): z.infer<S> {
  assertStorableText(value, part);
  const result = schema.safeParse(value);
  if (!result.success) {
    throw badRequest(`Invalid ${part}: ${describeZodError(result.error)}`, result.error.issues);
  }
  return result.data;
}

/**
 * parseRequest for pages people read (the worker's sheet, the console): the 400 opens with a
 * sentence in the asker's language naming `what` was wrong; the parameter's own detail follows.
 */
export function parseForPeople<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: 'query' | 'body' | 'params',
  what: Bilingual,
): z.infer<S> {
  assertStorableText(value, part);
  const result = schema.safeParse(value);
  if (!result.success) {
    const detail = describeZodError(result.error);
    // zod's own Chinese wording for the issues our schemas leave to zod (a refusal is rare: the
    // second parse costs nothing worth counting).
    const again = schema.safeParse(value, { error: ZH_ISSUES });
    const detailZh = again.success ? detail : describeZodError(again.error);
    throw new HttpError(400, `Invalid ${part}: ${detail}`, result.error.issues, {}, {
      zh: `${what.zh}有误（${detailZh}）`,
      en: `${what.en}: ${detail}`,
    });
  }
  return result.data;
}

const ZH_ISSUES = z.locales.zhCN().localeError;

export const queryOf = (req: Request) => req.query as Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Text PostgreSQL cannot store. A text or jsonb value may not contain NUL (U+0000): the server
// refuses it (22021 / 22P05), which used to surface as a 500. A lone UTF-16 surrogate (half of an
// emoji, e.g. "\ud83d" in JSON) has no UTF-8 form: the drivers would silently store U+FFFD instead.
// Both are refused at the edge, for every field, naming where they are.

const LONE_SURROGATE = /\p{Cs}/u;

/** Why this string cannot be stored, or null when it can. */
export function unstorableTextProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored';
  // With the u flag a proper pair is one code point; only a lone half matches \p{Cs} (surrogate).
  if (LONE_SURROGATE.test(text))
    return 'contains a lone UTF-16 surrogate (half of a character such as an emoji), which cannot be stored';
  return null;
}

/**
 * The first string (value or object key) in `value` that cannot be stored, with its path
 * (`closures.0.reason`, or `key "…"` for a key). Iterative, so deep input cannot overflow the stack;
 * linear in the size of the input. Bulk import rows can use it on each row's cells.
 */
export function findUnstorableText(value: unknown): { path: string; problem: string } | null {
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = unstorableTextProblem(v);
      if (problem) return { path: path.join('.'), problem };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i] });
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const problem = unstorableTextProblem(key);
        if (problem) {
          const where = [...path, `key ${JSON.stringify(key)}`].join('.');
          return { path: where, problem };
        }
        stack.push({ value: child, path: [...path, key] });
      }
    }
  }
  return null;
}

// Request parts already walked by `rejectUnstorableText`, so parseRequest does not walk them twice.
const checked = new WeakSet<object>();

/** Throws a 400 naming the field when any text in `value` cannot be stored. */
export function assertStorableText(value: unknown, part: 'query' | 'body' | 'params') {
  if (value !== null && typeof value === 'object' && checked.has(value)) return;
  const found = findUnstorableText(value);
  if (found) {
    throw badRequest(`Invalid ${part}: ${found.path ? `${found.path}: ` : ''}${found.problem}; remove it`);
  }
}

/**
 * The one edge check for text: every request's query and JSON body, before any route sees them
 * (routes that read a part without parseRequest are covered too). Raw uploads (files) are checked
 * where their rows are read.
 */
export const rejectUnstorableText: RequestHandler = (req, _res, next) => {
  assertStorableText(req.query, 'query');
  if (req.query && typeof req.query === 'object') checked.add(req.query);
  const body: unknown = req.body;
  if (body !== undefined && !Buffer.isBuffer(body)) {
    assertStorableText(body, 'body');
    if (body !== null && typeof body === 'object') checked.add(body);
  }
  next();
};

// ---------------------------------------------------------------------------------------------
// Nesting depth. JSON.parse copes with deep input, but everything after it (zod, JSON.stringify,
// jsonb) recurses and overflows the stack. The depth is checked first, in one linear pass over the
// raw text, so a 100k-deep body costs no more than reading it.

/** Deeper than any document we accept: a GeoJSON MultiPolygon in a FeatureCollection is 8. */
export const MAX_JSON_DEPTH = 64;

/** Whether JSON `text` nests arrays/objects deeper than `max` (brackets inside strings ignored). */
export function jsonNestsDeeperThan(text: Uint8Array | string, max = MAX_JSON_DEPTH): boolean {
  const bytes = typeof text === 'string' ? null : text;
  const length = bytes ? bytes.length : (text as string).length;
  const at = bytes ? (i: number) => bytes[i]! : (i: number) => (text as string).charCodeAt(i);
  let depth = 0;
  let inString = false;
  for (let i = 0; i < length; i++) {
    const c = at(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return false;
}

/** Throws a 400 when JSON `text` nests deeper than MAX_JSON_DEPTH; `what` starts the message. */
export function assertJsonDepth(text: Uint8Array | string, what = 'The request body') {
  if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw badRequest(
      `${what} is nested more than ${MAX_JSON_DEPTH} levels deep; no document we accept needs that many`,
    );
  }
}
