import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { classifyDatabaseError, faultMessage, faultRetryAfterSeconds, writeFaults } from '../db/database-errors.js';

/** A message for people in both of the pages' languages. */
export type Bilingual = { zh: string; en: string };
export type Language = keyof Bilingual;

/** The asker's language: `lang=`, else Accept-Language, else zh (the pages' first language). */
export function languageOf(req: Request): Language {
  const asked = req.query?.lang;
  if (asked === 'zh' || asked === 'en') return asked;
  return req.acceptsLanguages('zh', 'en') === 'en' ? 'en' : 'zh';
}

/** An error whose status and message are meant for the client. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
    /** When set, the answer says it in the asker's language (`message` is the English, for logs). */
    readonly messages?: Bilingual,
  ) {
    super(message);
  }
}

/**
 * An HttpError said in both languages, for code that has no request at hand (services, rate
 * limits): the error handler answers in the asker's language.
 */
export const bilingualError = (status: number, messages: Bilingual, headers: Record<string, string> = {}) =>
  new HttpError(status, messages.en, undefined, headers, messages);

export const notFound = (message: string) => new HttpError(404, message);
export const badRequest = (message: string, details?: unknown) =>
  new HttpError(400, message, details);

/** The database cannot be reached right now; clients should retry shortly. */
export class ServiceUnavailableError extends HttpError {
  constructor(message = 'The database is unavailable; retry shortly') {
    super(503, message, undefined, { 'Retry-After': '5' });
  }
}

/** No connection to the database right now (see db/database-errors.ts for what counts). */
export function isDatabaseUnavailable(error: unknown): boolean {
  return classifyDatabaseError(error) === 'unavailable';
}

export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export const unknownRoute: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, `No such endpoint: ${req.method} ${req.path}`));
};

/**
 * The one error handler: known errors keep their status, validation errors become 400 with the
 * issues, database outages 503 with Retry-After, and anything else a 500 with a log line but no
 * stack trace to the client.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (res.headersSent) return;
    let status = 500;
    let body: Record<string, unknown> = { error: 'Internal server error' };
    let headers: Record<string, string> = {};
    if (error instanceof HttpError) {
      status = error.status;
      body = {
        error: error.messages ? error.messages[languageOf(req)] : error.message,
        ...(error.details ? { details: error.details } : {}),
      };
      headers = error.headers;
    } else if (error instanceof ZodError) {
      status = 400;
      body = { error: describeZodError(error), details: error.issues };
    } else if (isBodyParserError(error)) {
      status = error.status;
      body = {
        error:
          error.type === 'entity.too.large'
            ? 'Request body is too large'
            : error.type === 'entity.parse.failed'
              ? 'Request body is not valid JSON'
              : error.message,
      };
    } else if (classifyDatabaseError(error)) {
      // Disk full, read-only, a transient file error, no connection: see db/database-errors.ts.
      const fault = classifyDatabaseError(error)!;
      writeFaults.record(fault);
      status = 503;
      body = { error: faultMessage(fault) };
      headers = { 'Retry-After': String(faultRetryAfterSeconds(fault)) };
    }
    if (status >= 500) {
      logger.error({ err: error, reqId: req.id }, 'request failed');
    }
    res.status(status).set(headers).json(body);
  };
}

function isBodyParserError(error: unknown): error is { status: number; type: string; message: string } {
  const e = error as { status?: unknown; type?: unknown };
  return typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.type === 'string';
}
