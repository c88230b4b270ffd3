import { Router, type Request } from 'express';
import type { AppDatabase } from '../../db/client.js';
import { notFound } from '../../http/errors.js';
import type { ApiOperation } from '../../http/openapi.js';
import { sendFreshJson } from '../../http/send.js';
import { parseRequest } from '../../http/validate.js';
import type { StationMirror } from '../stations/station-mirror.js';
import {
  AreaCodeSchema,
  BoundaryItemsQuerySchema,
  COLLECTION_IDS,
  StationIdSchema,
  StationItemsQuerySchema,
  type CollectionId,
} from './collections.schemas.js';
import {
  boundaryItem,
  boundaryItems,
  collectionDescription,
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

function collectionIdOf(req: Request): CollectionId {
  const id = String(req.params.collectionId);
  if (!(COLLECTION_IDS as readonly string[]).includes(id)) {
    throw notFound(`Collection not found: ${id.slice(0, 60)} (known: ${COLLECTION_IDS.join(', ')})`);
  }
  return id as CollectionId;
}

/** OGC API Features, after pg_featureserv: /collections, /collections/{id}/items[/{fid}]. */
export function collectionsRouter(db: AppDatabase, stations: StationMirror): Router {
  const router = Router();

  router.get('/collections', (req, res) => {
    const base = baseUrlOf(req);
    res.json({
      collections: COLLECTION_IDS.map((id) => collectionDescription(id, base)),
      links: [{ href: `${base}/api/collections`, rel: 'self', type: 'application/json' }],
    });
  });

  router.get('/collections/:collectionId', (req, res) => {
    res.json(collectionDescription(collectionIdOf(req), baseUrlOf(req)));
  });

  router.get('/collections/:collectionId/items', async (req, res) => {
    const id = collectionIdOf(req);
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
        },
        { limit: q.limit, offset: q.offset, selfUrl: selfUrlOf(req) },
      );
      sendFreshJson(res, body, GEOJSON);
      return;
    }
    const q = parseRequest(BoundaryItemsQuerySchema, req.query);
    const body = await boundaryItems(db, id, q, {
      limit: q.limit,
      offset: q.offset,
      selfUrl: selfUrlOf(req),
    });
    res.type(GEOJSON).json(body);
  });

  router.get('/collections/:collectionId/items/:featureId', async (req, res) => {
    const id = collectionIdOf(req);
    if (id === 'stations') {
      const fid = parseRequest(StationIdSchema, req.params.featureId, 'params');
      res.type(GEOJSON).json(await stationItem(db, fid));
      return;
    }
    const code = parseRequest(AreaCodeSchema, req.params.featureId, 'params');
    res.type(GEOJSON).json(await boundaryItem(db, id, code));
  });

  return router;
}

export const COLLECTIONS_OPERATIONS: ApiOperation[] = [
  { method: 'get', path: '/api/collections', summary: 'List feature collections', tags: ['features'] },
  {
    method: 'get',
    path: '/api/collections/{collectionId}',
    summary: 'Describe a collection (stations, districts, subdistricts)',
    tags: ['features'],
    responses: { '200': 'Collection', '404': 'Collection not found' },
  },
  {
    method: 'get',
    path: '/api/collections/stations/items',
    summary: 'Stations as GeoJSON, filtered by bbox, amenities (all required), kind, district',
    tags: ['features'],
    query: StationItemsQuerySchema,
    responses: { '200': 'FeatureCollection', '400': 'Invalid query' },
  },
  {
    method: 'get',
    path: '/api/collections/{collectionId}/items',
    summary: 'District or sub-district boundaries as GeoJSON',
    tags: ['features'],
    query: BoundaryItemsQuerySchema,
    responses: { '200': 'FeatureCollection', '400': 'Invalid query', '404': 'Collection not found' },
  },
  {
    method: 'get',
    path: '/api/collections/{collectionId}/items/{featureId}',
    summary: 'One feature; stations include their hours state and week table',
    tags: ['features'],
    responses: { '200': 'Feature', '404': 'Feature not found' },
  },
];
