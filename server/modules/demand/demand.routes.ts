import { Router } from 'express';
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

/**
 * Planners' demand layers (they may hold private counts, e.g. riders per block): planners and
 * admins only, to read as to change.
 */
export function demandRouter(db: AppDatabase): Router {
  const router = Router();

  router.get('/demand-layers', requireRole('planner', 'admin'), async (_req, res) => {
    res.json({ layers: await listDemandLayers(db) });
  });

  router.get('/demand-layers/:id', requireRole('planner', 'admin'), async (req, res) => {
    const id = parseRequest(DemandLayerIdSchema, req.params.id, 'params');
    const layer = await findDemandLayer(db, id);
    if (!layer) throw notFound(`Demand layer not found: ${id}`);
    res.json(layer);
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

const access = ['planner'];
const params = z.object({ id: DemandLayerIdSchema });
/** What a population layer (imported with npm run import:population, or loaded at first start) adds. */
const POPULATION_FIELDS =
  'kind: points (uploaded, weighted points) or population (a raster: cells of cell_m metres with people per slot). ' +
  'slots: for population layers, what each weight stands for — {day_type: workday|weekend|holiday|null, hour: 0–23|null, total, file}; ' +
  'coverage at an instant uses the slot of its day type (holiday calendar) and hour, the nearest one standing in (said so). ' +
  'citation: the source to cite wherever the figures are shown (the Beijing hourly layer: Cheng, Wang, Zhu, Ge & Zhou 2022, CASGIS/DynPop). ' +
  'loading: true while a first-start load is still writing the layer (coverage answers 503 with Retry-After for it).';

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
