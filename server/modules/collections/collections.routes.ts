import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppDatabase } from '../../db/client.js';
import { JsonFormatQuerySchema } from '../../http/api-description.routes.js';
import { badRequest, notFound } from '../../http/errors.js';
import type { ApiOperation } from '../../http/openapi.js';
import { sendFreshJson } from '../../http/send.js';
import { parseRequest } from '../../http/validate.js';
import { LEVEL_NAME_PATTERN } from '../areas/area-code.js';
import { describeRegion } from '../areas/areas.service.js';
import type { StationMirror } from '../stations/station-mirror.js';
import {
  CollectionSchema,
  CollectionsSchema,
  ConformanceSchema,
  FeatureCollectionSchema,
  FeatureSchema,
  LandingPageSchema,
} from './collections.responses.js';
import {
  AreaCodeSchema,
  BoundaryItemsQuerySchema,
  StationIdSchema,
  StationItemsQuerySchema,
} from './collections.schemas.js';
import {
  boundaryItem,
  boundaryItems,
  describeCollections,
  levelOfCollection,
  stationItem,
  stationItemsJson,
} from './collections.service.js';
import { conformance, landingPage } from './ogc-landing.js';

const GEOJSON = 'application/geo+json' as const;

export function baseUrlOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

function selfUrlOf(req: Request): URL {
  return new URL(req.originalUrl, baseUrlOf(req));
}

/**
 * OGC API – Features – Part 1: Core, after pg_featureserv: the landing page (GET /api),
 * /conformance, /collections, /collections/{id}/items[/{fid}].
 */
export function collectionsRouter(
  db: AppDatabase,
  stations: StationMirror,
  deploymentName?: string,
): Router {
  const router = Router();

  /** The collection's id and the level it serves (null: stations or every level). */
  async function collectionOf(req: Request): Promise<{ id: string; level: string | null }> {
    const id = String(req.params.collectionId);
    // Collection ids are level names (or stations/areas): anything else names no collection, and
    // need not reach the database (a NUL in it would be an error there, not a 404).
    const level = LEVEL_NAME_PATTERN.test(id) ? await levelOfCollection(db, id) : undefined;
    if (level === undefined) {
      const known = (await describeCollections(db, deploymentName, '')).map((c) => c.id);
      throw notFound(`Collection not found: ${id.slice(0, 60)} (known: ${known.join(', ')})`);
    }
    return { id, level };
  }

  router.get('/', async (req, res) => {
    parseRequest(JsonFormatQuerySchema, req.query);
    const region = await describeRegion(db, { deploymentName });
    const title = region.name ? `${region.name}: rest stations (warm-posts)` : 'warm-posts';
    res.json(landingPage(baseUrlOf(req), title));
  });

  router.get('/conformance', (req, res) => {
    parseRequest(JsonFormatQuerySchema, req.query);
    res.json(conformance());
  });

  router.get('/collections', async (req, res) => {
    parseRequest(JsonFormatQuerySchema, req.query);
    const base = baseUrlOf(req);
    res.json({
      collections: await describeCollections(db, deploymentName, base, stations),
      links: [{ href: `${base}/api/collections`, rel: 'self', type: 'application/json' }],
    });
  });

  router.get('/collections/:collectionId', async (req, res) => {
    const { id } = await collectionOf(req);
    parseRequest(JsonFormatQuerySchema, req.query);
    const all = await describeCollections(db, deploymentName, baseUrlOf(req), stations);
    const collection = all.find((c) => c.id === id);
    if (!collection) throw notFound(`Collection not found: ${id}`);
    res.json(collection);
  });

  router.get('/collections/:collectionId/items', async (req, res) => {
    const { id, level } = await collectionOf(req);
    if (id === 'stations') {
      const q = parseRequest(StationItemsQuerySchema, req.query);
      const body = await stationItemsJson(
        stations,
        {
          bbox: q.bbox,
          amenities: q.amenities,
          kind: q.kind,
          districtCode: q.district,
          subdistrictCode: q.subdistrict,
          areaCode: q.area,
          updated: q.datetime,
        },
        { limit: q.limit, offset: q.offset, selfUrl: selfUrlOf(req) },
      );
      sendFreshJson(res, body, GEOJSON);
      return;
    }
    // Areas have no time: datetime is accepted and ignored, as Core allows.
    const q = parseRequest(BoundaryItemsQuerySchema, req.query);
    if (q.level && id !== 'areas') {
      throw badRequest(`level= is for the areas collection; ${id} holds one level already`);
    }
    if (q.level && (await levelOfCollection(db, q.level)) === undefined) {
      throw badRequest(`level "${q.level}" is not loaded`);
    }
    const body = await boundaryItems(db, level ?? q.level, q, {
      limit: q.limit,
      offset: q.offset,
      selfUrl: selfUrlOf(req),
    });
    res.type(GEOJSON).json(body);
  });

  router.get('/collections/:collectionId/items/:featureId', async (req, res) => {
    const { id, level } = await collectionOf(req);
    parseRequest(JsonFormatQuerySchema, req.query);
    // The feature first, the content type after: a 404 is a JSON error, not GeoJSON.
    const feature =
      id === 'stations'
        ? await stationItem(db, parseRequest(StationIdSchema, req.params.featureId, 'params'), baseUrlOf(req))
        : await boundaryItem(
            db,
            id,
            level ?? undefined,
            parseRequest(AreaCodeSchema, req.params.featureId, 'params'),
            baseUrlOf(req),
          );
    res.type(GEOJSON).json(feature);
  });

  return router;
}

