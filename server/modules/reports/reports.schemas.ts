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

export const REPORT_OUTCOMES = ['resolved', 'not_a_problem', 'needs_union'] as const;
export type ReportOutcome = (typeof REPORT_OUTCOMES)[number];

const ReplySchema = z.string().trim().max(500, 'reply must be at most 500 characters');

export const ResolveBodySchema = z
  .strictObject({
    outcome: z
      .enum(REPORT_OUTCOMES)
      .default('resolved')
      .describe('resolved or not_a_problem close the report; needs_union keeps it open for the union office'),
    reply: ReplySchema.optional().describe('shown to the reporter through their receipt code'),
    /** The former name of `reply`. */
    resolution: ReplySchema.optional(),
  })
  .optional();

/** Ten letters and digits a person can read out (no 0/O, 1/I/L), grouped 5-5. */
export const ReceiptCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-HJKMNP-TV-Z]{5}-?[0-9A-HJKMNP-TV-Z]{5}$/, 'a receipt code is ten letters and digits, e.g. 7KQ2M-XW4PD')
  .transform((code) => code.replace('-', '').replace(/^(.{5})/, '$1-'));

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
