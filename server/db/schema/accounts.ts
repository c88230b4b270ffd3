import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { stations } from './stations.js';

/** People who sign in: admins, planners and station managers. Created by CLI or by an admin. */
export const users = pgTable(
  'users',
  {
    id: serial('id').primaryKey(),
    /** Unique whatever its case ('Admin' is 'admin'): see the lower(username) index. */
    username: text('username').notNull(),
    /** scrypt$N$r$p$salt$hash, see server/modules/auth/passwords.ts */
    passwordHash: text('password_hash').notNull(),
    role: text('role').notNull(),
    /** A disabled user cannot sign in and loses every session. */
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /**
     * Set when an admin chose the password (a new account, a reset): the admin knows it, so until
     * the user picks their own, the session may only change it (or sign out).
     */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('users_role_check', sql`${t.role} in ('admin','planner','manager')`),
    uniqueIndex('users_username_lower_key').on(sql`lower(${t.username})`),
  ],
);

/** Which stations a manager keeps. */
export const userStations = pgTable(
  'user_stations',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    stationId: integer('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.stationId] }),
    index('user_stations_station_idx').on(t.stationId),
  ],
);

/**
 * Sessions live in the database so every instance sees them. Only the SHA-256 of the cookie token
 * is stored: a leaked table cannot be replayed as cookies.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: serial('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Sent back in X-CSRF-Token on cookie-authenticated writes. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/**
 * Fixed-window counters for rate limits (login failures, worker reports), shared by every instance.
 * `key` is a hash of the client address or user name, never the raw value.
 */
export const rateLimitCounters = pgTable(
  'rate_limit_counters',
  {
    bucket: text('bucket').notNull(),
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.bucket, t.key, t.windowStart] }),
    index('rate_limit_counters_window_idx').on(t.windowStart),
  ],
);
