/**
 * helmet's headers, worked out once. helmet builds each header again on every request (the CSP
 * string too, in case a directive is a per-request function); ours are all constant, so they are
 * captured from helmet itself at start-up and set as they are, with the same names and values.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

export function securityHeaders(options: HelmetOptions): RequestHandler {
  const headers = new Map<string, string>();
  const removed = new Set<string>();
  const capture = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      if (typeof value !== 'string') throw new Error(`helmet set ${name} to a non-string`);
      headers.set(name, value);
      removed.delete(name);
    },
    removeHeader: (name: string) => {
      headers.delete(name);
      removed.add(name);
    },
  };
  let finished = false;
  helmet(options)(
    {} as IncomingMessage,
    capture as unknown as ServerResponse,
    (error?: unknown) => {
      if (error) throw error;
      finished = true;
    },
  );
  // helmet answers synchronously; if a future version did not, capturing would be unsound.
  if (!finished) throw new Error('helmet did not finish synchronously: cannot precompute headers');
  const entries = [...headers];
  const removals = [...removed];
  return (_req, res, next) => {
    for (const [name, value] of entries) res.setHeader(name, value);
    for (const name of removals) res.removeHeader(name);
    next();
  };
}
