/**
 * Planner answers cached by data version, shared by every instance (in the database): the key is a
 * hash of the kind of question, its normalised parameters and the versions of what it is computed
 * from, so new data simply asks a new question and nothing is served stale. Identical questions
 * arriving together in one process are computed once; each computation passes its kind's limiter.
 */
import crypto from 'node:crypto';
import type { AppDatabase } from '../../db/client.js';
import type { WorkLimiter } from '../../work/work-limiter.js';
import { MAX_CACHED_BYTES, findCachedAnswer, storeCachedAnswer } from './results-cache.repository.js';

export type CacheState = 'hit' | 'miss';

export interface CachedAnswer {
  /** The answer as JSON text. */
  json: string;
  cache: CacheState;
}

/** Stable JSON: object keys sorted, so equal questions hash equally whatever their order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function cacheKey(kind: string, question: unknown): string {
  return crypto.createHash('sha256').update(`${kind}\n${stableJson(question)}`).digest('hex');
}

export class ResultsCache {
  private readonly inFlight = new Map<string, Promise<CachedAnswer>>();

  constructor(private readonly db: AppDatabase) {}

  /** The cached answer to (kind, question), or `compute()`'s (run through `limiter`), stored. */
  async answer(
    kind: string,
    question: unknown,
    limiter: WorkLimiter,
    compute: () => Promise<unknown>,
  ): Promise<CachedAnswer> {
    const key = cacheKey(kind, question);
    const running = this.inFlight.get(key);
    // Asked again while the first is being looked up or computed: share its answer.
    if (running) return { json: (await running).json, cache: 'hit' };
    const work = (async (): Promise<CachedAnswer> => {
      const stored = await findCachedAnswer(this.db, key);
      if (stored !== null) return { json: stored, cache: 'hit' };
      const json = JSON.stringify(await limiter.run(compute));
      if (json.length <= MAX_CACHED_BYTES) {
        await storeCachedAnswer(this.db, { key, kind, body: json });
      }
      return { json, cache: 'miss' };
    })();
    this.inFlight.set(key, work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(key);
    }
  }
}
