import { Router } from 'express';
import type { AppDatabase } from '../../db/client.js';
import type { ApiOperation } from '../../http/openapi.js';
import { FeatureCollectionSchema } from '../../http/openapi-schemas.js';
import { parseRequest } from '../../http/validate.js';
import { RoadsQuerySchema } from './roads.schemas.js';
import { roadsInBox } from './roads.service.js';

/** GET /roads?bbox=minLng,minLat,maxLng,maxLat&limit= → GeoJSON LineStrings of the road network. */
export function roadsRouter(db: AppDatabase): Router {
  const router = Router();
  router.get('/roads', async (req, res) => {
    const query = parseRequest(RoadsQuerySchema, req.query);
    res.type('application/geo+json').json(await roadsInBox(db, query));
  });
  return router;
}

export const ROADS_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/roads',
    summary:
      'Roads of the imported network meeting a small box (at most 0.1° × 0.1°), as GeoJSON ' +
      'LineStrings with name and highway class, main roads first; empty before any import',
    tags: ['routing'],
    query: RoadsQuerySchema,
    responses: {
      '200': {
        description: 'FeatureCollection (LineString) with network and truncated',
        contentType: 'application/geo+json',
        schema: FeatureCollectionSchema,
      },
      '400': 'Invalid query, or a box too large (zoom in)',
    },
  },
];
