/**
 * Read-your-writes within one instance. On PostgreSQL the station mirror learns of a commit by a
 * notification that arrives a moment after it; a client that edits and at once reads back could
 * see its own edit missing. So every write request through this instance marks the mirror stale
 * just before its response leaves: the client's next read checks the database first. Writes made
 * elsewhere (another instance, a script) are still seen through the notification, a moment later.
 */
import type { RequestHandler } from 'express';
import type { StationMirror } from './station-mirror.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function staleMirrorAfterWrites(mirror: StationMirror): RequestHandler {
  return (req, res, next) => {
    if (READS.has(req.method)) return next();
    const writeHead = res.writeHead;
    // writeHead runs once per response, after the handler committed and before any byte is sent.
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
      mirror.markStale();
      return writeHead.apply(this, args);
    } as typeof writeHead;
    next();
  };
}
