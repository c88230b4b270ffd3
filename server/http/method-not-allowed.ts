/**
 * 405 Method Not Allowed with an `Allow` header, for a path some route answers with other methods.
 * The methods come from the routers' own registered routes (express 5 / router 2 layers), walked
 * when a request has found no handler, so the answer cannot drift from what is really served.
 */
import type { RequestHandler, Router } from 'express';
import { HttpError } from './errors.js';

interface RouterLayer {
  route?: { methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
  match(path: string): false | { path: string };
}

function collectMethods(stack: RouterLayer[], path: string, into: Set<string>) {
  for (const layer of stack) {
    if (layer.route) {
      if (layer.match(path)) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') into.add(method.toUpperCase());
        }
      }
    } else if (layer.handle?.stack) {
      // A router mounted with use(): match its prefix, look inside with the rest of the path.
      const prefix = layer.match(path);
      if (prefix) collectMethods(layer.handle.stack, path.slice(prefix.path.length) || '/', into);
    }
  }
}

/** The methods `router` serves at `path` (HEAD with GET, as express answers it). */
export function allowedMethods(router: Router, path: string): string[] {
  const methods = new Set<string>();
  collectMethods((router as unknown as { stack: RouterLayer[] }).stack, path, methods);
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/**
 * Mount after every route of `router` and before the 404: a request that reached it matched no
 * route with its method. OPTIONS gets 204 with Allow (what the methods are), anything else 405.
 */
export function methodNotAllowed(router: Router): RequestHandler {
  return (req, res, next) => {
    const allowed = allowedMethods(router, req.path);
    if (allowed.length === 0) return next();
    const allow = [...allowed, 'OPTIONS'].join(', ');
    if (req.method === 'OPTIONS') {
      res.set('Allow', allow).status(204).end();
      return;
    }
    next(
      new HttpError(
        405,
        `${req.method} is not allowed on ${req.baseUrl}${req.path}; use ${allowed.join(' or ')}`,
        undefined,
        { Allow: allow },
      ),
    );
  };
}
