import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressWhenAccepted } from '../../../server/http/compress.js';
import { errorHandler } from '../../../server/http/errors.js';
import { resolveBasemap, type BasemapConfig } from '../../../server/modules/basemap/basemap.config.js';
import { MAX_RANGE_BYTES, basemapRouter } from '../../../server/modules/basemap/basemap.routes.js';
import { parseByteRange } from '../../../server/modules/basemap/byte-range.js';

describe('parseByteRange', () => {
  it('reads first-last, open-ended and suffix ranges', () => {
    expect(parseByteRange('bytes=0-99', 1000, 500)).toEqual({ kind: 'range', range: { start: 0, end: 99 } });
    expect(parseByteRange('bytes=900-', 1000, 500)).toEqual({ kind: 'range', range: { start: 900, end: 999 } });
    expect(parseByteRange('bytes=-10', 1000, 500)).toEqual({ kind: 'range', range: { start: 990, end: 999 } });
    expect(parseByteRange('bytes=-5000', 1000, 5000)).toEqual({ kind: 'range', range: { start: 0, end: 999 } });
    // Past the end is clipped (RFC 9110), not refused.
    expect(parseByteRange('bytes=990-2000', 1000, 500)).toEqual({ kind: 'range', range: { start: 990, end: 999 } });
  });

  it('caps a long range at maxLength', () => {
    expect(parseByteRange('bytes=0-', 10_000, 500)).toEqual({ kind: 'range', range: { start: 0, end: 499 } });
  });

  it('refuses what it cannot satisfy', () => {
    for (const header of ['bytes=1000-', 'bytes=5-4', 'bytes=0-1,5-6', 'items=0-1', 'bytes=-', 'bytes=-0', 'bytes=x-1']) {
      expect(parseByteRange(header, 1000, 500).kind, header).toBe('unsatisfiable');
    }
  });

  it('no header: the whole file', () => {
    expect(parseByteRange(undefined, 1000, 500)).toEqual({ kind: 'whole' });
  });
});

describe('GET /api/basemap.pmtiles', () => {
  const servers: http.Server[] = [];
  let file: string;
  let bytes: Buffer;

  async function serve(basemap: BasemapConfig): Promise<string> {
    const app = express();
    app.use(compressWhenAccepted());
    app.use('/api', basemapRouter(basemap, pino({ level: 'silent' })));
    app.use(errorHandler(pino({ level: 'silent' })));
    const server = http.createServer(app).listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise<void>((r) => server.once('listening', () => r()));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/basemap.pmtiles`;
  }

  beforeAll(() => {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bm-range-')), 'a.pmtiles');
    bytes = Buffer.alloc(MAX_RANGE_BYTES + 300_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff;
    fs.writeFileSync(file, bytes);
  });
  afterAll(() => servers.forEach((s) => s.close()));

  const configured = () => resolveBasemap({ BASEMAP: 'pmtiles', BASEMAP_PMTILES: file }) as BasemapConfig;

  it('answers a range with 206, its bytes, Content-Range and Accept-Ranges, uncompressed', async () => {
    const url = await serve(configured());
    const res = await fetch(url, { headers: { Range: 'bytes=100-16483', 'Accept-Encoding': 'gzip' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-range')).toBe(`bytes 100-16483/${bytes.length}`);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.get('etag')).toMatch(/^".+"$/);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes.subarray(100, 16484))).toBe(true);
  });

  it('shortens a range longer than the cap (Content-Range says which bytes)', async () => {
    const url = await serve(configured());
    const res = await fetch(url, { headers: { Range: 'bytes=10-' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 10-${10 + MAX_RANGE_BYTES - 1}/${bytes.length}`);
    expect((await res.arrayBuffer()).byteLength).toBe(MAX_RANGE_BYTES);
  });

  it('416 with the size for a range past the end or several ranges', async () => {
    const url = await serve(configured());
    for (const range of [`bytes=${bytes.length}-`, 'bytes=0-1,4-5', 'bytes=9-3']) {
      const res = await fetch(url, { headers: { Range: range } });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
      expect((await res.json()).error).toMatch(/Range/);
    }
  });

  it('without Range streams the whole file (200)', async () => {
    const url = await serve(configured());
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('an If-Range that no longer matches gets the whole file, not a stale range', async () => {
    const url = await serve(configured());
    const res = await fetch(url, { headers: { Range: 'bytes=0-9', 'If-Range': '"old"' } });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it('404 when no archive is configured', async () => {
    const url = await serve(resolveBasemap({}) as BasemapConfig);
    const res = await fetch(url, { headers: { Range: 'bytes=0-9' } });
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatch(/No PMTiles basemap/);
  });
});
