import { badRequest } from '../../http/errors.js';
import { Router } from 'express';
import { levelExists } from '../areas/areas.repository.js';
import { withDefaultLevel } from '../areas/default-level.js';
import type { AppDatabase } from '../../db/client.js';
import { z } from 'zod';
import type { ApiOperation } from '../../http/openapi.js';
import { IdResultSchema, JsonObjectSchema } from '../../http/openapi-schemas.js';
import { parseForPeople, parseRequest } from '../../http/validate.js';
import { requireRole, unauthenticated } from '../auth/auth.middleware.js';
import { StationIdParam } from '../stations/station-edits.schemas.js';
import { countReportsByArea, listReports } from './reports.repository.js';
import {
  NewReportBodySchema,
  ReportIdParam,
  ReportListQuerySchema,
  ReportSummaryQuerySchema,
  ReceiptCodeSchema,
  ResolveBodySchema,
  ConfirmationBodySchema,
  REPORT_CATEGORIES,
  REPORT_OUTCOMES,
} from './reports.schemas.js';
import {
  confirmStation,
  FRESHNESS_DAYS,
  reportByReceipt,
  resolveStationReport,
  stationFreshness,
  submitReport,
} from './reports.service.js';

const FreshnessSchema = z.object({
  station_id: z.number().int(),
  confirmations: z.number().int(),
  last_confirmed_at: z.string().nullable(),
  open_reports: z.number().int(),
  last_reported_at: z.string().nullable(),
  verified_at: z.string().nullable(),
  days: z.number().int(),
});

// Workers read these refusals in the sheet: said in their language (lang= or Accept-Language).
const STATION_WHAT = { zh: '驿站编号', en: 'Invalid station id' };
const REPORT_WHAT = { zh: '反馈内容', en: 'Invalid report' };
const RECEIPT_WHAT = { zh: '回执码', en: 'Invalid receipt code' };
const CONFIRMATION_WHAT = { zh: '确认内容', en: 'Invalid confirmation' };

/** Worker feedback: anyone reports, managers resolve, planners see counts per area. */
export function reportsRouter(db: AppDatabase): Router {
  const router = Router();

  router.post('/stations/:id/reports', async (req, res) => {
    const stationId = parseForPeople(StationIdParam, req.params.id, 'params', STATION_WHAT);
    const body = parseForPeople(NewReportBodySchema, req.body, 'body', REPORT_WHAT);
    const { id, receipt } = await submitReport(db, { stationId, ...body, clientIp: req.ip ?? 'unknown' });
    // The receipt is the reporter's only way back to the answer: never cached by anyone.
    res.status(201).set('Cache-Control', 'no-store').json({ id, receipt });
  });

  // The reporter reads the answer with their receipt code: no account, nothing about anyone else.
  router.get('/reports/receipt/:code', async (req, res) => {
    const code = parseForPeople(ReceiptCodeSchema, req.params.code, 'params', RECEIPT_WHAT);
    res.set('Cache-Control', 'no-store').json({ receipt: code, ...(await reportByReceipt(db, code)) });
  });

  // "信息准确" in one tap, no account; "信息有误" is a report (above).
  router.post('/stations/:id/confirmations', async (req, res) => {
    const stationId = parseForPeople(StationIdParam, req.params.id, 'params', STATION_WHAT);
    parseForPeople(ConfirmationBodySchema, req.body ?? {}, 'body', CONFIRMATION_WHAT);
    await confirmStation(db, { stationId, clientIp: req.ip ?? 'unknown' });
    res.status(201).json({ station_id: stationId, ...(await stationFreshness(db, stationId)) });
  });

  router.get('/stations/:id/freshness', async (req, res) => {
    const stationId = parseRequest(StationIdParam, req.params.id, 'params');
    // Asked again on every visit: a worker's own confirmation or report must show at once.
    res.set('Cache-Control', 'no-cache').json({ station_id: stationId, ...(await stationFreshness(db, stationId)) });
  });

  router.get('/reports/summary', requireRole('planner'), async (req, res) => {
    const q = await withDefaultLevel(db, parseRequest(ReportSummaryQuerySchema, req.query));
    if (!(await levelExists(db, q.level))) {
      throw badRequest(`level "${q.level}" is not loaded (see /api/meta region.levels)`);
    }
    res.set('Cache-Control', 'no-store').json({
      level: q.level,
      status: q.status,
      areas: await countReportsByArea(db, q.level, q.status),
    });
  });

  router.get('/reports', requireRole('manager'), async (req, res) => {
    const q = parseRequest(ReportListQuerySchema, req.query);
    const user = req.user!;
    const reports = await listReports(db, {
      status: q.status,
      stationIds: user.role === 'admin' ? null : user.stationIds,
      stationId: q.station,
      limit: q.limit,
    });
    res.set('Cache-Control', 'no-store').json({ reports });
  });

  router.post('/reports/:id/resolve', requireRole('manager'), async (req, res) => {
    if (!req.user) throw unauthenticated();
    const id = parseRequest(ReportIdParam, req.params.id, 'params');
    const body = parseRequest(ResolveBodySchema, req.body, 'body');
    const outcome = body?.outcome ?? 'resolved';
    const reply = body?.reply || body?.resolution || null;
    await resolveStationReport(db, req.user, id, { outcome, reply });
    res.json({ id, status: outcome === 'needs_union' ? 'open' : 'resolved', outcome });
  });

  return router;
}

