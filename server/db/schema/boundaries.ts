import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { geometry } from './geometry.js';

/** Beijing's 16 districts (区); code is the 6-digit GB/T 2260 code. */
export const districts = pgTable(
  'districts',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    pinyin: text('pinyin'),
    source: text('source').notNull(),
    geom: geometry('geom', 'MultiPolygon').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('districts_geom_gist').using('gist', t.geom)],
);

/** Sub-districts (街道 / 乡 / 镇); code is the 12-digit statistical code. */
export const subdistricts = pgTable(
  'subdistricts',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    pinyin: text('pinyin'),
    districtCode: text('district_code').notNull(),
    source: text('source').notNull(),
    geom: geometry('geom', 'MultiPolygon').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('subdistricts_geom_gist').using('gist', t.geom),
    index('subdistricts_district_idx').on(t.districtCode),
  ],
);
