import { z } from 'zod';
import { DATUMS } from '../../geo/coords.js';

export const MAX_DEMAND_POINTS = 20_000;

export const DemandLayerIdSchema = z.coerce.number().int().min(1).max(2_147_483_647);

/**
 * An upload: CSV text with a header `lng,lat,weight[,name]`, or a GeoJSON FeatureCollection of
 * Points whose weight is `properties.weight` (default 1). `crs` names the datum of the input
 * (Chinese map apps give GCJ-02 or BD-09); points are stored in WGS-84.
 */
export const DemandUploadSchema = z
  .object({
    name: z.string().trim().min(1, 'name is required').max(120),
    description: z.string().trim().max(2000).optional(),
    weight_label: z
      .string()
      .trim()
      .max(60)
      .optional()
      .describe('what the weights count, e.g. riders'),
    source: z.string().trim().max(300).optional(),
    crs: z
      .string()
      .transform((v) => v.toUpperCase().replace(/[^A-Z0-9]/g, ''))
      .pipe(z.enum(DATUMS, { message: `crs must be one of ${DATUMS.join(', ')}` }))
      .default('WGS84'),
    csv: z.string().max(2_000_000).optional(),
    geojson: z.unknown().optional(),
  })
  .strict()
  .refine((v) => (v.csv === undefined) !== (v.geojson === undefined), {
    message: 'send exactly one of csv (text) or geojson (a FeatureCollection of points)',
  });

export type DemandUpload = z.infer<typeof DemandUploadSchema>;