const tags = ['feedback'];
export const REPORTS_OPERATIONS: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/stations/{id}/reports',
    summary: 'Report a problem at a station (no sign-in; rate-limited per client)',
    tags,
    params: z.object({ id: StationIdParam }),
    body: NewReportBodySchema,
    responses: {
      '201': {
        description: 'Received, with a receipt code to read the answer later (GET /api/reports/receipt/{code})',
        schema: z.object({ id: z.number().int(), receipt: z.string() }),
      },
      '404': 'No such station',
      '429': 'Too many reports',
    },
  },
  {
    method: 'get',
    path: '/api/reports',
    summary: 'Report queue (managers: their stations; admins: all)',
    tags,
    query: ReportListQuerySchema,
    access: ['manager'],
    responses: { '200': { description: 'Reports', schema: z.object({ reports: z.array(JsonObjectSchema) }) } },
  },
  {
    method: 'post',
    path: '/api/reports/{id}/resolve',
    summary:
      'Answer a report: resolved or not_a_problem close it; needs_union keeps it open for the union office. The reply is shown to the reporter',
    tags,
    params: z.object({ id: ReportIdParam }),
    body: ResolveBodySchema,
    access: ['manager'],
    responses: {
      '200': {
        description: 'Answered',
        schema: z.object({ id: z.number().int(), status: z.enum(['open', 'resolved']), outcome: z.enum(REPORT_OUTCOMES) }),
      },
      '404': 'No such report',
      '409': 'Already closed',
    },
  },
  {
    method: 'get',
    path: '/api/reports/receipt/{code}',
    summary: 'The reporter reads their report and its answer with the receipt code they were given (no sign-in)',
    tags,
    params: z.object({ code: ReceiptCodeSchema }),
    responses: {
      '200': {
        description: 'The report and the answer so far',
        schema: z.object({
          receipt: z.string(),
          station_id: z.number().int(),
          station_name: z.string(),
          category: z.enum(REPORT_CATEGORIES),
          created_at: z.string(),
          status: z.enum(['open', 'resolved']),
          outcome: z.enum(REPORT_OUTCOMES).nullable(),
          reply: z.string().nullable(),
          replied_at: z.string().nullable(),
        }),
      },
      '400': 'Not a receipt code',
      '404': 'No report has this code',
    },
  },
  {
    method: 'get',
    path: '/api/reports/summary',
    summary: 'Report counts per district or sub-district (planners)',
    tags,
    query: ReportSummaryQuerySchema,
    access: ['planner'],
    responses: {
      '200': {
        description: 'Counts per area',
        schema: z.object({ level: z.string(), status: z.string(), areas: z.array(JsonObjectSchema) }),
      },
    },
  },
  {
    method: 'post',
    path: '/api/stations/{id}/confirmations',
    summary: `A worker says the station is as listed ("信息准确"): no sign-in; once a day per client and station. Answers with the station's freshness (confirmations in the last ${FRESHNESS_DAYS} days, open reports)`,
    tags,
    params: z.object({ id: StationIdParam }),
    body: ConfirmationBodySchema,
    responses: {
      '201': { description: 'Counted; the station\'s freshness now', schema: FreshnessSchema },
      '404': 'No such station',
      '429': 'Already confirmed today, or too many',
    },
  },
  {
    method: 'get',
    path: '/api/stations/{id}/freshness',
    summary: `How current a station's information is: workers' confirmations in the last ${FRESHNESS_DAYS} days and the latest, open reports and the latest, the manager's last verification`,
    tags,
    params: z.object({ id: StationIdParam }),
    responses: { '200': { description: 'Freshness', schema: FreshnessSchema }, '404': 'No such station' },
  },
];
