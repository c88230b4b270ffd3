import { z } from 'zod';
import { AreaCodeSchema, LevelNameSchema } from '../areas/area-code.js';
import { DatetimeSchema } from './datetime.js';
import { AMENITY_KEYS, STATION_KIND_KEYS, isAmenityKey } from '../stations/amenities.js';

export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;

/**
 * `stations`, `areas` (every level, `level=` to choose) and one collection per loaded level: its
 * name, except that the levels `district` and `subdistrict` keep the ids `districts` and
 * `subdistricts` they always had.
 */
export const LEGACY_LEVEL_COLLECTIONS: Record<string, string> = {
  districts: 'district',
  subdistricts: 'subdistrict',
};
export const collectionIdOfLevel = (level: string) =>
  Object.entries(LEGACY_LEVEL_COLLECTIONS).find(([, l]) => l === level)?.[0] ?? level;

/**
 * `minLng,minLat,maxLng,maxLat` in WGS-84, or the six numbers of a 3D box
 * (`minLng,minLat,minZ,maxLng,maxLat,maxZ`, OGC API Features allows both; heights are ignored:
 * every feature lies on the ground). A min longitude above the max crosses the antimeridian.
 */
export const BboxSchema = z
  .string()
  .transform((text, ctx) => {
    const parts = text.split(',').map((p) => p.trim());
    const numbers = parts.map(Number);
    if (
      (parts.length !== 4 && parts.length !== 6) ||
      parts.some((p) => p === '') ||
      numbers.some((n) => !Number.isFinite(n))
    ) {
      ctx.addIssue({
        code: 'custom',
        message:
          'bbox must be four numbers: minLng,minLat,maxLng,maxLat (or six, with heights: minLng,minLat,minZ,maxLng,maxLat,maxZ)',
      });
      return z.NEVER;
    }
    const [minLng, minLat, maxLng, maxLat] = (
      numbers.length === 6 ? [numbers[0], numbers[1], numbers[3], numbers[4]] : numbers
    ) as [number, number, number, number];
    if ([minLng, maxLng].some((v) => v < -180 || v > 180)) {
      ctx.addIssue({ code: 'custom', message: 'bbox longitudes must be within -180..180' });
      return z.NEVER;
    }
    if ([minLat, maxLat].some((v) => v < -90 || v > 90)) {
      ctx.addIssue({ code: 'custom', message: 'bbox latitudes must be within -90..90' });
      return z.NEVER;
    }
    if (minLat > maxLat) {
      ctx.addIssue({ code: 'custom', message: 'bbox is inverted: minLat must not exceed maxLat' });
      return z.NEVER;
    }
    return [minLng, minLat, maxLng, maxLat] as [number, number, number, number];
  })
  // Documented as OGC API Features does: an array of 4 or 6 numbers, comma-separated.
  .meta({
    type: 'array',
    items: { type: 'number' },
    minItems: 4,
    maxItems: 6,
    description:
      'minLng,minLat,maxLng,maxLat in WGS-84 (CRS84), or six numbers with heights; a minLng above maxLng crosses the antimeridian',
    param: { style: 'form', explode: false },
  });

/** `a,b,c` amenity keys; each must be in the vocabulary. */
export const AmenityListSchema = z
  .string()
  .describe(`comma-separated amenity keys, all required: ${AMENITY_KEYS.join(', ')}`)
  .transform((text, ctx) => {
    const keys = text.split(',').map((k) => k.trim()).filter(Boolean);
    const unknown = keys.filter((k) => !isAmenityKey(k));
    if (unknown.length) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown amenity ${unknown.map((k) => `"${k.slice(0, 40)}"`).join(', ')}; known: ${AMENITY_KEYS.join(', ')}`,
      });
      return z.NEVER;
    }
    return [...new Set(keys)] as (typeof AMENITY_KEYS)[number][];
  });

const PageSchema = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .default(DEFAULT_LIMIT)
    .meta({
      description: `page size, 1..${MAX_LIMIT}; a next link follows while more match`,
      param: { style: 'form', explode: false },
    }),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000_000)
    .default(0)
    .describe('features to skip (the next link sets it)'),
  bbox: BboxSchema.optional(),
  datetime: DatetimeSchema.optional(),
  f: z.enum(['json']).optional().describe('response format: json (GeoJSON), the only one'),
};


export const StationItemsQuerySchema = z
  .object({
    ...PageSchema,
    amenities: AmenityListSchema.optional(),
    kind: z.enum(STATION_KIND_KEYS).optional(),
    district: AreaCodeSchema.optional(),
    subdistrict: AreaCodeSchema.optional(),
    area: AreaCodeSchema.optional().describe('only stations in this area, of any level'),
  })
  .strict();

export const BoundaryItemsQuerySchema = z
  .object({
    ...PageSchema,
    /** Only the children of this area (`district=` is the old name, kept). */
    parent: AreaCodeSchema.optional(),
    district: AreaCodeSchema.optional(),
    /** Only for the `areas` collection: one level's areas. */
    level: LevelNameSchema.optional(),
    /** Metres of simplification tolerance for lighter map layers; 0 = full detail. */
    simplify: z.coerce.number().min(0).max(2000).default(0),
  })
  .strict();

export const StationIdSchema = z.coerce.number().int().min(1).max(2_147_483_647);
export { AreaCodeSchema };
