/**
 * The OpenAPI document against the app that serves it: every route the Express routers mount is
 * documented (and every documented operation is served), and Redocly's recommended rules find no
 * error in the document as served. Redocly also lints a deliberately broken copy in the same run,
 * so a lint that stopped looking would fail here rather than pass quietly.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/config.js';
import { allowedMethods } from '../../server/http/method-not-allowed.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;
let doc: any;

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.get('/api/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body;
});

afterAll(async () => {
  await server?.close();
});

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

/** `METHOD /openapi/{path}` for every route in the app's routers, mounted prefixes included. */
function mountedRoutes(stack: Layer[], prefix = ''): string[] {
  const routes: string[] = [];
  for (const layer of stack) {
    if (layer.route && typeof layer.route.path === 'string') {
      const full = (prefix + layer.route.path).replace(/\/$/, '') || '/';
      const openApiPath = full.replace(/:(\w+)/g, '{$1}');
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') routes.push(`${method.toUpperCase()} ${openApiPath}`);
      }
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      routes.push(...mountedRoutes(layer.handle.stack, prefix + mount));
    }
  }
  return routes;
}

function documentedOperations(): string[] {
  return Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
    Object.keys(ops).map((method) => `${method.toUpperCase()} ${p}`),
  );
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.0, served with the OGC oas30 media type', async () => {
    const res = await fetch(`${server.baseUrl}/api/openapi.json?f=json`);
    expect(res.headers.get('content-type')).toContain('application/vnd.oai.openapi+json;version=3.0');
    expect(doc.openapi).toMatch(/^3\.0\.\d$/);
    expect(doc.components.securitySchemes).toMatchObject({
      sessionCookie: { type: 'apiKey', in: 'cookie', name: 'wp_session' },
      csrfToken: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
    });
  });

  it('documents every route the Express routers mount', () => {
    const routes = mountedRoutes((server.app as unknown as { router: { stack: Layer[] } }).router.stack);
    expect(routes.length).toBeGreaterThan(40);
    const documented = new Set(documentedOperations());
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
  });

  it('documents only what is served: each documented operation reaches a route', () => {
    const sample = (p: string) => p.replace(/\{(\w+)\}/g, (_, name) => (name === 'collectionId' ? 'stations' : '1'));
    const missing = documentedOperations().filter((op) => {
      const [method, p] = op.split(' ') as [string, string];
      return !allowedMethods(server.app.router as unknown as Router, sample(p)).includes(method);
    });
    expect(missing).toEqual([]);
  });

  it('gives each operation security, an id, a 2xx with a schema, and 401/403 where a session is needed', () => {
    const problems: string[] = [];
    for (const [p, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const name = `${method.toUpperCase()} ${p}`;
        if (!op.operationId) problems.push(`${name}: no operationId`);
        if (!Array.isArray(op.security)) problems.push(`${name}: no security`);
        const success = Object.entries<any>(op.responses).filter(([s]) => s.startsWith('2'));
        if (success.length === 0) problems.push(`${name}: no 2xx`);
        for (const [status, response] of success) {
          if (status !== '204' && !Object.values<any>(response.content ?? {}).every((c) => c.schema))
            problems.push(`${name}: ${status} without a schema`);
        }
        const needsSession = op.security?.length && op.security.every((s: object) => 'sessionCookie' in s);
        if (needsSession && !(op.responses['401'] && op.responses['403']))
          problems.push(`${name}: needs a session but documents no 401/403`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has no Redocly errors (recommended rules), and Redocly does fail a broken copy', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-openapi-'));
    const served = path.join(dir, 'openapi.json');
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(served, JSON.stringify(doc));
    // No info, and an operation with an undefined security scheme: two errors Redocly must see.
    const copy = structuredClone(doc);
    delete copy.info;
    copy.paths['/api/nearest'].get.security = [{ apiKeyNobodyDefined: [] }];
    fs.writeFileSync(broken, JSON.stringify(copy));
    const cli = path.join(REPO_ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
    const run = spawnSync(process.execPath, [cli, 'lint', '--format=json', served, broken], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      timeout: 60_000,
    });
    fs.rmSync(dir, { recursive: true, force: true });
    // One JSON report per file, back to back.
    const reports = run.stdout
      .trim()
      .split(/\n\}\{\n/)
      .map((part, i, all) => JSON.parse((i > 0 ? '{' : '') + part + (i < all.length - 1 ? '}' : '')));
    expect(reports).toHaveLength(2);
    const errors = (report: any) =>
      report.problems
        .filter((p: any) => p.severity === 'error')
        .map((p: any) => `${p.ruleId} at ${p.location?.[0]?.pointer}: ${p.message}`);
    expect(errors(reports[0])).toEqual([]);
    expect(reports[0].totals.errors).toBe(0);
    expect(reports[1].totals.errors).toBeGreaterThanOrEqual(2);
  });
});
