/**
 * `/api/route` answered by pgRouting instead of our engine, for an end-to-end A/B in one run on
 * PostgreSQL: both ends snapped by the same PostGIS KNN query the service used before issue 13
 * (`findNearbyEdges`, converted to a fraction of the edge's length in metres, which is how the
 * edge's cost is spread along it), then one `pgr_withPoints` over `road_edges` from the first
 * point to the second. It answers only the duration (seconds, rounded like the API), so the bench
 * can compare it with ours pair by pair; it serves only the bench's own well-formed requests.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { queryRows, sql, type AppDatabase } from '../../server/db/client.js';
import { createHttpServer } from '../../server/http/http-server.js';
import type { RoadNetworkCache } from '../../server/modules/routes/road-network-cache.js';
import { findNearbyEdges } from '../../server/modules/routes/road-network.repository.js';
import { metreFractionFromPlanar } from '../../server/routing/edge-geometry.js';
import type { LngLat } from '../../server/routing/geo.js';
import { PROFILES, type ProfileName } from '../../server/routing/profiles.js';

const round1 = (value: number) => Math.round(value * 10) / 10;

export async function startPgrWithPointsServer(db: AppDatabase, networks: RoadNetworkCache) {
  await db.execute(sql`create extension if not exists pgrouting`);
  const app = express();
  app.get('/api/route', async (req, res) => {
    const parse = (text: unknown) => String(text).split(',').map(Number) as LngLat;
    const [from, to] = [parse(req.query.from), parse(req.query.to)];
    const mode = String(req.query.mode) as ProfileName;
    if (!PROFILES.includes(mode)) throw new Error(`Unknown profile: ${mode}`);
    const { graph } = (await networks.current())!;
    const ends = await Promise.all(
      [from, to].map(async (point) => {
        const [nearest] = await findNearbyEdges(db, point, mode, 1000);
        if (!nearest) return null;
        const fraction = metreFractionFromPlanar(graph, nearest.edgeId, nearest.planarFraction);
        // pgr_withPoints (3.4) finds no path from or to a point at an edge's very end (fraction 0
        // or 1): a point a millionth inside answers, a few microseconds of cost off.
        return { edgeId: nearest.edgeId, fraction: Math.min(1 - 1e-6, Math.max(1e-6, fraction)) };
      }),
    );
    const [start, end] = ends;
    if (!start || !end) {
      res.status(422).json({ error: 'unreachable' });
      return;
    }
    // Column names come from the fixed PROFILES list, never from input; the points are numbers.
    const edgesSql =
      `select id, source, target, coalesce(${mode}_fwd_s, -1) as cost, ` +
      `coalesce(${mode}_bwd_s, -1) as reverse_cost from road_edges`;
    const pointsSql =
      `select 1 as pid, ${start.edgeId}::bigint as edge_id, ${start.fraction}::float8 as fraction ` +
      `union all select 2, ${end.edgeId}::bigint, ${end.fraction}::float8`;
    const [row] = await queryRows<{ agg_cost: number }>(
      db,
      sql`select agg_cost from pgr_withPoints(${edgesSql}, ${pointsSql}, -1, -2,
            directed => true, details => false) order by seq desc limit 1`,
    );
    if (!row) {
      res.status(422).json({ error: 'unreachable' });
      return;
    }
    res.json({ properties: { mode, duration_s: round1(Number(row.agg_cost)) } });
  });
  const server = createHttpServer(app).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { baseUrl, close: () => new Promise<void>((r) => server.close(() => r())) };
}
