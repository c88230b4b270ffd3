import { z } from 'zod';
import { InstantSchema } from '../coverage/coverage.schemas.js';

/** Most squares one answer holds; past it the grid coarsens (the answer says its step). */
export const MAX_DEMAND_SQUARES = 6000;
/** Widest viewport, degrees (a whole province; the grid coarsens to fit the square cap). */
export const MAX_DEMAND_BBOX_DEG = 40;
/** Screen pixels per square at the asked zoom. */
export const DEMAND_SQUARE_PX = 16;

export const DemandSquaresQuerySchema = z
  .object({
    bbox: z
      .string()
      .describe(
        `minLng,minLat,maxLng,maxLat (WGS-84) of the viewport, at most ${MAX_DEMAND_BBOX_DEG}° on a side`,
      )
      .transform((text, ctx) => {
        const parts = text.split(',').map((p) => Number(p.trim()));
        const [w, s, e, n] = parts as [number, number, number, number];
        if (parts.length !== 4 || !parts.every(Number.isFinite)) {
          ctx.addIssue({ code: 'custom', message: 'bbox must be four numbers minLng,minLat,maxLng,maxLat' });
          return z.NEVER;
        }
        if (w < -180 || e > 180 || s < -90 || n > 90 || w >= e || s >= n) {
          ctx.addIssue({
            code: 'custom',
            message: 'bbox must have -180 ≤ minLng < maxLng ≤ 180 and -90 ≤ minLat < maxLat ≤ 90',
          });
          return z.NEVER;
        }
        if (e - w > MAX_DEMAND_BBOX_DEG || n - s > MAX_DEMAND_BBOX_DEG) {
          ctx.addIssue({ code: 'custom', message: `bbox must be at most ${MAX_DEMAND_BBOX_DEG}° on a side` });
          return z.NEVER;
        }
        return [w, s, e, n] as [number, number, number, number];
      }),
    zoom: z.coerce
      .number()
      .min(0)
      .max(22)
      .describe(
        `map zoom in 256-px tiles (Leaflet's; MapLibre's + 1): one square per ~${DEMAND_SQUARE_PX} px, never finer than the layer's cells`,
      ),
    at: InstantSchema.optional().describe(
      'instant whose population slot to draw (day type by the holiday calendar, hour); default now',
    ),
    lang: z.enum(['zh', 'en']).optional().describe('language of error messages; default Accept-Language, else zh'),
  })
  .strict();

export type DemandSquaresQuery = z.infer<typeof DemandSquaresQuerySchema>;
