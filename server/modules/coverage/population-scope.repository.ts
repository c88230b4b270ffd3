/** The codes of the areas in a scope, sorted (what per-area people figures are keyed by). */
import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';
import { areaScopeConditions, type AreaScope } from './coverage.repository.js';

export async function scopeCodes(db: AppDatabase, scope: AreaScope): Promise<string[]> {
  const rows = await queryRows<{ code: string }>(
    db,
    sql`select t.code from public.areas t where ${areaScopeConditions(scope)} order by t.code`,
  );
  return rows.map((r) => r.code);
}
