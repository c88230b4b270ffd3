import { Router } from 'express';
import { z } from 'zod';
import { MAX_HOURS_TEXT_PER_STATION } from '../../hours/index.js';
import { badRequest } from '../../http/errors.js';
import type { ApiOperation } from '../../http/openapi.js';
import { parseRequest } from '../../http/validate.js';
import { runCpuTask } from '../../work/cpu-pool.js';
import { hoursContextData } from '../holidays/hours-context.js';
import { WorkLimiter } from '../../work/work-limiter.js';
import {
  checkHoursBudget,
  ClosureSchema,
  DateOverrideTextSchema,
  OpeningHoursTextSchema,
} from './station-edits.schemas.js';

export const HoursPreviewBodySchema = z
  .strictObject({
    opening_hours: OpeningHoursTextSchema,
    hours_overrides: z.array(DateOverrideTextSchema).max(100).default([]),
    closures: z.array(ClosureSchema).max(100).default([]),
    /** The instant to preview at; default now. */
    at: z.iso.datetime({ offset: true }).optional(),
    /** Where the station is (WGS-84), for sunrise/sunset; default the deployment's centre. */
    lng: z.number().min(-180).max(180).optional(),
    lat: z.number().min(-90).max(90).optional(),
  })
  .describe(
    `opening_hours and each override's at most 1000 characters, ${MAX_HOURS_TEXT_PER_STATION} in total; parsed in a worker thread`,
  );

/** Parsing is CPU work: a few at a time in the CPU pool, a short queue, then 503 + Retry-After. */
const hoursChecks = new WorkLimiter({ concurrency: 2, queue: 8, what: 'hours check', retryAfterS: 2 });

/**
 * The console's live check while a manager types hours: never a 4xx for unparsable hours (that is
 * the answer: ok=false with the library's message), plus "open now? next change" and the week.
 */
export function hoursPreviewRouter(): Router {
  const router = Router();
  router.post('/hours/validate', async (req, res) => {
    checkHoursBudget(req.body);
    const body = parseRequest(HoursPreviewBodySchema, req.body, 'body');
    const at = body.at ? Date.parse(body.at) : Date.now();
    const result = await hoursChecks.run(() =>
      runCpuTask('hoursPreview', {
        opening_hours: body.opening_hours,
        hours_overrides: body.hours_overrides,
        closures: body.closures,
        at,
        ...(body.lng !== undefined && body.lat !== undefined ? { lng: body.lng, lat: body.lat } : {}),
        context: hoursContextData(),
      }),
    );
    if (result.overrideErrors.length) {
      const { index, error } = result.overrideErrors[0]!;
      throw badRequest(
        `hours_overrides.${index}.opening_hours: opening hours not understood: ${error}`,
      );
    }
    res.set('Cache-Control', 'no-store').json(result.body);
  });
  return router;
}

export const HOURS_PREVIEW_OPERATIONS: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/hours/validate',
    summary:
      'Check OSM opening_hours text: warnings, and a preview (open now? next change; the week). Busy → 503 with Retry-After',
    tags: ['station editing'],
    body: HoursPreviewBodySchema,
    offline: true,
    responses: {
      '200': 'ok, warnings and the preview (open now, next change, the week)',
      '503': 'Busy: retry after Retry-After seconds',
    },
  },
];
