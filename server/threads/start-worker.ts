/**
 * Starts a `node:worker_threads` worker from a sibling module, whether the server runs from its
 * TypeScript sources (tsx, vitest) or from compiled JavaScript. Why not simply `new Worker(url)`:
 * a worker does not inherit tsx's loader, and `execArgv: ['--import', 'tsx']` does not register it
 * inside a worker on Node 20, so the worker registers tsx itself before importing the module.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `moduleUrl`: the worker's module, e.g. `new URL('./cluster-worker.ts', import.meta.url)`. */
export function startWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  const href = moduleUrl.href;
  if (!href.endsWith('.ts')) return new Worker(moduleUrl, options);
  // The ESM entry of tsx's API, found from its package.json (require.resolve would give the CJS one).
  const tsxRoot = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(path.join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

/** The URL of a sibling module with the extension this module itself was loaded with. */
export function siblingModule(importMetaUrl: string, baseName: string): URL {
  const ext = importMetaUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${baseName}${ext}`, importMetaUrl);
}
