/**
 * Admins load a level of areas through the API, so a running service never has to stop for
 * `npm run import:boundaries` (the CLI stays for pbf extracts and scripted set-ups). The file is
 * parsed and checked in the CPU pool, then one level is replaced in one transaction.
 */
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { AppDatabase } from '../../db/client.js';
import { HttpError } from '../../http/errors.js';
import type { ApiOperation } from '../../http/openapi.js';
import { parseRequest } from '../../http/validate.js';
import { runCpuTask } from '../../work/cpu-pool.js';
import { WorkLimiter } from '../../work/work-limiter.js';
import { LevelNameSchema } from '../areas/area-code.js';
import { AreaDataError } from '../areas/areas.repository.js';
import { requireRole } from '../auth/auth.middleware.js';
import { replaceBoundaries } from './boundaries.repository.js';

/** Beijing's 343 sub-districts are 2.8 MB; a large city's finest level stays well under this. */
export const MAX_BOUNDARY_UPLOAD_BYTES = 20 * 1024 * 1024;

const Field = z.string().trim().min(1).max(100).optional();

export const BoundaryImportQuerySchema = z.strictObject({
  level: LevelNameSchema.optional().describe(
    'the level these areas make (district, parish…); a new level goes below the deepest loaded. Default: Beijing’s files (district_code on the features = subdistrict, else district)',
  ),
  code_field: Field.describe('feature property holding the area code; default code'),
  name_field: Field.describe('feature property holding the name; default name'),
  name_en_field: Field.describe('feature property holding the English name; default name_en'),
  parent_field: Field.describe(
    'feature property holding the parent area’s code; default parent_code, else the area of the level above containing it',
  ),
  label: z.string().trim().min(1).max(50).optional().describe('the level’s name for people, e.g. 区'),
  label_en: z.string().trim().min(1).max(50).optional().describe('e.g. District'),
  depth: z.coerce.number().int().min(0).max(20).optional().describe('0 = top; default below the deepest'),
  dry_run: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('check the file only; change nothing'),
  source: z.string().trim().min(1).max(200).optional().describe('file name or note kept with the areas'),
});

const rawUpload: RequestHandler = (req, res, next) => {
  express.raw({ type: () => true, limit: MAX_BOUNDARY_UPLOAD_BYTES })(req, res, (error?: unknown) => {
    if ((error as { type?: string } | undefined)?.type === 'entity.too.large') {
      return next(
        new HttpError(413, `A boundary file must be at most ${MAX_BOUNDARY_UPLOAD_BYTES / 1024 / 1024} MB; split it by level`),
      );
    }
    next(error);
  });
};

/** The uploaded text, also when the global JSON parser already read a small application/json body. */
function bodyText(body: unknown): string {
  if (Buffer.isBuffer(body)) return body.toString('utf8').replace(/^\uFEFF/, '');
  if (body !== null && typeof body === 'object') return JSON.stringify(body);
  return '';
}

/** One import at a time: it replaces a whole level and re-derives every station's areas. */
const imports = new WorkLimiter({ concurrency: 1, queue: 8, what: 'boundary import', retryAfterS: 10 });

/** PostGIS refusing a geometry (SQLSTATE class 22 data exception, XX000 from GEOS) is the file's fault. */
function isGeometryRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code === 'XX000');
}

export function boundariesRouter(db: AppDatabase, onAreasChanged: () => void): Router {
  const router = Router();
  router.post('/areas/import', requireRole('admin'), rawUpload, async (req, res) => {
    const q = parseRequest(BoundaryImportQuerySchema, req.query);
    const text = bodyText(req.body);
    if (!text.trim()) throw new HttpError(400, 'Send the GeoJSON FeatureCollection as the request body');
    const result = await imports.run(async () => {
      const parsed = await runCpuTask('readBoundaryUpload', {
        text,
        fields: {
          codeField: q.code_field,
          nameField: q.name_field,
          nameEnField: q.name_en_field,
          parentField: q.parent_field,
        },
      });
      if ('refused' in parsed) throw new HttpError(400, `Nothing was imported: ${parsed.refused}`);
      const level = {
        name: q.level ?? parsed.suggestedLevel,
        ...(q.depth !== undefined ? { depth: q.depth } : {}),
        ...(q.label !== undefined ? { label: q.label } : {}),
        ...(q.label_en !== undefined ? { label_en: q.label_en } : {}),
      };
      const summary = { level: level.name, areas: parsed.records.length, codes: parsed.records.slice(0, 20).map((r) => r.code) };
      if (q.dry_run) return { dry_run: true, ...summary };
      const source = q.source ?? `upload by ${req.user!.username}`;
      try {
        const loaded = await replaceBoundaries(db, level, parsed.records, source);
        return { dry_run: false, ...summary, loaded: loaded.loaded, without_parent: loaded.withoutParent };
      } catch (error) {
        if (error instanceof AreaDataError) throw new HttpError(400, `Nothing was imported: ${error.message}`);
        if (isGeometryRefusal(error)) {
          throw new HttpError(400, `Nothing was imported: a geometry could not be read (${(error as Error).message.slice(0, 200)})`);
        }
        throw error;
      }
    });
    if (!result.dry_run) onAreasChanged();
    res.set('Cache-Control', 'no-store').json(result);
  });
  return router;
}

export const BOUNDARIES_OPERATIONS: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/areas/import',
    summary: `Admin: replace one level of areas from a GeoJSON FeatureCollection (WGS-84) sent as the raw body (≤ ${MAX_BOUNDARY_UPLOAD_BYTES / 1024 / 1024} MB, e.g. application/geo+json); all or nothing; stations' areas re-derived`,
    tags: ['areas'],
    query: BoundaryImportQuerySchema,
    upload: {
      contentTypes: ['application/geo+json', 'application/json'],
      description: 'a GeoJSON FeatureCollection of the level\'s areas (WGS-84)',
    },
    access: ['admin'],
    responses: {
      '200': '{ level, areas, loaded, without_parent } (dry_run: what would be loaded)',
      '400': 'Not a boundary file, a feature missing its code/name, a parent not loaded, a code used by another level',
      '401': 'Not signed in',
      '403': 'Not an admin',
      '413': 'File too large',
      '503': 'Another import is running: retry after Retry-After seconds',
    },
  },
];
