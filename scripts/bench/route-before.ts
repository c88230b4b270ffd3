/**
 * `/api/route` as it was before issue 13, rebuilt from the same modules for an A/B in one run:
 * both ends snapped by PostGIS KNN (`findNearbyEdges`, one query per end), the route searched by
 * plain bidirectional Dijkstra, and the same GeoJSON Feature built. No validation or error pages
 * beyond what the bench needs; it serves only the bench's own well-formed requests.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { AppDatabase } from '../../server/db/client.js';
import { createHttpServer } from '../../server/http/http-server.js';
import type { RoadNetworkCache } from '../../server/modules/routes/road-network-cache.js';
import { findNearbyEdges } from '../../server/modules/routes/road-network.repository.js';
import {
  metreFractionFromPlanar,
  pointAtFraction,
  routeCoordinates,
} from '../../server/routing/edge-geometry.js';
import type { LngLat } from '../../server/routing/geo.js';
import type { ProfileName } from '../../server/routing/profiles.js';
import { routeSteps } from '../../server/routing/steps.js';

const round1 = (value: number) => Math.round(value * 10) / 10;

export async function startRouteBeforeServer(db: AppDatabase, networks: RoadNetworkCache) {
  const app = express();
  app.get('/api/route', async (req, res) => {
    const parse = (text: unknown) => String(text).split(',').map(Number) as LngLat;
    const [from, to] = [parse(req.query.from), parse(req.query.to)];
    const mode = String(req.query.mode) as ProfileName;
    const network = (await networks.current())!;
    const { graph } = network;
    const ends = await Promise.all(
      [from, to].map(async (point) => {
        const [nearest] = await findNearbyEdges(db, point, mode, 1000);
        if (!nearest) return null;
        const fraction = metreFractionFromPlanar(graph, nearest.edgeId, nearest.planarFraction);
        return {
          snap: { edgeId: nearest.edgeId, fraction },
          point: pointAtFraction(graph, nearest.edgeId, fraction),
          distanceM: nearest.distanceM,
        };
      }),
    );
    const [start, end] = ends;
    const route = start && end ? network.searches[mode].route(start.snap, end.snap) : null;
    if (!start || !end || !route) {
      res.status(422).json({ error: 'unreachable' });
      return;
    }
    res.type('application/geo+json').json({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: routeCoordinates(graph, route) },
      properties: {
        mode,
        distance_m: round1(route.distanceM),
        duration_s: round1(route.durationS),
        steps: routeSteps(graph, route).map((step) => ({
          name: step.name,
          highway: step.highway,
          distance_m: round1(step.distanceM),
          duration_s: round1(step.durationS),
        })),
        from: { requested: from, snapped: start.point, snap_distance_m: round1(start.distanceM) },
        to: { requested: to, snapped: end.point, snap_distance_m: round1(end.distanceM) },
      },
    });
  });
  const server = createHttpServer(app).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { baseUrl, close: () => new Promise<void>((r) => server.close(() => r())) };
}
