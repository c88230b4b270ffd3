import { z } from 'zod';

export const PHOTO_KINDS = ['entrance', 'interior', 'sign', 'other'] as const;
export type PhotoKind = (typeof PHOTO_KINDS)[number];
/** Enough for an entrance, the room, the sign and two more; each at most ~0.5 MB once re-encoded. */
export const MAX_PHOTOS_PER_STATION = 5;
/** A phone's full-size photo is 2–8 MB; past this the body is not read. */
export const MAX_PHOTO_UPLOAD_BYTES = 15 * 1024 * 1024;
/** Decoding a 50 MP photo takes ~0.3 s and ~150 MB in libvips: a few at once per instance. */
export const MAX_PHOTO_JOBS = 2;
export const PHOTO_UPLOAD_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/heic', 'image/heif'];

export const PhotoUploadQuerySchema = z.object({
  kind: z.enum(PHOTO_KINDS, { message: `kind must be one of ${PHOTO_KINDS.join(', ')}` }).default('other'),
  caption: z.string().trim().max(100, { message: 'caption: at most 100 characters' }).optional(),
  lang: z.enum(['zh', 'en']).optional(),
});
export type PhotoUploadQuery = z.infer<typeof PhotoUploadQuerySchema>;

export const PhotoIdParam = z.coerce.number({ message: 'photo id must be a number' }).int().positive().max(2_147_483_647);

export const PhotoFileQuerySchema = z.object({
  size: z.enum(['full', 'thumb'], { message: 'size must be full or thumb' }).default('full'),
});

/** A photo as listed with its station (the bytes are at `url` / `thumbnail_url`). */
export const PhotoSchema = z.object({
  id: z.number().int(),
  station_id: z.number().int(),
  kind: z.enum(PHOTO_KINDS),
  caption: z.string().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  url: z.string(),
  thumbnail_url: z.string(),
  added_by: z.string(),
  added_at: z.string(),
});
export type PhotoListing = z.infer<typeof PhotoSchema>;
