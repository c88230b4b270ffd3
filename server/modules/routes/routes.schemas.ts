import { z } from 'zod';
import { PROFILES } from '../../routing/profiles.js';

/** Farther than this from any usable road, a point is refused rather than routed from far away. */
export const MAX_SNAP_DISTANCE_M = 1_000;

/** `lng,lat` in WGS-84 degrees, longitude first as in GeoJSON. */
export const LngLatSchema = z
  .string()
  .describe('lng,lat (WGS-84, longitude first)')
  .transform((text, ctx) => {
    const parts = text.split(',').map((part) => part.trim());
    const [lng, lat] = parts.map(Number);
    if (parts.length !== 2 || parts.some((p) => p === '') || ![lng, lat].every(Number.isFinite)) {
      ctx.addIssue({ code: 'custom', message: 'must be two numbers: lng,lat' });
      return z.NEVER;
    }
    if (lng < -180 || lng > 180) {
      ctx.addIssue({ code: 'custom', message: 'longitude must be within -180..180' });
      return z.NEVER;
    }
    if (lat < -90 || lat > 90) {
      ctx.addIssue({ code: 'custom', message: 'latitude must be within -90..90 (is it lat,lng?)' });
      return z.NEVER;
    }
    return [lng, lat] as [number, number];
  });

export const RouteQuerySchema = z
  .object({
    from: LngLatSchema,
    to: LngLatSchema.optional(),
    station: z.coerce
      .number()
      .int()
      .min(1)
      .max(2_147_483_647)
      .optional()
      .describe('station id to route to, instead of to'),
    mode: z.enum(PROFILES).default('walk').describe('walk, bike (e-bike) or drive'),
  })
  .strict()
  .refine((query) => (query.to === undefined) !== (query.station === undefined), {
    message: 'give exactly one destination: to=lng,lat or station=ID',
  });

export type RouteQuery = z.infer<typeof RouteQuerySchema>;
