import { Router } from 'express';
import pino, { type Logger } from 'pino';
import type { AppDatabase } from '../../db/client.js';
import { notFound } from '../../http/errors.js';
import { z } from 'zod';
import type { ApiOperation } from '../../http/openapi.js';
import { parseRequest } from '../../http/validate.js';
import { csrfProtection, requireRole } from '../auth/auth.middleware.js';
import { parseDemandUpload } from './demand-parse.js';
import {
  deleteDemandLayer,
  findDemandLayer,
  insertDemandLayer,
  listDemandLayers,
} from './demand.repository.js';
import { DemandLayerIdSchema, DemandUploadSchema } from './demand.schemas.js';
import { DemandMap } from './demand-map.service.js';
import {
  DEMAND_SQUARE_PX,
  DemandSquaresQuerySchema,
  MAX_DEMAND_BBOX_DEG,
  MAX_DEMAND_SQUARES,
} from './demand-map.schemas.js';
import { localizedError, localizedZodError } from '../../http/localized-errors.js';
import { discardBody } from '../../http/request-body.js';
import { RasterUploads } from './raster-upload.service.js';
import { RASTER_UPLOAD_LIMITS, RasterUploadQuerySchema } from './raster-upload.schemas.js';
import { MAX_RASTER_UPLOAD_BYTES } from './population/raster-upload.js';

/**
 * Planners' demand layers (they may hold private counts, e.g. riders per block): planners and
 * admins only, to read as to change.
 */
export function demandRouter(db: AppDatabase, log: Logger = pino({ level: 'silent' })): Router {
  const router = Router();
  const uploads = new RasterUploads(db, log);

  /**
   * A population GeoTIFF as the raw body: 202 with the loading layer (poll GET /demand-layers/{id}
   * until loading is false, or load_error says why not); size and pixel caps refused at once.
   */
  router.post('/demand-layers/rasters', requireRole('planner', 'admin'), csrfProtection, async (req, res) => {
    const parsed = RasterUploadQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      discardBody(req, MAX_RASTER_UPLOAD_BYTES);
      throw localizedZodError(req, parsed.error, UPLOAD_WHAT);
    }
    const layer = await uploads.accept(req, parsed.data);
    res.status(202).location(`/api/demand-layers/${layer.id}`).json({
      ...layer,
      status_url: `/api/demand-layers/${layer.id}`,
    });
  });

  router.get('/demand-layers', requireRole('planner', 'admin'), async (_req, res) => {
    res.json({ layers: await listDemandLayers(db) });
  });

  router.get('/demand-layers/:id', requireRole('planner', 'admin'), async (req, res) => {
    const id = parseRequest(DemandLayerIdSchema, req.params.id, 'params');
    const layer = await findDemandLayer(db, id);
    if (!layer) throw notFound(`Demand layer not found: ${id}`);
    res.json(layer);
  });

  const demandMap = new DemandMap(db);
  router.get('/demand-layers/:id/squares', requireRole('planner', 'admin'), async (req, res) => {
    const idParsed = DemandLayerIdSchema.safeParse(req.params.id);
    if (!idParsed.success) throw localizedZodError(req, idParsed.error, SQUARES_WHAT);
    const parsed = DemandSquaresQuerySchema.safeParse(req.query);
    if (!parsed.success) throw localizedZodError(req, parsed.error, SQUARES_WHAT);
    const layer = await findDemandLayer(db, idParsed.data);
    if (!layer) throw localizedError(req, 404, LAYER_NOT_FOUND, { id: idParsed.data });
    if (layer.loading) {
      throw localizedError(req, 503, LAYER_LOADING, { id: layer.id, name: layer.name }, { 'Retry-After': '60' });
    }
    const { body, etag } = await demandMap.squares(layer, parsed.data, new Date());
    // Layers never change after import: the same key is the same answer (private: planners' data).
    res.set('ETag', etag).set('Cache-Control', 'private, max-age=300');
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    res.json(body);
  });

  router.post(
    '/demand-layers',
    requireRole('planner', 'admin'),
    csrfProtection,
    async (req, res) => {
      const upload = parseRequest(DemandUploadSchema, req.body, 'body');
      const points = parseDemandUpload(upload);
      const layer = await insertDemandLayer(
        db,
        {
          name: upload.name,
          description: upload.description ?? null,
          weight_label: upload.weight_label ?? null,
          source: upload.source ?? null,
        },
        points,
      );
      res.status(201).json(layer);
    },
  );

  router.delete(
    '/demand-layers/:id',
    requireRole('planner', 'admin'),
    csrfProtection,
    async (req, res) => {
      const id = parseRequest(DemandLayerIdSchema, req.params.id, 'params');
      if (!(await deleteDemandLayer(db, id))) throw notFound(`Demand layer not found: ${id}`);
      res.status(204).end();
    },
  );

  return router;
}

const SQUARES_WHAT = { zh: '需求分布图', en: 'Demand map' };
const UPLOAD_WHAT = { zh: '栅格上传', en: 'Raster upload' };
const LAYER_NOT_FOUND = { zh: '没有编号为 {id} 的需求图层', en: 'Demand layer not found: {id}' };
const LAYER_LOADING = {
  zh: '需求图层 {id}（{name}）仍在载入，请稍后再试',
  en: 'Demand layer {id} ({name}) is still being loaded; retry in a minute',
};

