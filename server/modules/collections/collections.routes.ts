import { LEVEL_NAME_PATTERN } from '../areas/area-code.js';
import { Router, type Request } from 'express';
import type { AppDatabase } from '../../db/client.js';
import { badRequest, notFound } from '../../http/errors.js';

const notFoundOf = (id: string): never => {
  throw notFound(`Collection not found: ${id}`);
};
import type { ApiOperation } from '../../http/openapi.js';
import { sendFreshJson } from '../../http/send.js';
import { parseRequest } from '../../http/validate.js';
import type { StationMirror } from '../stations/station-mirror.js';
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

const GEOJSON = 'application/geo+json' as const;

export function baseUrlOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

function selfUrlOf(req: Request): URL {
  return new URL(req.originalUrl, baseUrlOf(req));
}

/** OGC API Features, after pg_featureserv: /collections, /collections/{id}/items[/{fid}]. */
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

  router.get('/collections', async (req, res) => {
    const base = baseUrlOf(req);
    res.json({
      collections: await describeCollections(db, deploymentName, base),
      links: [{ href: `${base}/api/collections`, rel: 'self', type: 'application/json' }],
    });
  });

  router.get('/collections/:collectionId', async (req, res) => {
    const { id } = await collectionOf(req);
    const all = await describeCollections(db, deploymentName, baseUrlOf(req));
    res.json(all.find((c) => c.id === id) ?? notFoundOf(id));
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
        },
        { limit: q.limit, offset: q.offset, selfUrl: selfUrlOf(req) },
      );
      sendFreshJson(res, body, GEOJSON);
      return;
    }
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
    if (id === 'stations') {
      const fid = parseRequest(StationIdSchema, req.params.featureId, 'params');
      res.type(GEOJSON).json(await stationItem(db, fid));
      return;
    }
    const code = parseRequest(AreaCodeSchema, req.params.featureId, 'params');
    res.type(GEOJSON).json(await boundaryItem(db, level ?? undefined, code));
  });

  return router;
}

export const COLLECTIONS_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/collections',
    summary: 'List feature collections',
    tags: ['features'],
  },
  {
    method: 'get',
    path: '/api/collections/{collectionId}',
    summary: 'Describe a collection (stations, areas, or one level of areas such as districts)',
    tags: ['features'],
    responses: { '200': 'Collection', '404': 'Collection not found' },
  },
  {
    method: 'get',
    path: '/api/collections/stations/items',
    summary:
      'Stations as GeoJSON, filtered by bbox, amenities (all required), kind, area of any level',
    tags: ['features'],
    query: StationItemsQuerySchema,
    responses: { '200': 'FeatureCollection', '400': 'Invalid query' },
  },
  {
    method: 'get',
    path: '/api/collections/{collectionId}/items',
    summary:
      'Areas as GeoJSON: every level (areas, level= for one) or one level (districts, subdistricts…)',
    tags: ['features'],
    query: BoundaryItemsQuerySchema,
    responses: {
      '200': 'FeatureCollection',
      '400': 'Invalid query',
      '404': 'Collection not found',
    },
  },
  {
    method: 'get',
    path: '/api/collections/{collectionId}/items/{featureId}',
    summary: 'One feature; stations include their hours state and week table',
    tags: ['features'],
    responses: { '200': 'Feature', '404': 'Feature not found' },
  },
];
