import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { AmenityMap } from '../../modules/stations/amenities.js';
import { geometry } from './geometry.js';
import { xid8 } from './station-sync.js';

// The hours engine owns these shapes; the columns store exactly them.
export type { Closure, DateOverride } from '../../hours/types.js';
import type { Closure, DateOverride } from '../../hours/types.js';

export const stations = pgTable(
  'stations',
  {
    id: serial('id').primaryKey(),
    /** Id in the union's own list; bulk imports upsert on it. */
    externalId: text('external_id').unique(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    kind: text('kind').notNull().default('warm_post'),
    address: text('address'),
    geom: geometry('geom', 'Point').notNull(),
    /** Derived spatially on every write of geom; never set by clients. */
    districtCode: text('district_code'),
    subdistrictCode: text('subdistrict_code'),
    /** Every area containing the station, from the top level down (derived like the two above). */
    areaCodes: text('area_codes').array().notNull().default(sql`'{}'::text[]`),
    amenities: jsonb('amenities').$type<AmenityMap>().notNull().default({}),
    openingHours: text('opening_hours'),
    hoursOverrides: jsonb('hours_overrides').$type<DateOverride[]>().notNull().default([]),
    closures: jsonb('closures').$type<Closure[]>().notNull().default([]),
    phone: text('phone'),
    seats: integer('seats'),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    isSample: boolean('is_sample').notNull().default(false),
    /** Said when the position is approximate (e.g. placed from a news report). */
    locationNote: text('location_note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** The transaction that last wrote the row (set by a trigger): what station mirrors sync on. */
    dataXid: xid8('data_xid'),
  },
  (t) => [
    index('stations_geom_gist').using('gist', t.geom),
    index('stations_amenities_gin').using('gin', t.amenities),
    index('stations_district_idx').on(t.districtCode),
    index('stations_subdistrict_idx').on(t.subdistrictCode),
    index('stations_area_codes_gin').using('gin', t.areaCodes),
    index('stations_data_xid_idx').on(t.dataXid),
    check(
      'stations_kind_check',
      sql`${t.kind} in ('warm_post','smart_24h','rider_home','mother_baby','other')`,
    ),
    check('stations_seats_check', sql`${t.seats} is null or ${t.seats} >= 0`),
  ],
);
