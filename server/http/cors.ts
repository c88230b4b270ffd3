import type { RequestHandler } from 'express';

/**
 * CORS is off unless the deployer lists origins (CORS_ORIGINS): the client is served from the same
 * origin, and cookie-authenticated writes must not be callable from other sites.
 */
export function corsFor(originsSetting: string): RequestHandler | null {
  const allowed = new Set(
    originsSetting
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  );
  if (allowed.size === 0) return null;
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, If-Match, X-CSRF-Token');
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
    }
    next();
  };
}
