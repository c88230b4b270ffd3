/**
 * A CSV import is read as it streams in, with its caps (50,000 rows, 200 columns, 20 MB) enforced
 * while reading: a 100 MB file is refused after reading just past a cap, never held whole, and the
 * refusal reaches the client while it is still sending.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countStations } from '../../server/modules/stations/stations.repository.js';
import { createUser, loginAs, type LoggedIn } from '../setup/auth.js';
import { startTestServer, type TestServer } from '../setup/server.js';

let server: TestServer;
let admin: LoggedIn;

const MB = 1024 * 1024;

beforeAll(async () => {
  server = await startTestServer();
  await createUser(server.database.handle.db, { username: 'stream-admin', password: 'admin-password-1', role: 'admin' });
  admin = await loginAs(server, 'stream-admin', 'admin-password-1');
});

afterAll(async () => {
  await server?.close();
});

interface StreamedAnswer {
  status: number;
  body: { error?: string };
  /** Bytes the client had handed to the socket when the answer arrived. */
  sentWhenAnswered: number;
  /** Growth of this process's resident memory (the server runs in it) while the file was sent. */
  rssGrowthMb: number;
}

/**
 * POSTs a CSV of `totalBytes` made of `header` then `row` repeated, in 64 KB chunks without a
 * Content-Length (chunked), as fast as the socket takes them; stops sending once answered.
 */
function streamCsv(header: string, row: string, totalBytes: number): Promise<StreamedAnswer> {
  const url = new URL(`${server.baseUrl}/api/stations/import?format=csv&dry_run=true`);
  const chunk = Buffer.from(row.repeat(Math.floor((64 * 1024) / row.length)));
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request({
      host: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      method: 'POST',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'text/csv' },
    });
    req.on('response', (res) => {
      answered = true;
      const sentWhenAnswered = sent;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        clearInterval(sampler);
        resolve({
          status: res.statusCode!,
          body: JSON.parse(text),
          sentWhenAnswered,
          rssGrowthMb: Math.round((rssPeak - rssBefore) / MB),
        });
      });
      req.end();
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      if (sent === 0) {
        req.write(header);
        sent += header.length;
      }
      while (!answered && sent < totalBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('CSV import caps, enforced while reading', () => {
  it('refuses a 100 MB file of short rows at the row cap, having read a few MB of it', async () => {
    const before = await countStations(server.database.handle.db);
    const answer = await streamCsv('名称,经度,纬度\n', '流式测试驿站,116.40,39.91\n', 100 * MB);
    console.log('100 MB CSV, short rows:', answer);
    expect(answer.status).toBe(413);
    expect(answer.body.error).toContain('more than 50000 rows');
    // 50,001 rows of 35 bytes is 1.7 MB; socket buffers add a little.
    expect(answer.sentWhenAnswered).toBeLessThan(12 * MB);
    expect(answer.rssGrowthMb).toBeLessThan(150);
    expect(await countStations(server.database.handle.db)).toBe(before);
  });

  it('refuses a 100 MB file of long rows at the 20 MB cap, without holding it', async () => {
    const row = `长行驿站,116.40,39.91,${'备注'.repeat(600)}\n`;
    const answer = await streamCsv('名称,经度,纬度,备注\n', row, 100 * MB);
    console.log('100 MB CSV, long rows:', answer);
    expect(answer.status).toBe(413);
    expect(answer.body.error).toContain('larger than 20 MB');
    expect(answer.sentWhenAnswered).toBeLessThan(32 * MB);
    expect(answer.rssGrowthMb).toBeLessThan(250);
  });

  it('refuses a header of more than 200 columns as soon as it is read', async () => {
    const header = `${Array.from({ length: 300 }, (_, i) => `c${i}`).join(',')}\n`;
    const answer = await streamCsv(header, `${'1,'.repeat(299)}1\n`, 50 * MB);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain('more than 200 columns');
    expect(answer.sentWhenAnswered).toBeLessThan(12 * MB);
  });

  it('the connection stays usable: the next request on the server is answered', async () => {
    const res = await server.get('/api/meta');
    expect(res.status).toBe(200);
  });

  it('still reads a file at the row cap whole (dry run)', async () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => `CAP-${i},上限驿站${i},116.40,39.91`).join('\n');
    const res = await server.request('/api/stations/import?format=csv&dry_run=true', {
      method: 'POST',
      headers: { ...admin.headers, 'content-type': 'text/csv' },
      body: `编号,名称,经度,纬度\n${rows}\n`,
    });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.summary.rows).toBe(50_000);
  }, 120_000);
});
