import fs from 'node:fs';
import http from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';

const CLIENT_ERRORS: Record<string, { status: number; reason: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    message: 'Request line or headers are too large (URLs are limited to about 16 KB)',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', message: 'Request took too long to arrive' },
};

export interface HttpServerLimits {
  /** A connection must deliver a complete request head this soon after connecting (or starting one). */
  headersTimeoutMs: number;
  /** A whole request (head and body) must arrive within this. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Open connections at most; past it new ones are refused and idle ones shed. */
  maxConnections: number;
}

/** The soft limit on open files (Linux), or null where it cannot be read. */
function openFileLimit(): number | null {
  try {
    const line = fs
      .readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isFinite(soft) && soft > 0 ? soft : null;
  } catch {
    return null;
  }
}

/**
 * Half the open-file limit (the database, its files and the pool need the rest), between 64 and
 * 10,000: sockets past it would make accept() fail with EMFILE and stall every client.
 */
export function defaultMaxConnections(): number {
  const limit = openFileLimit() ?? 1024;
  return Math.max(64, Math.min(10_000, Math.floor(limit / 2)));
}

export function httpServerLimits(
  config: { HTTP_MAX_CONNECTIONS?: number; HTTP_HEADERS_TIMEOUT_MS?: number } = {},
): HttpServerLimits {
  return {
    headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS ?? 10_000,
    requestTimeoutMs: 30_000,
    keepAliveTimeoutMs: 5_000,
    maxConnections: config.HTTP_MAX_CONNECTIONS ?? defaultMaxConnections(),
  };
}

/**
 * The HTTP server around the app. Malformed or oversized requests are refused by Node before
 * Express sees them; this answers them with the same JSON error shape as every other refusal.
 *
 * Slow and silent clients cannot hold the process: a connection that has not delivered a whole
 * request head within `headersTimeoutMs` of connecting is closed (a connection that never sent a
 * byte used to stay open for ever: ~22k of them exhausted the open files and stalled the service),
 * a slowloris that trickles headers is cut at the same deadline, and past `maxConnections` new connections are refused while the oldest of
 * those that sent no request yet, and the idle keep-alive ones, are shed, so a real client gets in
 * again on its next try rather than after the stragglers time out.
 */
export function createHttpServer(app: Express, limits: HttpServerLimits = httpServerLimits()): http.Server {
  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often Node checks those deadlines (default 30 s, which would triple them).
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    app,
  );
  server.maxConnections = limits.maxConnections;

  // A request head must be complete within headersTimeoutMs of connecting (or of the previous
  // answer on a kept-alive connection), however the bytes trickle in: an absolute deadline per
  // socket, because Node's own headersTimeout did not cut a slowloris sending a header line every
  // 200 ms (measured: it lasted until requestTimeout) and never starts for a socket that sends
  // nothing. `waiting` holds the sockets before their head, oldest first, to shed at the cap.
  const waiting = new Map<Socket, NodeJS.Timeout>();
  const stopWaiting = (socket: Socket) => {
    clearTimeout(waiting.get(socket));
    waiting.delete(socket);
  };
  const awaitHead = (socket: Socket) => {
    if (socket.destroyed) return;
    stopWaiting(socket);
    const deadline = setTimeout(() => {
      waiting.delete(socket);
      socket.destroy();
    }, limits.headersTimeoutMs);
    deadline.unref();
    waiting.set(socket, deadline);
  };
  server.on('connection', (socket: Socket) => {
    awaitHead(socket);
    socket.once('close', () => stopWaiting(socket));
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    stopWaiting(req.socket);
    res.once('finish', () => {
      if (!res.getHeader('connection')?.toString().includes('close')) awaitHead(req.socket);
    });
  });

  // At the cap: the refused client will try again, so make room now: a quarter of the sockets that
  // have not yet sent a request (the oldest: a real client sends its head within milliseconds)
  // and every idle keep-alive connection.
  let lastShed = 0;
  server.on('drop', () => {
    const now = Date.now();
    if (now - lastShed < 100) return;
    lastShed = now;
    let shed = Math.max(1, Math.floor(waiting.size / 4));
    for (const socket of waiting.keys()) {
      if (shed-- <= 0) break;
      stopWaiting(socket);
      socket.destroy();
    }
    server.closeIdleConnections();
  });

  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const known = CLIENT_ERRORS[error.code ?? ''] ?? {
      status: 400,
      reason: 'Bad Request',
      message: 'Malformed HTTP request',
    };
    const body = JSON.stringify({ error: known.message });
    socket.end(
      `HTTP/1.1 ${known.status} ${known.reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}
