import { z } from 'zod';
import { isLocalDate } from '../../hours/zone.js';
import { deploymentInstant, hoursContext } from '../holidays/hours-context.js';
import { isRealDateTime } from '../../http/dates.js';
import { AreaCodeSchema, LevelNameSchema } from '../areas/area-code.js';
import { DEFAULT_RULE_TEXT, RULE_SYNTAX, parseCoverageRule } from './coverage-rule.js';
import { COVERAGE_LIMITS as L } from './coverage-limits.js';

const AreaCode = AreaCodeSchema;
// Any loaded level (district, subdistrict, parish…); the service says which levels are loaded.
// Left out, the routes fill in the deployment's own default from the data (areas/default-level.ts).
const Level = LevelNameSchema.optional().describe(
  'an area level as loaded (see /api/meta region.levels); default region.default_level, e.g. district',
);

export const RuleSchema = z
  .string()
  .default(DEFAULT_RULE_TEXT)
  .describe(RULE_SYNTAX)
  .transform((text, ctx) => {
    const rule = parseCoverageRule(text);
    if ('error' in rule) {
      ctx.addIssue({ code: 'custom', message: rule.error });
      return z.NEVER;
    }
    return rule;
  });

// A local wall-clock time is read in the deployment's TIME_ZONE (in a DST gap: the instant after).
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** `2026-02-17T22:00[:ss]` on the deployment's wall clock; Invalid Date when it is not one. */
function localTimeInstant(value: string): Date {
  const [date, time] = value.split('T') as [string, string];
  const [h, m, s = '0'] = time.split(':');
  if (!isLocalDate(date) || Number(h) > 23 || Number(m) > 59 || Number(s) > 59) return new Date(NaN);
  const instant = deploymentInstant(date, Number(h) * 60 + Number(m));
  return new Date(instant.getTime() + Number(s) * 1000);
}
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** An instant: ISO 8601 with an offset, or a local wall-clock time `YYYY-MM-DDTHH:mm`. */
export const InstantSchema = z
  .string()
  .describe('ISO instant (2026-02-17T22:00:00+08:00) or local time in the deployment zone (2026-02-17T22:00)')
  .transform((text, ctx) => {
    const value = text.trim();
    const date = LOCAL_TIME.test(value) ? localTimeInstant(value) : new Date(value);
    const wellFormed = LOCAL_TIME.test(value) || WITH_OFFSET.test(value);
    if (!wellFormed || !isRealDateTime(value) || Number.isNaN(date.getTime())) {
      ctx.addIssue({
        code: 'custom',
        message: `at "${value.slice(0, 40)}" is not a time; use 2026-02-17T22:00 (local time, ${hoursContext().timeZone}) or an ISO instant with offset`,
      });
      return z.NEVER;
    }
    if (date.getUTCFullYear() < 2000 || date.getUTCFullYear() > 2100) {
      ctx.addIssue({ code: 'custom', message: 'at must be between the years 2000 and 2100' });
      return z.NEVER;
    }
    return date;
  });

export const LocalDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a local date YYYY-MM-DD')
  .refine(isLocalDate, 'is not a real date')
  .refine((d) => d >= '2000-01-01' && d <= '2100-12-31', 'must be between the years 2000 and 2100');

const MAX_WHAT_IF_SITES = L.maxWhatIfSites;

/** `12,40,7`: station ids to leave out (what-if). */
export const StationIdListSchema = z
  .string()
  .describe(`up to ${L.maxWhatIfRemovals} comma-separated station ids to remove (what-if; planner or admin)`)
  .transform((text, ctx) => {
    const parts = text
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    if (parts.length > L.maxWhatIfRemovals || parts.some((p) => !/^\d{1,9}$/.test(p))) {
      ctx.addIssue({
        code: 'custom',
        message: `without must be up to ${L.maxWhatIfRemovals} station ids separated by commas`,
      });
      return z.NEVER;
    }
    return [...new Set(parts.map(Number))];
  });

