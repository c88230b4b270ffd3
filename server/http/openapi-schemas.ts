/**
 * Response shapes shared by many operations, as zod schemas so the OpenAPI document is generated
 * from them (zod-to-openapi) like the request side. They describe what the routes send; nothing
 * validates responses at run time.
 */
import { z } from 'zod';

/** Every 4xx/5xx body (http/errors.ts): one message a person can act on, sometimes details. */
export const ErrorSchema = z
  .object({
    error: z.string().describe('what went wrong and what to do about it'),
    details: z.unknown().optional().describe('validation issues or a report, when there are any'),
  })
  .meta({ id: 'Error' });

export const LinkSchema = z
  .object({
    href: z.string(),
    rel: z.string(),
    type: z.string().optional(),
    title: z.string().optional(),
  })
  .meta({ id: 'Link' });

/** RFC 7946 geometry, coordinates [lng, lat] in WGS-84 (CRS84). */
export const GeometrySchema = z
  .object({
    type: z.enum([
      'Point',
      'MultiPoint',
      'LineString',
      'MultiLineString',
      'Polygon',
      'MultiPolygon',
      'GeometryCollection',
    ]),
    coordinates: z.array(z.unknown()).optional(),
  })
  .meta({ id: 'Geometry', description: 'GeoJSON geometry; positions are [lng, lat] (WGS-84)' });

export const FeatureSchema = z
  .object({
    type: z.literal('Feature'),
    id: z.union([z.string(), z.number()]).optional(),
    geometry: GeometrySchema.nullable(),
    properties: z.record(z.string(), z.unknown()).nullable(),
    links: z.array(LinkSchema).optional(),
  })
  .meta({ id: 'Feature' });

export const FeatureCollectionSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(FeatureSchema),
    numberMatched: z.number().int().optional().describe('features matching the query, all pages'),
    numberReturned: z.number().int().optional().describe('features in this response'),
    timeStamp: z.string().optional(),
    links: z.array(LinkSchema).optional(),
  })
  .catchall(z.unknown())
  .meta({ id: 'FeatureCollection' });

/** A JSON object whose fields the summary describes (large reports, vocabularies). */
export const JsonObjectSchema = z
  .record(z.string(), z.unknown())
  .meta({ id: 'JsonObject', description: 'a JSON object; the operation summary names its fields' });

export const HealthSchema = z.object({
  status: z.enum(['ok', 'ready', 'unavailable']),
  database: z.enum(['pglite', 'postgres']).optional(),
  reason: z.string().optional(),
});

/** `{ id }` answers of creations and simple updates. */
export const IdResultSchema = z.object({ id: z.number().int() });
