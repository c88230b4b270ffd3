import { z } from 'zod';
import { MAX_RASTER_UPLOAD_BYTES, MAX_RASTER_UPLOAD_PIXELS } from './population/raster-upload.js';

/** Uploads parsed or waiting at once per instance; more get 503 + Retry-After before any byte is read. */
export const MAX_RASTER_JOBS = 2;

export const RasterUploadQuerySchema = z
  .object({
    name: z.string().trim().min(1, 'name is required').max(120).describe('the layer’s name, 1–120 characters'),
    day_type: z
      .enum(['workday', 'weekend', 'holiday'])
      .optional()
      .describe('the slot’s day type (coverage on such days uses it); omit for any day'),
    hour: z.coerce
      .number()
      .int()
      .min(0)
      .max(23)
      .optional()
      .describe('the slot’s local hour 0–23; omit for a static layer (all hours)'),
    aggregate: z.coerce
      .number()
      .int()
      .min(1)
      .max(10)
      .default(1)
      .describe('sum blocks of n × n cells into one (1–10; 2 = a quarter of the rows)'),
    crs: z
      .string()
      .trim()
      .min(5)
      .max(500)
      .regex(/^\+proj=/, 'crs must be a proj4 definition starting with +proj=')
      .optional()
      .describe('proj4 definition overriding the file’s GeoKeys (only when they are missing or not understood)'),
    citation: z.string().trim().max(500).optional().describe('the source to cite wherever the figures are shown'),
    description: z.string().trim().max(2000).optional(),
    lang: z.enum(['zh', 'en']).optional().describe('language of error messages; default Accept-Language, else zh'),
  })
  .strict();

export type RasterUploadQuery = z.infer<typeof RasterUploadQuerySchema>;

export const RASTER_UPLOAD_LIMITS =
  `≤ ${MAX_RASTER_UPLOAD_BYTES / 1024 / 1024} MB (counted while the body streams to a temporary file), ` +
  `≤ ${MAX_RASTER_UPLOAD_PIXELS.toLocaleString('en')} pixels, one band; ${MAX_RASTER_JOBS} uploads at once per instance`;
