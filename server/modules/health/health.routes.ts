import { Router } from 'express';
import type { DatabaseHandle } from '../../db/client.js';

/** /healthz: the process answers. /readyz: the database answers too (for load balancers). */
export function healthRouter(handle: DatabaseHandle): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await handle.ping();
      res.json({ status: 'ready', database: handle.kind });
    } catch {
      res.status(503).set('Retry-After', '5').json({ status: 'unavailable', database: handle.kind });
    }
  });
  return router;
}
