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
