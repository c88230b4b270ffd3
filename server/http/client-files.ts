/**
 * The built client: Vite's fingerprinted files (`assets/name-hash.js`) cached for a year as
 * immutable (a new build is a new name); everything else in dist/client (icons, robots.txt, the
 * manifest, the service worker) revalidated; index.html for page routes only. A missing file with
 * an extension (`/favicon.png`, `/assets/old-hash.js`) is a 404, not the page with a 200.
 */
import path from 'node:path';
import express, { Router } from 'express';

const YEAR_S = 365 * 24 * 3600;

export function clientFilesRouter(clientDistDir: string): Router {
  const router = Router();
  router.use(
    '/assets',
    express.static(path.join(clientDistDir, 'assets'), {
      index: false,
      setHeaders: (res) => res.set('Cache-Control', `public, max-age=${YEAR_S}, immutable`),
    }),
  );
  router.use(
    express.static(clientDistDir, {
      index: false,
      // Not index.html from here: it is the page below, with no-cache.
      setHeaders: (res, file) => {
        res.set('Cache-Control', /sw\.js$|\.webmanifest$|\.html$/.test(file) ? 'no-cache' : 'public, max-age=3600');
      },
    }),
  );
  // Page routes: no dot in the last segment, not under /api/.
  router.get(/^\/(?!api(\/|$))(?:[^/]*\/)*[^./]*$/, (_req, res) => {
    res.set('Cache-Control', 'no-cache').sendFile(path.join(clientDistDir, 'index.html'));
  });
  return router;
}
