import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { geometry } from './geometry.js';

// `districts` and `subdistricts` are views over `areas` (levels 'district' and 'subdistrict'),
// kept for the SQL that reads them (migration 0007); drizzle does not manage them.

/**
 * The levels areas come in, from the top: e.g. city (0) → district (1) → subdistrict (2). The
 * names are data; `district` and `subdistrict` also fill the stations' own columns of those names.
 */
export const areaLevels = pgTable('area_levels', {
  name: text('name').primaryKey(),
  depth: integer('depth').notNull().unique(),
  label: text('label').notNull(),
  labelEn: text('label_en'),
});

/**
 * Administrative areas of any level and depth (a city, its districts, their sub-districts…).
 * `code` is the source's own code (GB/T 2260, a statistical code, an OSM ref), unique across levels.
 */
export const areas = pgTable(
  'areas',
  {
    code: text('code').primaryKey(),
    level: text('level')
      .notNull()
      .references(() => areaLevels.name, { onUpdate: 'cascade' }),
    parentCode: text('parent_code'),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    pinyin: text('pinyin'),
    source: text('source').notNull(),
    geom: geometry('geom', 'MultiPolygon').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('areas_geom_gist').using('gist', t.geom),
    index('areas_level_idx').on(t.level, t.code),
    index('areas_parent_idx').on(t.parentCode),
  ],
);
