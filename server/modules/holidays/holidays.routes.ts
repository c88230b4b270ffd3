import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { AppDatabase } from '../../db/client.js';
import { HttpError } from '../../http/errors.js';
import type { ApiOperation } from '../../http/openapi.js';
import { parseRequest } from '../../http/validate.js';
import { requireRole } from '../auth/auth.middleware.js';
import { detectFormat } from './holiday-files.js';
import type { HolidayCalendarStore } from './holiday-calendar.store.js';
import { importHolidays, listHolidays } from './holidays.service.js';
import { deploymentDate } from './hours-context.js';

const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

export const HolidayListQuerySchema = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('calendar year; default this year'),
});

export const HolidayImportQuerySchema = z.strictObject({
  format: z.enum(['ics', 'csv']).optional().describe('default: from the file name or its first line'),
  dry_run: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('check and preview only; change nothing'),
  source: z.string().trim().min(1).max(200).optional().describe('file name or note kept with the rows'),
});

const rawUpload: RequestHandler = (req, res, next) => {
  express.raw({ type: () => true, limit: MAX_UPLOAD_BYTES })(req, res, (error?: unknown) => {
    if ((error as { type?: string } | undefined)?.type === 'entity.too.large') {
      return next(new HttpError(413, 'A holiday file must be at most 2 MB'));
    }
    next(error);
  });
};

export function holidaysRouter(db: AppDatabase, store: HolidayCalendarStore): Router {
  const router = Router();
  router.get('/holidays', async (req, res) => {
    const q = parseRequest(HolidayListQuerySchema, req.query);
    const year = q.year ?? Number(deploymentDate(Date.now()).slice(0, 4));
    res.set('Cache-Control', 'no-cache').json(await listHolidays(db, year));
  });
  router.post('/holidays/import', requireRole('admin'), rawUpload, async (req, res) => {
    const q = parseRequest(HolidayImportQuerySchema, req.query);
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const text = bytes.toString('utf8');
    if (!text.trim()) throw new HttpError(400, 'Send the .ics or .csv file as the request body');
    const source = q.source ?? `upload by ${req.user!.username}`;
    const format = q.format ?? detectFormat(q.source, text);
    const report = await importHolidays(db, store, { text, format, source, dryRun: q.dry_run });
    if (report.problems.length > 0) {
      res.status(400).json({
        error: `The file has ${report.problems.length} problem(s); nothing was imported: ${report.problems.slice(0, 3).join('; ')}`,
        ...report,
      });
      return;
    }
    res.json(report);
  });
  return router;
}

export const HOLIDAYS_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/holidays',
    summary: "A year's public holidays and make-up workdays; provisional festivals past the published arrangement",
    tags: ['holidays'],
    query: HolidayListQuerySchema,
    responses: { '200': 'The year\'s days: date, kind (holiday|workday), name, provisional' },
  },
  {
    method: 'post',
    path: '/api/holidays/import',
    summary: 'Admin: import a year\'s arrangement from iCalendar (.ics) or CSV (date,kind,name); all or nothing',
    tags: ['holidays'],
    query: HolidayImportQuerySchema,
    upload: { contentTypes: ['text/calendar', 'text/csv'], description: 'the .ics or .csv file, at most 2 MB' },
    access: ['admin'],
    responses: {
      '200': 'Import report (dry_run: the preview)',
      '400': 'Empty or malformed file (the report lists the problems; nothing imported)',
      '413': 'File larger than 2 MB',
    },
  },
];
