import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Planner answers (coverage, gaps, timeline, suggestions) keyed by a hash of the question and the
 * versions of the data it was computed from; every instance reads and fills the same cache. An
 * entry never goes stale: new data gives a new key, and old keys age out (least recently used).
 */
export const coverageCache = pgTable(
  'coverage_cache',
  {
    key: text('key').primaryKey(),
    kind: text('kind').notNull(),
    /** The answer as JSON text, sent as it is. */
    body: text('body').notNull(),
    bytes: integer('bytes').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    usedAt: timestamp('used_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('coverage_cache_used_at_idx').on(t.usedAt)],
);
