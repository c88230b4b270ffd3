import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { compressWhenAccepted } from '../../../server/http/compress.js';
import { requestLog } from '../../../server/http/request-log.js';
import { securityHeaders } from '../../../server/http/security-headers.js';

const servers: http.Server[] = [];
afterAll(() => servers.forEach((s) => s.close()));

async function serve(app: Express): Promise<string> {
  const server = http.createServer(app).listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise<void>((r) => server.once('listening', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function appWith(middleware: express.RequestHandler): Express {
  const app = express();
  app.use(middleware);
  app.get('/x', (_req, res) => {
    res.json({ big: 'x'.repeat(5000) });
  });
  return app;
}

/** Headers minus the ones that differ per response. */
const stable = (headers: Headers) =>
  Object.fromEntries([...headers].filter(([k]) => !['date', 'etag', 'content-length', 'keep-alive', 'connection'].includes(k)));

describe('securityHeaders', () => {
  const options: HelmetOptions = {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: { 'worker-src': ["'self'", 'blob:'], 'upgrade-insecure-requests': null },
    },
    crossOriginEmbedderPolicy: false,
  };

  it("sets exactly helmet's headers, names and values", async () => {
    const viaHelmet = await fetch(`${await serve(appWith(helmet(options)))}/x`);
    const ours = await fetch(`${await serve(appWith(securityHeaders(options)))}/x`);
    expect(stable(ours.headers)).toEqual(stable(viaHelmet.headers));
    expect(ours.headers.get('content-security-policy')).toContain("worker-src 'self' blob:");
    expect(ours.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('requestLog', () => {
  function capturingLogger() {
    const lines: any[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    return { logger, lines };
  }

  it('echoes a sent request id, makes one otherwise, and logs one line per request', async () => {
    const { logger, lines } = capturingLogger();
    const base = await serve(appWith(requestLog(logger)));
    const echoed = await fetch(`${base}/x`, { headers: { 'X-Request-Id': 'abc-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('abc-123');
    const made = await fetch(`${base}/x?q=1`);
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((r) => setTimeout(r, 20));
    expect(lines.map((l) => [l.reqId, l.method, l.url, l.status, l.msg])).toEqual([
      ['abc-123', 'GET', '/x', 200, 'request completed'],
      [made.headers.get('x-request-id'), 'GET', '/x?q=1', 200, 'request completed'],
    ]);
    expect(typeof lines[0].ms).toBe('number');
  });

  it('keeps health probes out of the log, and logs nothing when info is off', async () => {
    const { logger, lines } = capturingLogger();
    const app = express();
    app.use(requestLog(logger));
    app.get('/healthz', (_req, res) => res.send('ok'));
    await fetch(`${await serve(app)}/healthz`);
    const quiet = capturingLogger();
    quiet.logger.level = 'warn';
    await fetch(`${await serve(appWith(requestLog(quiet.logger)))}/x`);
    await new Promise((r) => setTimeout(r, 20));
    expect(lines).toEqual([]);
    expect(quiet.lines).toEqual([]);
  });
});

describe('compressWhenAccepted', () => {
  it('gzips for clients that accept it and says the response varies either way', async () => {
    const base = await serve(appWith(compressWhenAccepted()));
    const gzip = await new Promise<http.IncomingMessage>((resolve) =>
      http.get(`${base}/x`, { headers: { 'accept-encoding': 'gzip' } }, resolve),
    );
    gzip.resume();
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.headers.vary).toMatch(/Accept-Encoding/i);
    const plain = await new Promise<http.IncomingMessage>((resolve) =>
      http.get(`${base}/x`, { headers: {} }, resolve),
    );
    plain.resume();
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
  });
});
