/** Response shapes of the OGC API Features resources, for the OpenAPI document. */
import { z } from 'zod';
import { FeatureCollectionSchema, FeatureSchema, LinkSchema } from '../../http/openapi-schemas.js';

export const LandingPageSchema = z
  .object({ title: z.string(), description: z.string(), links: z.array(LinkSchema) })
  .meta({ id: 'LandingPage' });

export const ConformanceSchema = z
  .object({ conformsTo: z.array(z.string()) })
  .meta({ id: 'Conformance' });

export const CollectionSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    extent: z
      .object({
        spatial: z.object({
          bbox: z.array(z.array(z.number()).min(4).max(6)).describe('minLng,minLat,maxLng,maxLat'),
          crs: z.string(),
        }),
      })
      .optional(),
    itemType: z.literal('feature'),
    crs: z.array(z.string()),
    storageCrs: z.string(),
    links: z.array(LinkSchema),
  })
  .meta({ id: 'Collection' });

export const CollectionsSchema = z
  .object({ collections: z.array(CollectionSchema), links: z.array(LinkSchema) })
  .meta({ id: 'Collections' });

export { FeatureCollectionSchema, FeatureSchema };