const tags = ['features'];
const CollectionIdParams = z.object({
  collectionId: z
    .string()
    .describe('stations, areas, or one level of areas (districts, subdistricts, city…): see /api/collections'),
});
const notFoundCollection = { '404': 'Collection not found (the message lists the known ones)' };
const featureCollection = (description: string) => ({
  description,
  schema: FeatureCollectionSchema,
  contentType: GEOJSON,
});

export const COLLECTIONS_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/api',
    summary: 'OGC API Features landing page: links to the API definition, conformance and collections',
    tags,
    query: JsonFormatQuerySchema,
    responses: { '200': { description: 'Landing page', schema: LandingPageSchema } },
  },
  {
    method: 'get',
    path: '/api/conformance',
    summary: 'The OGC API Features conformance classes implemented (core, geojson, oas30)',
    tags,
    query: JsonFormatQuerySchema,
    offline: true,
    responses: { '200': { description: 'Conformance declaration', schema: ConformanceSchema } },
  },
  {
    method: 'get',
    path: '/api/collections',
    summary: 'List feature collections with their extents (CRS84)',
    tags,
    query: JsonFormatQuerySchema,
    responses: { '200': { description: 'Collections', schema: CollectionsSchema } },
  },
  {
    method: 'get',
    path: '/api/collections/{collectionId}',
    summary: 'Describe a collection (stations, areas, or one level of areas such as districts)',
    tags,
    params: CollectionIdParams,
    query: JsonFormatQuerySchema,
    responses: { '200': { description: 'Collection', schema: CollectionSchema }, ...notFoundCollection },
  },
  {
    method: 'get',
    path: '/api/collections/stations/items',
    summary:
      'Stations as GeoJSON, filtered by bbox, datetime (updated_at), amenities (all required), kind, area of any level',
    tags,
    query: StationItemsQuerySchema,
    responses: {
      '200': featureCollection('FeatureCollection with numberMatched, numberReturned and next/prev links'),
    },
  },
  {
    method: 'get',
    path: '/api/collections/{collectionId}/items',
    summary:
      'Areas as GeoJSON: every level (areas, level= for one) or one level (districts, subdistricts…)',
    tags,
    params: CollectionIdParams,
    query: BoundaryItemsQuerySchema,
    responses: {
      '200': featureCollection('FeatureCollection with numberMatched, numberReturned and next/prev links'),
      ...notFoundCollection,
    },
  },
  {
    method: 'get',
    path: '/api/collections/{collectionId}/items/{featureId}',
    summary: 'One feature with self and collection links; stations include their hours state and week table',
    tags,
    params: CollectionIdParams.extend({
      featureId: z.string().describe('a station id (stations) or an area code'),
    }),
    query: JsonFormatQuerySchema,
    responses: {
      '200': { description: 'Feature', schema: FeatureSchema, contentType: GEOJSON },
      '404': 'Collection or feature not found',
    },
  },
];
