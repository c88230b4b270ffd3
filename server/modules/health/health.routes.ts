import { Router } from 'express';
import type { DatabaseHandle } from '../../db/client.js';
import { faultMessage, writeFaults } from '../../db/database-errors.js';
import type { ApiOperation } from '../../http/openapi.js';
import { HealthSchema } from '../../http/openapi-schemas.js';

/**
 * /healthz: the process answers. /readyz: the database answers too, and no write failed for lack
 * of disk or because the database is read-only in the last 30 s (for load balancers).
 */
export function healthRouter(handle: DatabaseHandle): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const fault = writeFaults.current();
    if (fault) {
      res.status(503).set('Retry-After', '30').json({ status: 'unavailable', database: handle.kind, reason: faultMessage(fault) });
      return;
    }
    try {
      await handle.ping();
      res.json({ status: 'ready', database: handle.kind });
    } catch {
      res.status(503).set('Retry-After', '5').json({ status: 'unavailable', database: handle.kind });
    }
  });
  return router;
}

export const HEALTH_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the process answers',
    tags: ['service'],
    offline: true,
    responses: { '200': { description: 'Alive', schema: HealthSchema } },
  },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: the database answers and no write failed for disk or read-only in 30 s',
    tags: ['service'],
    responses: {
      '200': { description: 'Ready', schema: HealthSchema },
      '503': { description: 'Not ready; retry after Retry-After seconds', schema: HealthSchema },
    },
  },
];
