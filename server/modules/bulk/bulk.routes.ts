import express, { Router, type Request, type RequestHandler } from 'express';
import type { AppDatabase } from '../../db/client.js';
import { HttpError, badRequest } from '../../http/errors.js';
import type { ApiOperation } from '../../http/openapi.js';
import { parseRequest } from '../../http/validate.js';
import { requireRole } from '../auth/auth.middleware.js';
import { exportStations } from './bulk-export.js';
import {
  ExportQuerySchema,
  ImportQuerySchema,
  MAX_UPLOAD_BYTES,
  formatFromContentType,
} from './bulk.schemas.js';
import type { RegionOptions } from '../areas/region.js';
import { importStations } from './bulk.service.js';

const MB = MAX_UPLOAD_BYTES / 1024 / 1024;

/**
 * The file is the raw request body (any content type but application/json, which the global
 * JSON parser caps at 1 MB). Oversized bodies get a 413 naming the limit.
 */
const rawUpload: RequestHandler = (req, res, next) => {
  express.raw({ type: () => true, limit: MAX_UPLOAD_BYTES })(req, res, (error?: unknown) => {
    const e = error as { type?: string } | undefined;
    if (e?.type === 'entity.too.large') {
      return next(
        new HttpError(413, `The file is larger than ${MB} MB; split it into smaller files`),
      );
    }
    next(error);
  });
};

/** The format the query or the content type names, before the body is read. */
function declaredFormat(req: Request) {
  const asked = typeof req.query.format === 'string' ? req.query.format : undefined;
  return asked ?? formatFromContentType(req.get('content-type'));
}

/**
 * A CSV body is not buffered: the import reads it as it streams in, enforcing the byte and row
 * caps as it goes. Other formats are read whole first (xlsx needs its zip directory at the end).
 */
const uploadUnlessCsv: RequestHandler = (req, res, next) => {
  if (declaredFormat(req) !== 'csv') return rawUpload(req, res, next);
  const declared = Number(req.get('content-length'));
  // Refused unread: Node discards an unread body after the answer, as for the other formats.
  if (declared > MAX_UPLOAD_BYTES) {
    return next(new HttpError(413, `The file is larger than ${MB} MB; split it into smaller files`));
  }
  next();
};

/** How much of a refused CSV body is read and dropped so the client sees the answer, not a reset. */
const DISCARD_LIMIT = { bytes: 32 * 1024 * 1024, ms: 10_000 };

/**
 * After an import stopped reading early: the rest of the body is read and dropped (kept nowhere)
 * so the connection stays usable and the client is not reset before it reads the refusal; a
 * client that keeps sending past the limit is disconnected.
 */
function discardRestOf(req: Request): void {
  if (req.readableEnded || req.destroyed) return;
  let dropped = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, DISCARD_LIMIT.ms);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DISCARD_LIMIT.bytes) cut();
  });
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  req.resume();
}

/**
 * The CSV body as it streams in: paused, never destroyed, when the import stops early, so the
 * refusal still reaches the client (see discardRestOf).
 */
function bodySource(req: Request): Buffer | AsyncIterable<Uint8Array> {
  // The global JSON parser may already have read a small application/json body.
  if (req.body !== undefined) return bodyBytes(req.body);
  return req.iterator({ destroyOnReturn: false });
}

/** The uploaded bytes, also when the global JSON parser already read a small application/json body. */
function bodyBytes(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (body !== undefined && body !== null && typeof body === 'object') {
    return Buffer.from(JSON.stringify(body), 'utf8');
  }
  return Buffer.alloc(0);
}

export function bulkRouter(db: AppDatabase, region: RegionOptions): Router {
  const router = Router();

  router.post('/stations/import', requireRole('admin'), uploadUnlessCsv, async (req, res) => {
    const q = parseRequest(ImportQuerySchema, req.query);
    const format = q.format ?? formatFromContentType(req.get('content-type'));
    if (!format) {
      throw badRequest('Say the file format: ?format=csv, geojson or xlsx');
    }
    const report = await importStations(db, {
      body: format === 'csv' ? bodySource(req) : bodyBytes(req.body),
      format,
      crs: q.crs,
      dryRun: q.dry_run,
      mapping: q.mapping,
      onConflict: q.on_conflict,
      user: { id: req.user!.id, username: req.user!.username },
      region,
    }).catch((error: unknown) => {
      // A CSV refused part-way (a cap, broken quoting): drop the rest before answering.
      if (format === 'csv') discardRestOf(req);
      throw error;
    });
    if (!report.dry_run && !report.committed) {
      const { errors, conflicts, rows } = report.summary;
      const error = errors
        ? `${errors} of ${rows} rows have problems; nothing was imported. Fix them (see rows) and upload again.`
        : `${conflicts} of ${rows} rows would undo changes made since the file was exported (see rows); nothing was imported. Export again, or pass on_conflict=overwrite to apply the file's values anyway.`;
      res.status(400).json({ error, ...report });
      return;
    }
    res.json(report);
  });

  router.get('/stations/export', requireRole('admin', 'planner'), async (req, res) => {
    const q = parseRequest(ExportQuerySchema, req.query);
    const file = await exportStations(db, {
      format: q.format,
      crs: q.crs,
      districtCode: q.district,
      areaCode: q.area,
      includeSamples: q.samples === 'include',
    });
    res
      .status(200)
      .type(file.contentType)
      .set('Content-Disposition', `attachment; filename="${file.filename}"`)
      .set('X-Station-Count', String(file.count))
      .set('Cache-Control', 'no-store')
      .send(file.body);
  });

  return router;
}

export const BULK_OPERATIONS: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/stations/import',
    summary: `Import stations from CSV, GeoJSON or xlsx sent as the raw body (≤ ${MB} MB; admin). Upserts by external id in one transaction; dry_run=true reports per-row problems and writes nothing; any row in error → 400 with the same report and nothing written. A row carrying an export's version (版本) older than the station's, changing a field changed since, is a conflict (400, nothing written) unless on_conflict=overwrite.`,
    tags: ['bulk'],
    query: ImportQuerySchema,
    upload: {
      contentTypes: [
        'text/csv',
        'application/geo+json',
        'application/json',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ],
      description: `the file itself, at most ${MB} MB`,
    },
    access: ['admin'],
    responses: {
      '200': 'Import report { rows: [{ row, external_id, action, problems, warnings }], summary }',
      '400':
        'Malformed file, bad mapping, or rows with problems (report included; nothing written)',
      '401': 'Not signed in',
      '403': 'Not an admin',
      '413': 'File too large',
    },
  },
  {
    method: 'get',
    path: '/api/stations/export',
    summary:
      'Export stations as CSV (UTF-8 with BOM), GeoJSON or xlsx, in the columns an import reads (admin, planner)',
    tags: ['bulk'],
    query: ExportQuerySchema,
    access: ['planner'],
    responses: {
      '200': {
        description: 'The file (Content-Disposition: attachment)',
        contentType: [
          'text/csv',
          'application/geo+json',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        ],
        headers: { 'X-Station-Count': 'stations in the file', 'Content-Disposition': 'attachment; filename=…' },
      },
      '401': 'Not signed in',
      '403': 'Manager',
    },
  },
];
