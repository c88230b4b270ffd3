import crypto from 'node:crypto';
import type { AppDatabase } from '../../db/client.js';
import { HttpError } from '../../http/errors.js';
import { deleteOldCounters, incrementCounter, readCounter } from './rate-limits.repository.js';

export interface RateLimit {
  /** Name of what is limited, e.g. 'login-failures'. */
  bucket: string;
  limit: number;
  windowSeconds: number;
  /** Said to the client when the limit is reached. */
  message: string;
}

/** Client addresses and user names are stored hashed: the counters need identity, not the value. */
export function rateLimitKey(...parts: string[]): string {
  return crypto.createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 32);
}

function tooMany(limit: RateLimit, resetInSeconds: number) {
  return new HttpError(429, `${limit.message} Try again in ${Math.ceil(resetInSeconds / 60)} min.`, undefined, {
    'Retry-After': String(resetInSeconds),
  });
}

/** Counts this request; throws 429 (with Retry-After) once the window's limit is exceeded. */
export async function consumeRateLimit(db: AppDatabase, limit: RateLimit, key: string) {
  const { count, resetInSeconds } = await incrementCounter(db, limit.bucket, key, limit.windowSeconds);
  if (count === 1 && Math.random() < 0.05) await deleteOldCounters(db);
  if (count > limit.limit) throw tooMany(limit, resetInSeconds);
}

/** Throws 429 when the limit is already reached, without counting (for failure-only limits). */
export async function assertUnderRateLimit(db: AppDatabase, limit: RateLimit, key: string) {
  const { count, resetInSeconds } = await readCounter(db, limit.bucket, key, limit.windowSeconds);
  if (count >= limit.limit) throw tooMany(limit, resetInSeconds);
}

export async function countRateLimitHit(db: AppDatabase, limit: RateLimit, key: string) {
  await incrementCounter(db, limit.bucket, key, limit.windowSeconds);
}
