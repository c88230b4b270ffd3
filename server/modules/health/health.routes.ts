import { Router } from 'express';
import type { DatabaseHandle } from '../../db/client.js';
import { faultMessage, writeFaults } from '../../db/database-errors.js';

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
