import { sql } from 'drizzle-orm';
import { bigint, check, date, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Official days off and 调休 make-up workdays, per calendar (`cn` for mainland China). Seeded
 * from the `chinese-days` package, kept current by admins importing each year's notice (.ics/CSV).
 */
export const holidays = pgTable(
  'holidays',
  {
    calendar: text('calendar').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    /** 'holiday' (a day off) or 'workday' (a weekend day worked to make up for a bridge day). */
    kind: text('kind').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en'),
    /** Where the row came from: `chinese-days 1.5.7`, an imported file's name… */
    source: text('source').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.calendar, t.date] }),
    check('holidays_kind_check', sql`${t.kind} in ('holiday', 'workday')`),
  ],
);

/** The years whose arrangement a calendar has published (imported or seeded as a whole). */
export const holidayYears = pgTable(
  'holiday_years',
  {
    calendar: text('calendar').notNull(),
    year: integer('year').notNull(),
    source: text('source').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.calendar, t.year] })],
);

/**
 * One row per calendar: `version` goes up with every change, so each instance checks one small row
 * to know whether its in-memory copy is current; `published_through` is the last published date.
 */
export const holidayCalendars = pgTable('holiday_calendars', {
  calendar: text('calendar').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull().default(1),
  publishedThrough: date('published_through', { mode: 'string' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
