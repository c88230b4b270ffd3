import { Router } from 'express';
import { z } from 'zod';
import type { ApiOperation } from '../../http/openapi.js';
import { parseRequest } from '../../http/validate.js';
import { validateOpeningHours } from '../../hours/index.js';
import { ClosureSchema, DateOverrideSchema } from './station-edits.schemas.js';
import { describeStationHours } from './station-hours.js';
import type { StationRecord } from './stations.repository.js';

export const HoursPreviewBodySchema = z.strictObject({
  opening_hours: z.string().max(1000, 'opening_hours must be at most 1000 characters'),
  hours_overrides: z.array(DateOverrideSchema).max(100).default([]),
  closures: z.array(ClosureSchema).max(100).default([]),
  /** The instant to preview at; default now. */
  at: z.iso.datetime({ offset: true }).optional(),
});

/**
 * The console's live check while a manager types hours: never a 4xx for unparsable hours (that is
 * the answer: ok=false with the library's message), plus "open now? next change" and the week.
 */
export function hoursPreviewRouter(): Router {
  const router = Router();
  router.post('/hours/validate', (req, res) => {
    const body = parseRequest(HoursPreviewBodySchema, req.body, 'body');
    const validation = validateOpeningHours(body.opening_hours);
    const at = body.at ? new Date(body.at) : new Date();
    const preview = validation.ok
      ? describeStationHours(
          {
            opening_hours: body.opening_hours,
            hours_overrides: body.hours_overrides,
            closures: body.closures,
          } as StationRecord,
          at,
        )
      : null;
    res.set('Cache-Control', 'no-store').json({
      ok: validation.ok,
      error: validation.ok ? null : validation.error,
      warnings: validation.ok ? validation.warnings : [],
      normalized: validation.ok ? validation.normalized : null,
      preview,
    });
  });
  return router;
}

export const HOURS_PREVIEW_OPERATIONS: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/hours/validate',
    summary: 'Check OSM opening_hours text: warnings, and a preview (open now? next change; the week)',
    tags: ['station editing'],
    body: HoursPreviewBodySchema,
  },
];
