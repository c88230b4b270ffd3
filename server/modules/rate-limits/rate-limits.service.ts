import crypto from 'node:crypto';
import type { AppDatabase } from '../../db/client.js';
import { bilingualError, type Bilingual } from '../../http/errors.js';
import {
  decrementCounters,
  deleteOldCounters,
  incrementCounter,
  incrementCounters,
  readCounter,
} from './rate-limits.repository.js';

export interface RateLimit {
  /** Name of what is limited, e.g. 'login-failures'. */
  bucket: string;
  limit: number;
  windowSeconds: number;
  /** Said to the client when the limit is reached, in the asker's language. */
  message: Bilingual;
}

/** Client addresses and user names are stored hashed: the counters need identity, not the value. */
export function rateLimitKey(...parts: string[]): string {
  return crypto.createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 32);
}

function tooMany(limit: RateLimit, resetInSeconds: number) {
  const minutes = Math.ceil(resetInSeconds / 60);
  return bilingualError(
    429,
    { zh: `${limit.message.zh}请 ${minutes} 分钟后再试。`, en: `${limit.message.en} Try again in ${minutes} min.` },
    { 'Retry-After': String(resetInSeconds) },
  );
}

/** Counts this request; throws 429 (with Retry-After) once the window's limit is exceeded. */
export async function consumeRateLimit(db: AppDatabase, limit: RateLimit, key: string) {
  const { count, resetInSeconds } = await incrementCounter(db, limit.bucket, key, limit.windowSeconds);
  if (count === 1 && Math.random() < 0.05) await deleteOldCounters(db);
  if (count > limit.limit) throw tooMany(limit, resetInSeconds);
}

/**
 * Counts one attempt against each limit and checks them in the same statement (see
 * `incrementCounters`); throws 429 (with Retry-After) when any is now over. The charge stands for a
 * failure; call the returned `refund` when the attempt succeeded, so only failures and attempts still
 * in flight count. N parallel attempts thus get exactly as many tries as N serial ones.
 */
export async function chargeRateLimits(
  db: AppDatabase,
  charges: Array<{ limit: RateLimit; key: string }>,
): Promise<{ refund: () => Promise<void> }> {
  const counted = await incrementCounters(
    db,
    charges.map(({ limit, key }) => ({ bucket: limit.bucket, key, windowSeconds: limit.windowSeconds })),
  );
  for (const { limit, key } of charges) {
    const counter = counted.find((c) => c.bucket === limit.bucket && c.key === key);
    if (counter && counter.count > limit.limit) throw tooMany(limit, counter.resetInSeconds);
  }
  if (counted.some((c) => c.count === 1) && Math.random() < 0.05) await deleteOldCounters(db);
  return { refund: () => decrementCounters(db, counted) };
}

/** The window's count so far, without adding to it. */
export async function readRateLimit(db: AppDatabase, limit: RateLimit, key: string): Promise<number> {
  return (await readCounter(db, limit.bucket, key, limit.windowSeconds)).count;
}

export async function countRateLimitHit(db: AppDatabase, limit: RateLimit, key: string) {
  await incrementCounter(db, limit.bucket, key, limit.windowSeconds);
}
