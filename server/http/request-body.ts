/** Raw request bodies (uploads) read with a byte cap, so no client can make us hold more. */
import type { Request } from 'express';

/**
 * Reads and drops the rest of a body we refused before reading it, so the client (still sending)
 * gets the answer rather than a reset connection; past `maxBytes` the connection is closed.
 */
export function discardBody(req: Request, maxBytes: number): void {
  let bytes = 0;
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > maxBytes) req.socket.destroy();
  });
  req.resume();
}

export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The body is larger than ${maxBytes} bytes`);
  }
}

/**
 * The whole body in memory, for uploads small enough to hold (photos); rejects with
 * BodyTooLargeError as soon as the count passes `maxBytes`, and stops reading.
 */
export function readBodyCapped(req: Request, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        req.off('data', onData);
        req.unpipe();
        req.resume();
        reject(new BodyTooLargeError(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, bytes)));
    req.once('error', reject);
  });
}
