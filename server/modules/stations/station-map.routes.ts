/**
 * GET /api/map/stations?bbox=&zoom=: the stations layer of the map for one viewport (see
 * station-clusters.ts). Public and read-only, like the station listing.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { ApiOperation } from '../../http/openapi.js';
import { FeatureCollectionSchema } from '../../http/openapi-schemas.js';
import { sendFreshJson } from '../../http/send.js';
import { parseRequest } from '../../http/validate.js';
import { BboxSchema } from '../collections/collections.schemas.js';
import { CLUSTER_MAX_ZOOM } from './cluster-protocol.js';
import {
  MAX_STATION_POINTS,
  type StationClusters,
  type StationMapView,
} from './station-clusters.js';

export const StationMapQuerySchema = z.object({
  bbox: BboxSchema,
  zoom: z.coerce
    .number()
    .min(0)
    .max(24)
    .describe(
      `map zoom (0–24). Up to ${CLUSTER_MAX_ZOOM} stations come as counted clusters; above it one by one, at most ${MAX_STATION_POINTS} (more are clustered). A box wider than a 4,096-px screen shows at the asked zoom is answered at the zoom that fits it.`,
    ),
});

/** Lean point features: what the map draws and needs for a click (the sheet loads the rest). */
function viewJson(view: StationMapView): string {
  let stations = 0;
  const features = view.items.map((item) => {
    stations += item.count;
    const coordinates = [Number(item.lng.toFixed(6)), Number(item.lat.toFixed(6))];
    if (item.station) {
      const s = item.station;
      return JSON.stringify({
        type: 'Feature',
        id: s.id,
        geometry: { type: 'Point', coordinates },
        properties: { id: s.id, name: s.name, kind: s.kind, is_sample: s.is_sample },
      });
    }
    return JSON.stringify({
      type: 'Feature',
      geometry: { type: 'Point', coordinates },
      properties: { cluster: true, point_count: item.count, expansion_zoom: item.expansionZoom },
    });
  });
  return `{"type":"FeatureCollection","zoom":${view.zoom},"stations_in_view":${stations},"stations_version":${view.stationsVersion},"clusters_version":${view.clustersVersion ?? 'null'},"features":[${features.join(',')}]}`;
}

export function stationMapRouter(clusters: StationClusters): Router {
  const router = Router();
  router.get('/map/stations', async (req, res) => {
    const q = parseRequest(StationMapQuerySchema, req.query);
    sendFreshJson(res, viewJson(await clusters.view(q.bbox, q.zoom)), 'application/geo+json');
  });
  return router;
}

export const STATION_MAP_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/map/stations',
    summary:
      'The stations layer for one map viewport: counted clusters when zoomed out (with the zoom at which each splits), stations (id, name, kind) when zoomed in; never the whole table',
    tags: ['features'],
    query: StationMapQuerySchema,
    responses: {
      '200': {
        description: 'FeatureCollection of clusters (cluster, point_count, expansion_zoom) and stations (id, name, kind)',
        contentType: 'application/geo+json',
        schema: FeatureCollectionSchema,
      },
      '400': 'Invalid query',
      '503': 'Clusters not available right now; retry after Retry-After seconds',
    },
  },
];