const access = ['planner'];
const params = z.object({ id: DemandLayerIdSchema });
/** What a population layer (imported with npm run import:population, or loaded at first start) adds. */
const POPULATION_FIELDS =
  'kind: points (uploaded, weighted points) or population (a raster: cells of cell_m metres with people per slot). ' +
  'slots: for population layers, what each weight stands for — {day_type: workday|weekend|holiday|null, hour: 0–23|null, total, file}; ' +
  'coverage at an instant uses the slot of its day type (holiday calendar) and hour, the nearest one standing in (said so). ' +
  'citation: the source to cite wherever the figures are shown (the Beijing hourly layer: Cheng, Wang, Zhu, Ge & Zhou 2022, CASGIS/DynPop). ' +
  'loading: true while a first-start load or an upload job is still writing the layer (coverage answers 503 with Retry-After for it). ' +
  'load_error: why an uploaded raster failed (English | 中文); such a layer is never counted (coverage answers 422) until deleted.';

export const DEMAND_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/demand-layers',
    summary: 'List demand layers; planner or admin',
    description: POPULATION_FIELDS,
    tags: ['planning'],
    access,
    responses: { '200': 'Layers', '401': 'Sign in', '403': 'Not a planner' },
  },
  {
    method: 'get',
    path: '/api/demand-layers/{id}',
    summary: 'One demand layer; planner or admin',
    description: POPULATION_FIELDS,
    tags: ['planning'],
    params,
    access,
    responses: { '200': 'Layer', '401': 'Sign in', '403': 'Not a planner', '404': 'Not found' },
  },
  {
    method: 'post',
    path: '/api/demand-layers/rasters',
    summary: 'Upload a population GeoTIFF as a new layer (a job: 202, then poll the layer); planner or admin',
    description:
      `The raw body is one GeoTIFF (image/tiff or application/octet-stream): ${RASTER_UPLOAD_LIMITS}. ` +
      'The CRS is read from the GeoKeys (geographic WGS-84, Web Mercator, UTM, CGCS2000 Gauss–Krüger, Albers / Lambert / transverse Mercator on a stated ellipsoid) and reprojected with proj4; crs= overrides. ' +
      'The header is checked in the CPU pool before the answer (413 too many pixels, 422 bands or CRS); the file is then read in the CPU pool and written in one transaction while GET /api/demand-layers/{id} says loading: true, then loading: false (or load_error). ' +
      'One file is one slot: day_type and hour name it (omit both for a static layer). Errors in the language of lang= or Accept-Language.',
    tags: ['planning'],
    query: RasterUploadQuerySchema,
    upload: { contentTypes: ['image/tiff', 'application/octet-stream'], description: 'one single-band population GeoTIFF (people per cell)' },
    access,
    responses: {
      '202': 'Accepted: the layer, loading (Location and status_url: poll it)',
      '400': 'Invalid query, empty body or not a GeoTIFF (in zh or en)',
      '401': 'Sign in',
      '403': 'Not a planner, or no CSRF token',
      '413': 'File or pixel count over the cap',
      '415': 'Not image/tiff or application/octet-stream',
      '422': 'More than one band, or a CRS not understood (pass crs=)',
      '503': 'Other uploads are being read: retry after Retry-After seconds',
    },
  },
  {
    method: 'get',
    path: '/api/demand-layers/{id}/squares',
    summary: 'A demand layer drawn on the map: its people (or weights) summed into grid squares for one viewport; planner or admin',
    description:
      `Squares of a global grid of 360/2^n degrees, about ${DEMAND_SQUARE_PX} px at the zoom and never finer than the layer's cells; ` +
      `the viewport is snapped outwards to blocks of 16 squares (nearby views share an answer). At most ${MAX_DEMAND_SQUARES} squares: ` +
      `past it the grid coarsens (coarsened: true, step_deg says the size used). bbox at most ${MAX_DEMAND_BBOX_DEG}° on a side. ` +
      'Population layers: the slot of at= (day type by the holiday calendar, hour; the nearest standing in, slot.exact false), ' +
      'estimate: true (modelled people), and the citation. Computed in the CPU pool, kept per layer version, slot, step and box; ' +
      'ETag and If-None-Match (304). Errors in the language of lang= or Accept-Language.',
    tags: ['planning'],
    params,
    query: DemandSquaresQuerySchema,
    access,
    responses: {
      '200': 'Squares: [west, south, value, cells] (cells: how many of the layer’s cells or points fell in it), step_deg, bbox, total, max, slot, citation',
      '304': 'Not modified (If-None-Match)',
      '400': 'Invalid bbox, zoom or at (in zh or en)',
      '401': 'Sign in',
      '403': 'Not a planner',
      '404': 'Not found',
      '503': 'Layer still loading, or busy: retry after Retry-After seconds',
    },
  },
  {
    method: 'post',
    path: '/api/demand-layers',
    summary:
      'Upload a demand layer (CSV lng,lat,weight[,name] or GeoJSON points; crs WGS84/GCJ02/BD09); planner or admin',
    tags: ['planning'],
    body: DemandUploadSchema,
    access,
    responses: {
      '201': 'Created layer',
      '400': 'Invalid upload',
      '401': 'Sign in',
      '403': 'Not a planner',
    },
  },
  {
    method: 'delete',
    path: '/api/demand-layers/{id}',
    summary: 'Delete a demand layer and its points; planner or admin',
    tags: ['planning'],
    params,
    access,
    responses: { '204': 'Deleted', '404': 'Not found' },
  },
];
