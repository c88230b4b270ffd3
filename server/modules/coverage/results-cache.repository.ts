/** The shared answer cache (migration 0007) and the data versions its keys are made of. */
import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';

/** Entries kept; the least recently used go first. */
export const MAX_CACHE_ENTRIES = 300;
/** Answers larger than this are not kept (a city's unsimplified gap outlines). */
export const MAX_CACHED_BYTES = 8_000_000;

export interface DataVersions {
  /** Station change-log version (migration 0006): moves with every committed station write. */
  stations: string;
  /**
   * Boundaries: row count and newest row version (xmin) of each level, read without touching the
   * geometries; an insert, update or delete of any area changes it.
   */
  areas: string;
}

/** Read before the data they describe, so an answer is never stored under an older version. */
export async function readDataVersions(db: AppDatabase): Promise<DataVersions> {
  const [row] = await queryRows<DataVersions>(
    db,
    sql`select (select version from station_change_counter)::text as stations,
      -- Every level lives in areas (districts/subdistricts are views over it, without xmin).
      (select count(*) || ':' || coalesce(max(xmin::text::bigint), 0) from areas) as areas`,
  );
  return row!;
}

export async function findCachedAnswer(db: AppDatabase, key: string): Promise<string | null> {
  const rows = await queryRows<{ body: string }>(
    db,
    sql`select body from coverage_cache where key = ${key}`,
  );
  if (rows.length === 0) return null;
  // Recency is kept to the minute: at most one small write per entry per minute.
  await db.execute(
    sql`update coverage_cache set used_at = now()
        where key = ${key} and used_at < now() - interval '1 minute'`,
  );
  return rows[0]!.body;
}

export async function storeCachedAnswer(
  db: AppDatabase,
  entry: { key: string; kind: string; body: string },
): Promise<void> {
  await db.execute(
    sql`insert into coverage_cache (key, kind, body, bytes) values
        (${entry.key}, ${entry.kind}, ${entry.body}, ${entry.body.length})
        on conflict (key) do update set used_at = now()`,
  );
  await db.execute(
    sql`delete from coverage_cache where key in (
      select key from coverage_cache order by used_at desc, created_at desc offset ${MAX_CACHE_ENTRIES})`,
  );
}
