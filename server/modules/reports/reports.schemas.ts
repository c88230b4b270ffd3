import { z } from 'zod';
import { LevelNameSchema } from '../areas/area-code.js';

export const REPORT_CATEGORIES = [
  'closed_when_listed_open',
  'amenity_broken',
  'no_water',
  'dirty',
  'other',
] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

export const NewReportBodySchema = z.strictObject({
  category: z.enum(REPORT_CATEGORIES),
  note: z.string().max(500, 'note must be at most 500 characters').optional(),
});

export const ReportListQuerySchema = z.strictObject({
  status: z.enum(['open', 'resolved', 'all']).default('open'),
  station: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const ResolveBodySchema = z
  .strictObject({ resolution: z.string().max(500, 'resolution must be at most 500 characters').optional() })
  .optional();

export const ReportSummaryQuerySchema = z.strictObject({
  level: LevelNameSchema.optional().describe('default: region.default_level from /api/meta'),
  status: z.enum(['open', 'resolved', 'all']).default('all'),
});

export const ReportIdParam = z.coerce
  .number({ message: 'report id must be a number' })
  .int()
  .positive()
  .max(2_147_483_647);

/** Nothing to send: the tap itself is the message (an empty object or no body). */
export const ConfirmationBodySchema = z.strictObject({});
