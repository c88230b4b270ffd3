import { sql } from 'drizzle-orm';
import { bigint, boolean, check, customType, index, integer, pgTable, timestamp } from 'drizzle-orm/pg-core';

/** A 64-bit transaction id (`pg_current_xact_id()`); never wraps, so it can be compared and kept. */
export const xid8 = (name: string) =>
  customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' })(name);

/**
 * One counter row: the last change-log version handed out. Taken under its row lock by a deferred
 * trigger as a writing transaction commits, so versions follow commit order (migration 0006).
 */
export const stationChangeCounter = pgTable(
  'station_change_counter',
  {
    singleton: boolean('singleton').primaryKey().default(true),
    version: bigint('version', { mode: 'number' }).notNull().default(0),
  },
  (t) => [check('station_change_counter_singleton', sql`${t.singleton}`)],
);

/** One row per transaction that wrote stations, in commit order; what mirrors read changes from. */
export const stationChangeLog = pgTable(
  'station_change_log',
  {
    version: bigint('version', { mode: 'number' }).primaryKey(),
    xid: xid8('xid').notNull(),
    /** TRUNCATE: every mirror reloads instead of applying changes. */
    reset: boolean('reset').notNull().default(false),
    committedAt: timestamp('committed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('station_change_log_xid_idx').on(t.xid)],
);

/** Deleted stations, with the transaction that deleted them. */
export const stationTombstones = pgTable(
  'station_tombstones',
  {
    stationId: integer('station_id').primaryKey(),
    xid: xid8('xid').notNull(),
  },
  (t) => [index('station_tombstones_xid_idx').on(t.xid)],
);
