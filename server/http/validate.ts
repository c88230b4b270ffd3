import type { Request } from 'express';
import type { z } from 'zod';
import { badRequest, describeZodError } from './errors.js';

/** Parses a request part with a zod schema; a failure becomes a 400 naming the bad parameter. */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: 'query' | 'body' | 'params' = 'query',
): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw badRequest(`Invalid ${part}: ${describeZodError(result.error)}`, result.error.issues);
  }
  return result.data;
}

export const queryOf = (req: Request) => req.query as Record<string, unknown>;
