import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';

/** The current fixed window, computed by the database so every instance agrees on it. */
const windowStart = (windowSeconds: number) =>
  sql`to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}) * ${windowSeconds})`;

/** Adds one hit and returns the window's count after it (atomic across instances). */
export async function incrementCounter(
  db: AppDatabase,
  bucket: string,
  key: string,
  windowSeconds: number,
): Promise<{ count: number; resetInSeconds: number }> {
  const [row] = await queryRows<{ count: number; reset_in: number }>(
    db,
    sql`insert into rate_limit_counters as c (bucket, key, window_start, count)
        values (${bucket}, ${key}, ${windowStart(windowSeconds)}, 1)
        on conflict (bucket, key, window_start) do update set count = c.count + 1
        returning c.count,
          ceil(extract(epoch from c.window_start) + ${windowSeconds} - extract(epoch from now()))::int as reset_in`,
  );
  return { count: row!.count, resetInSeconds: Math.max(1, row!.reset_in) };
}

export interface CounterCharge {
  bucket: string;
  key: string;
  windowSeconds: number;
}

export interface ChargedCounter {
  bucket: string;
  key: string;
  count: number;
  /** The window the hit went into, to take it back from exactly that window. */
  windowStart: string;
  resetInSeconds: number;
}

/**
 * Adds one hit to each counter in ONE statement and returns every count after it: parallel
 * requests are numbered by the database's row locks, so no two can both see "under the limit"
 * for the same last try (a read-then-write pair could).
 */
export async function incrementCounters(
  db: AppDatabase,
  charges: CounterCharge[],
): Promise<ChargedCounter[]> {
  const rows = sql.join(
    charges.map((c) => sql`(${c.bucket}, ${c.key}, ${windowStart(c.windowSeconds)}, 1, ${c.windowSeconds}::int)`),
    sql`, `,
  );
  const result = await queryRows<{
    bucket: string;
    key: string;
    count: number;
    window_start: string;
    reset_in: number;
  }>(
    db,
    sql`with wanted (bucket, key, window_start, count, window_seconds) as (values ${rows})
        insert into rate_limit_counters as c (bucket, key, window_start, count)
        select bucket, key, window_start, count from wanted
        on conflict (bucket, key, window_start) do update set count = c.count + 1
        returning c.bucket, c.key, c.count, to_json(c.window_start) #>> '{}' as window_start,
          ceil(extract(epoch from c.window_start)
               + (select w.window_seconds from wanted w where w.bucket = c.bucket and w.key = c.key)
               - extract(epoch from now()))::int as reset_in`,
  );
  return result.map((r) => ({
    bucket: r.bucket,
    key: r.key,
    count: r.count,
    windowStart: r.window_start,
    resetInSeconds: Math.max(1, r.reset_in),
  }));
}

/** Takes back one hit from each counter, in the window it went into. */
export async function decrementCounters(
  db: AppDatabase,
  counters: Array<Pick<ChargedCounter, 'bucket' | 'key' | 'windowStart'>>,
): Promise<void> {
  for (const c of counters) {
    await db.execute(
      sql`update rate_limit_counters set count = greatest(count - 1, 0)
          where bucket = ${c.bucket} and key = ${c.key} and window_start = ${c.windowStart}::timestamptz`,
    );
  }
}

/** The window's count without adding to it. */
export async function readCounter(
  db: AppDatabase,
  bucket: string,
  key: string,
  windowSeconds: number,
): Promise<{ count: number; resetInSeconds: number }> {
  const [row] = await queryRows<{ count: number | null; reset_in: number }>(
    db,
    sql`select (select count from rate_limit_counters
                where bucket = ${bucket} and key = ${key} and window_start = ${windowStart(windowSeconds)}) as count,
          ceil(extract(epoch from ${windowStart(windowSeconds)}) + ${windowSeconds} - extract(epoch from now()))::int as reset_in`,
  );
  return { count: row?.count ?? 0, resetInSeconds: Math.max(1, row?.reset_in ?? windowSeconds) };
}

/** Drops windows older than a day; called now and then so the table stays small. */
export async function deleteOldCounters(db: AppDatabase): Promise<void> {
  await db.execute(sql`delete from rate_limit_counters where window_start < now() - interval '1 day'`);
}
