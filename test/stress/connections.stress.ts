/**
 * Slow and silent clients cannot hold the real server process: a connection that never sends a byte
 * and a slowloris trickling headers are both cut off at the headers deadline, and past the
 * connection cap the service answers /healthz again on a client's next tries (the oldest silent
 * sockets are shed), not only once they time out. Lean: a cap of 64 and a 2 s deadline stand in for
 * the thousands of sockets of a real attack (the issue's ~22k half-open connections).
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eServer, type E2eServer } from '../e2e/setup.js';

const CAP = 64;
let server: E2eServer;
let port: number;
const sockets: net.Socket[] = [];

beforeAll(async () => {
  server = await startE2eServer({
    HTTP_MAX_CONNECTIONS: String(CAP),
    HTTP_HEADERS_TIMEOUT_MS: '2000',
    SAMPLE_STATION_COUNT: '20',
  });
  port = Number(new URL(server.baseUrl).port);
}, 600_000);

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await server?.stop();
});

function connect(): net.Socket {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  sockets.push(socket);
  return socket;
}

/** Resolves with 'closed' when the server closes the socket, or 'still open' after `boundMs`. */
function closedWithin(socket: net.Socket, boundMs: number): Promise<'closed' | 'still open'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('still open'), boundMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
  });
}

describe('half-open and slow connections', () => {
  it('cuts off a silent connection and a slowloris, and keeps answering meanwhile', async () => {
    const silent = connect();
    const slow = connect();
    let trickle: NodeJS.Timeout | undefined;
    slow.once('connect', () => {
      slow.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
      trickle = setInterval(() => slow.writable && slow.write('X-Slow: 1\r\n'), 200);
    });
    // Generous bounds (15x the 2 s deadline) so a loaded CI machine does not flake; before the fix
    // the silent one stayed open for ever.
    const [silentEnd, slowEnd, health] = await Promise.all([
      closedWithin(silent, 30_000),
      closedWithin(slow, 30_000),
      fetch(`${server.baseUrl}/healthz`).then((r) => r.status),
    ]);
    clearInterval(trickle);
    expect({ silentEnd, slowEnd, health }).toEqual({ silentEnd: 'closed', slowEnd: 'closed', health: 200 });
  }, 60_000);

  it('past the connection cap, /healthz answers again on the next tries', async () => {
    const flood = Array.from({ length: CAP * 2 }, connect);
    await Promise.all(
      flood.map((s) => new Promise((resolve) => (s.connecting ? s.once('connect', resolve).once('close', resolve) : resolve(null)))),
    );
    const started = Date.now();
    let tries = 0;
    let status = 0;
    while (status !== 200 && Date.now() - started < 30_000) {
      tries += 1;
      status = await fetch(`${server.baseUrl}/healthz`, { signal: AbortSignal.timeout(1000) })
        .then((r) => r.status)
        .catch(() => 0);
    }
    const stillOpen = flood.filter((s) => !s.destroyed && s.readyState === 'open').length;
    console.log(`healthz past the cap: 200 after ${tries} tries, ${Date.now() - started} ms; flood sockets still open: ${stillOpen}`);
    expect(status).toBe(200);
  }, 60_000);
});
