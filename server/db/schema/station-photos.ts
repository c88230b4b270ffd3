import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './geometry.js';
import { users } from './accounts.js';
import { stations } from './stations.js';


/**
 * Photos of a station (entrance, interior, sign) added by its managers, re-encoded on upload (WebP,
 * EXIF and location stripped). Kept in the database so every instance serves them; at most five
 * per station (checked under the station's row lock), so a row stays under ~1 MB.
 */
export const stationPhotos = pgTable(
  'station_photos',
  {
    id: serial('id').primaryKey(),
    stationId: integer('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    caption: text('caption'),
    /** WebP, at most 1600 px on its long side. */
    image: bytea('image').notNull(),
    /** WebP, at most 480 px on its long side: the sheet's strip. */
    thumbnail: bytea('thumbnail').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    /** Hex SHA-256 of `image`: the ETag, so a browser keeps a photo until it is replaced. */
    sha256: text('sha256').notNull(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** Kept as written at the time, as in station_changes. */
    username: text('username').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('station_photos_station_idx').on(t.stationId, t.id),
    check('station_photos_kind_check', sql`${t.kind} in ('entrance','interior','sign','other')`),
  ],
);
