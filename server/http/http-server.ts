import http from 'node:http';
import type { Express } from 'express';

const CLIENT_ERRORS: Record<string, { status: number; reason: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    message: 'Request line or headers are too large (URLs are limited to about 16 KB)',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', message: 'Request took too long to arrive' },
};

/**
 * The HTTP server around the app. Malformed or oversized requests are refused by Node before
 * Express sees them; this answers them with the same JSON error shape as every other refusal.
 * Timeouts bound slow clients so they cannot hold sockets open forever.
 */
export function createHttpServer(app: Express): http.Server {
  const server = http.createServer(app);
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
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
