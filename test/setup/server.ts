import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import pino from 'pino';
import { buildApp } from '../../server/app.js';
import { createHttpServer } from '../../server/http/http-server.js';
import { loadConfig } from '../../server/config.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestServer {
  baseUrl: string;
  app: Express;
  database: TestDatabase;
  /** fetch relative to the server; returns status, headers and parsed JSON body. */
  get(path: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: any }>;
  request(path: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: any }>;
  close(): Promise<void>;
}

/** The real app on a real (private) database, listening on a loopback port. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  const app = buildApp({ database: database.handle, config, logger: pino({ level: 'silent' }) });
  const server = createHttpServer(app).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const request = async (path: string, init?: RequestInit) => {
    const res = await fetch(baseUrl + path, init);
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, headers: res.headers, body };
  };
  return {
    baseUrl,
    app,
    database,
    get: request,
    request,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.drop();
    },
  };
}
