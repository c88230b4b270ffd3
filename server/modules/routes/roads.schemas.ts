import { z } from 'zod';
import { BboxSchema } from '../collections/collections.schemas.js';

/** Widest box (in degrees, each side) the roads layer serves: about 8.5 km × 11 km in Beijing. */
export const MAX_ROADS_BBOX_DEG = 0.1;
export const DEFAULT_ROADS_LIMIT = 2_000;
export const MAX_ROADS_LIMIT = 5_000;

/** Degrees of longitude a bbox spans; a min above the max crosses the antimeridian. */
export function bboxWidthDeg([minLng, , maxLng]: readonly number[]): number {
  return minLng! <= maxLng! ? maxLng! - minLng! : maxLng! + 360 - minLng!;
}

export const RoadsQuerySchema = z
  .object({
    bbox: BboxSchema.refine(
      (box) =>
        bboxWidthDeg(box) <= MAX_ROADS_BBOX_DEG + 1e-9 &&
        box[3] - box[1] <= MAX_ROADS_BBOX_DEG + 1e-9,
      {
        message: `bbox is larger than ${MAX_ROADS_BBOX_DEG}° × ${MAX_ROADS_BBOX_DEG}°: zoom in (roads are drawn from zoom 13)`,
      },
    ),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_ROADS_LIMIT)
      .default(DEFAULT_ROADS_LIMIT)
      .describe(`most roads to return, 1..${MAX_ROADS_LIMIT}; major roads come first`),
  })
  .strict();

export type RoadsQuery = z.infer<typeof RoadsQuerySchema>;
