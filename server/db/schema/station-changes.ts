import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { stations } from './stations.js';

/** One field's value before and after a change; absent side = the field did not exist. */
export interface FieldChange {
  before: unknown;
  after: unknown;
}

/**
 * Every change to a station: who, when, and before/after per field. No foreign key to stations on
 * purpose: the history of a deleted station is kept.
 */
export const stationChanges = pgTable(
  'station_changes',
  {
    id: serial('id').primaryKey(),
    stationId: integer('station_id').notNull(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** Kept as written at the time, so history reads well after a user is removed. */
    username: text('username').notNull(),
    action: text('action').notNull(),
    changes: jsonb('changes').$type<Record<string, FieldChange>>().notNull(),
    /** The station's version after this change. */
    version: integer('version').notNull(),
    revertOf: integer('revert_of'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('station_changes_station_idx').on(t.stationId, t.id),
    check(
      'station_changes_action_check',
      sql`${t.action} in ('create','update','verify','revert','delete','import')`,
    ),
  ],
);

/** Problems reported by workers (no login), resolved by the station's manager. */
export const stationReports = pgTable(
  'station_reports',
  {
    id: serial('id').primaryKey(),
    stationId: integer('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    category: text('category').notNull(),
    note: text('note'),
    status: text('status').notNull().default('open'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: integer('resolved_by').references(() => users.id, { onDelete: 'set null' }),
    resolution: text('resolution'),
    /**
     * What the manager decided: resolved, not_a_problem (both close the report) or needs_union
     * (stays open, handed to the union office). Null while nobody has acted.
     */
    outcome: text('outcome'),
    /** The manager's answer, shown to the reporter through the receipt code. */
    reply: text('reply'),
    repliedAt: timestamp('replied_at', { withTimezone: true }),
    /** A random code given to the reporter (no account): the only way to read the answer. */
    receipt: text('receipt').unique('station_reports_receipt_unique'),
  },
  (t) => [
    index('station_reports_station_idx').on(t.stationId, t.status),
    index('station_reports_status_idx').on(t.status, t.createdAt),
    check(
      'station_reports_category_check',
      sql`${t.category} in ('closed_when_listed_open','amenity_broken','no_water','dirty','other')`,
    ),
    check('station_reports_status_check', sql`${t.status} in ('open','resolved')`),
    check(
      'station_reports_outcome_check',
      sql`${t.outcome} is null or ${t.outcome} in ('resolved','not_a_problem','needs_union')`,
    ),
  ],
);

/**
 * "信息准确": a worker's one-tap confirmation that a station is as listed (no account; rate-limited
 * per client and station). Disputes are reports (station_reports). Together they give the sheet its
 * freshness badge ("3 位劳动者 5 天前确认").
 */
export const stationConfirmations = pgTable(
  'station_confirmations',
  {
    id: serial('id').primaryKey(),
    stationId: integer('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('station_confirmations_station_idx').on(t.stationId, t.createdAt)],
);
