import { Router } from 'express';
import type { Logger } from 'pino';
import type { AppDatabase } from '../../db/client.js';
import type { ApiOperation } from '../../http/openapi.js';
import { FeatureSchema } from '../../http/openapi-schemas.js';
import { parseRequest } from '../../http/validate.js';
import type { RoadNetworkCache } from './road-network-cache.js';
import { RouteQuerySchema } from './routes.schemas.js';
import { RoutePlanner } from './routes.service.js';

/** GET /route?from=lng,lat&to=lng,lat|station=ID&mode=walk|bike|drive → GeoJSON Feature. */
export function routesRouter(db: AppDatabase, log?: Logger, networks?: RoadNetworkCache): Router {
  const router = Router();
  const planner = new RoutePlanner(db, networks, log?.child({ module: 'routes' }));
  router.get('/route', async (req, res) => {
    const query = parseRequest(RouteQuerySchema, req.query);
    res.type('application/geo+json').json(await planner.plan(query));
  });
  return router;
}

export const ROUTES_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/route',
    summary:
      'Fastest route on the road network from a point to a point or a station, by walk, e-bike ' +
      'or car: a GeoJSON LineString Feature with distance_m, duration_s and steps',
    tags: ['routing'],
    query: RouteQuerySchema,
    responses: {
      '200': { description: 'Feature (LineString)', contentType: 'application/geo+json', schema: FeatureSchema },
      '400': 'Invalid query',
      '404': 'Station not found',
      '422': 'An end is more than 1 km from any usable road, or cannot be reached',
      '503': 'No road network imported yet',
    },
  },
];