/** `lng,lat;lng,lat`: hypothetical new sites (what-if), WGS-84. */
export const SiteListSchema = z
  .string()
  .describe(
    `up to ${MAX_WHAT_IF_SITES} new sites "lng,lat;lng,lat" (WGS-84) to add (what-if; planner or admin)`,
  )
  .transform((text, ctx) => {
    const sites = text
      .split(';')
      .map((p) => p.trim())
      .filter(Boolean);
    const parsed = sites.map((s) => s.split(',').map((n) => Number(n.trim())));
    const bad = parsed.findIndex(
      (p) =>
        p.length !== 2 ||
        !p.every(Number.isFinite) ||
        Math.abs(p[0]!) > 180 ||
        Math.abs(p[1]!) > 90,
    );
    if (bad >= 0 || sites.length > MAX_WHAT_IF_SITES) {
      ctx.addIssue({
        code: 'custom',
        message:
          bad >= 0
            ? `with site ${bad + 1} "${sites[bad]!.slice(0, 40)}" must be "lng,lat" with lng -180..180, lat -90..90`
            : `with accepts at most ${MAX_WHAT_IF_SITES} sites`,
      });
      return z.NEVER;
    }
    return parsed as Array<[number, number]>;
  });

const DemandIdSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(2_147_483_647)
  .optional()
  .describe(`demand layer id (planner or admin; a layer holds at most ${L.maxDemandPoints} points)`);

const SimplifySchema = (fallback: number, what: string) =>
  z.coerce
    .number()
    .min(0)
    .max(L.maxSimplifyM)
    .default(fallback)
    .describe(`metres of simplification (${what}), 0..${L.maxSimplifyM}`);

const ScopeFields = {
  level: Level,
  rule: RuleSchema,
  at: InstantSchema.optional(),
  /** Only areas of this district (a sub-district level filter), or this one area. */
  district: AreaCode.optional(),
  area: AreaCode.optional(),
  demand: DemandIdSchema,
  without: StationIdListSchema.optional(),
  with: SiteListSchema.optional(),
};

export const CoverageQuerySchema = z
  .object({
    ...ScopeFields,
    format: z.enum(['json', 'csv', 'geojson']).default('json'),
    simplify: SimplifySchema(30, 'geojson outlines only'),
  })
  .strict();

export const GapsQuerySchema = z
  .object({
    ...ScopeFields,
    simplify: SimplifySchema(0, 'gap outlines'),
  })
  .strict();

export const TimelineQuerySchema = z
  .object({
    date: LocalDateSchema.describe(
      `one local date YYYY-MM-DD (2000..2100): ${L.timelineHours} hourly figures, hours with the same open stations computed once`,
    ),
    rule: RuleSchema,
    level: Level,
    area: AreaCode.optional().describe('one area of any level; omit for the whole region'),
    demand: DemandIdSchema,
    // The what-if of the table, over the whole day: removed stations count at no hour, added
    // sites at every hour (a new station is assumed open around the clock).
    without: ScopeFields.without,
    with: ScopeFields.with,
  })
  .strict();

export const SuggestQuerySchema = z
  .object({
    k: z.coerce
      .number()
      .int()
      .min(1)
      .max(L.maxK)
      .default(5)
      .describe(`number of new sites, 1..${L.maxK}`),
    rule: RuleSchema,
    at: InstantSchema.optional(),
    candidates: z
      .enum(['grid', 'layer', 'network'])
      .default('grid')
      .describe(
        'grid cell centres, the demand layer’s points (thinned to max_candidates), or road nodes (network rules)',
      ),
    demand: DemandIdSchema,
    district: AreaCode.optional(),
    area: AreaCode.optional(),
    level: Level,
    cell: z.coerce
      .number()
      .min(L.minCellM)
      .max(5000)
      .optional()
      .describe(
        `grid cell size in metres, ${L.minCellM}..5000; at most ${L.maxGridCells} cells in scope and ${L.maxCoverPairs} candidate–demand pairs within the radius (a finer cell is refused naming the smallest that fits)`,
      ),
    max_candidates: z.coerce
      .number()
      .int()
      .min(5)
      .max(L.maxCandidates)
      .optional()
      .describe(
        `candidates=layer|network: at most this many candidate sites (thinned by a grid), 5..${L.maxCandidates}`,
      ),
  })
  .strict();

/** After the route filled in the default level (withDefaultLevel), every query names one. */
type WithLevel = { level: string };
export type CoverageQuery = z.infer<typeof CoverageQuerySchema> & WithLevel;
export type GapsQuery = z.infer<typeof GapsQuerySchema> & WithLevel;
export type TimelineQuery = z.infer<typeof TimelineQuerySchema> & WithLevel;
export type SuggestQuery = z.infer<typeof SuggestQuerySchema> & WithLevel;
