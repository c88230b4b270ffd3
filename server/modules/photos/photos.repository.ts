import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';
import type { PublishedPhoto } from './photo-image.js';
import type { PhotoKind, PhotoListing } from './photos.schemas.js';

interface PhotoRow {
  id: number;
  station_id: number;
  kind: PhotoKind;
  caption: string | null;
  width: number;
  height: number;
  sha256: string;
  username: string;
  created_at: string | Date;
}

const toListing = (row: PhotoRow): PhotoListing => ({
  id: row.id,
  station_id: row.station_id,
  kind: row.kind,
  caption: row.caption,
  width: row.width,
  height: row.height,
  // The hash in the address: a replaced photo is a new address, so browsers may keep each for good.
  url: `/api/photos/${row.id}?v=${row.sha256.slice(0, 12)}`,
  thumbnail_url: `/api/photos/${row.id}?size=thumb&v=${row.sha256.slice(0, 12)}`,
  added_by: row.username,
  added_at: new Date(row.created_at).toISOString(),
});

const LISTED = sql`id, station_id, kind, caption, width, height, sha256, username, created_at`;

export async function listStationPhotos(db: AppDatabase, stationId: number): Promise<PhotoListing[]> {
  const rows = await queryRows<PhotoRow>(
    db,
    sql`select ${LISTED} from station_photos where station_id = ${stationId} order by id`,
  );
  return rows.map(toListing);
}

export type PhotoInsertResult =
  | { ok: true; photo: PhotoListing }
  | { ok: false; reason: 'no_station' }
  | { ok: false; reason: 'full'; count: number };

/**
 * Adds a photo unless the station already has `max`: counted under the station's row lock, so two
 * uploads at once cannot both pass a count of max-1.
 */
export async function insertPhotoUnderLimit(
  db: AppDatabase,
  input: { stationId: number; kind: PhotoKind; caption: string | null; userId: number; username: string; max: number },
  photo: PublishedPhoto,
): Promise<PhotoInsertResult> {
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as AppDatabase;
    const station = await queryRows<{ id: number }>(tx, sql`select id from stations where id = ${input.stationId} for update`);
    if (!station.length) return { ok: false, reason: 'no_station' } as const;
    const [{ count }] = (await queryRows<{ count: number }>(
      tx,
      sql`select count(*)::int as count from station_photos where station_id = ${input.stationId}`,
    )) as [{ count: number }];
    if (count >= input.max) return { ok: false, reason: 'full', count } as const;
    const [row] = await queryRows<PhotoRow>(
      tx,
      sql`insert into station_photos (station_id, kind, caption, image, thumbnail, width, height, sha256, user_id, username)
          values (${input.stationId}, ${input.kind}, ${input.caption}, ${photo.image}, ${photo.thumbnail},
                  ${photo.width}, ${photo.height}, ${photo.sha256}, ${input.userId}, ${input.username})
          returning ${LISTED}`,
    );
    return { ok: true, photo: toListing(row!) } as const;
  });
}

/** The bytes of one photo (or its thumbnail), with what a response needs to be cached. */
export async function readPhotoFile(
  db: AppDatabase,
  id: number,
  size: 'full' | 'thumb',
): Promise<{ bytes: Buffer; sha256: string } | null> {
  const column = size === 'thumb' ? sql`thumbnail` : sql`image`;
  const [row] = await queryRows<{ bytes: Uint8Array; sha256: string }>(
    db,
    sql`select ${column} as bytes, sha256 from station_photos where id = ${id}`,
  );
  if (!row) return null;
  // pg hands bytea back as a Buffer, PGlite as a Uint8Array: one type for the caller.
  const bytes = Buffer.isBuffer(row.bytes) ? row.bytes : Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength);
  return { bytes, sha256: row.sha256 };
}

/** Removes one photo of a station; false when that station has no such photo. */
export async function deleteStationPhoto(db: AppDatabase, stationId: number, photoId: number): Promise<boolean> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`delete from station_photos where id = ${photoId} and station_id = ${stationId} returning id`,
  );
  return rows.length > 0;
}
