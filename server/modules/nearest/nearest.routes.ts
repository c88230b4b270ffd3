import { Router } from 'express';
import type { ApiOperation } from '../../http/openapi.js';
import { FeatureCollectionSchema } from '../../http/openapi-schemas.js';
import { sendFreshJson } from '../../http/send.js';
import { parseForPeople } from '../../http/validate.js';
import type { StationMirror } from '../stations/station-mirror.js';
import { NearestQuerySchema } from './nearest.schemas.js';
import { nearestStations } from './nearest.service.js';
import { straightLineSource, type TravelTimeSource } from './travel-time.js';

/** GET /nearest: the k stations quickest to reach, with open-at-arrival and navigation links. */
export function nearestRouter(
  stations: StationMirror,
  travelTimes: TravelTimeSource = straightLineSource,
): Router {
  const router = Router();
  router.get('/nearest', async (req, res) => {
    // The worker page shows this 400: worded in the asker's language (lang= or Accept-Language).
    const query = parseForPeople(NearestQuerySchema, req.query, 'query', { zh: '查询条件', en: 'Invalid query' });
    const body = await nearestStations(stations, travelTimes, query);
    // Depends on the clock (open/closed) and on edits: a short private cache at most.
    res.set('Cache-Control', 'private, max-age=15');
    sendFreshJson(res, body, 'application/geo+json');
  });
  return router;
}

export const NEAREST_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/nearest',
    summary:
      'The k stations quickest to reach from a point, filtered by amenities, kind, 24h and open at arrival/now',
    tags: ['nearest'],
    query: NearestQuerySchema,
    responses: {
      '200': {
        description: 'FeatureCollection ranked by travel time',
        contentType: 'application/geo+json',
        schema: FeatureCollectionSchema,
      },
      '400': 'Invalid query',
    },
  },
];
