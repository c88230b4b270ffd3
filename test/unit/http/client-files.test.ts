import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFilesRouter } from '../../../server/http/client-files.js';

let dir: string;
let base: string;
let close: () => void;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-client-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>page</title>');
  fs.writeFileSync(path.join(dir, 'assets', 'main-AbC123.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'robots.txt'), 'User-agent: *\n');
  fs.writeFileSync(path.join(dir, 'sw.js'), '// worker');
  const app = express();
  app.use(clientFilesRouter(dir));
  app.use((_req, res) => res.status(404).json({ error: 'No such endpoint' }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});

afterAll(() => {
  close?.();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the built client', () => {
  it('serves fingerprinted assets immutable for a year', async () => {
    const res = await fetch(`${base}/assets/main-AbC123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('serves index.html for page routes with no-cache, and real files as themselves', async () => {
    for (const page of ['/', '/plan', '/manage/users']) {
      const res = await fetch(base + page);
      expect(res.status, page).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<title>page</title>');
    }
    const robots = await fetch(`${base}/robots.txt`);
    expect(robots.headers.get('content-type')).toContain('text/plain');
    expect((await fetch(`${base}/sw.js`)).headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${base}/index.html`)).headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a missing file (and the API prefix) with a 404, not the page', async () => {
    for (const missing of ['/favicon.png', '/assets/main-Old999.js', '/api', '/api/nothing']) {
      expect((await fetch(base + missing)).status, missing).toBe(404);
    }
  });
});
