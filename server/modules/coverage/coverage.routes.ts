import { Router, type Request } from 'express';
import type { AppDatabase } from '../../db/client.js';
import { passwordChangeFirst } from '../auth/auth.middleware.js';
import { HttpError } from '../../http/errors.js';
import type { ApiOperation } from '../../http/openapi.js';
import { FeatureCollectionSchema } from '../../http/openapi-schemas.js';
import { parseRequest } from '../../http/validate.js';
import type { Role } from '../auth/roles.js';
import { withDefaultLevel } from '../areas/default-level.js';
import { CoverageAnswers, type CoverageWorkOptions } from './coverage-answers.js';
import { coverageCsv, coverageGeoJson } from './coverage-export.js';
import type { RoadNetworkSource } from './coverage.service.js';
import {
  CoverageQuerySchema,
  GapsQuerySchema,
  SuggestQuerySchema,
  TimelineQuerySchema,
} from './coverage.schemas.js';

const GEOJSON = 'application/geo+json';

/** File name stamp: the rule and the local time, so downloaded files say what they hold. */
function exportName(report: { rule: { rule: string }; instant: { local: string } }, ext: string) {
  const stamp = report.instant.local.replace(/[^0-9]/g, '').slice(0, 12);
  return `coverage_${report.rule.rule.replace(/[^a-z0-9]/gi, '')}_${stamp}.${ext}`;
}

/**
 * Why a request needs a planner session: what-if scenarios and demand layers are planning work
 * (and layers may hold private counts); reading coverage, gaps and the curve stays public.
 */
function plannerOnlyPart(q: { with?: unknown[]; without?: unknown[]; demand?: number }) {
  if (q.with?.length || q.without?.length) return 'what-if (with= / without=)';
  if (q.demand !== undefined) return 'demand layers (demand=)';
  return null;
}

function requirePlannerFor(req: Request, part: string | null) {
  if (!part) return;
  if (!req.user) {
    throw new HttpError(
      401,
      `Sign in as a planner or admin to use ${part}; coverage, gaps and the 24-hour curve without it are public`,
    );
  }
  if (req.user.mustChangePassword) throw passwordChangeFirst();
  if (!PLANNER_ROLES.includes(req.user.role)) {
    throw new HttpError(403, `Your role (${req.user.role}) may not use ${part}; it needs planner or admin`);
  }
}

const PLANNER_ROLES: Role[] = ['planner', 'admin'];

/**
 * Planner analysis. Reading coverage, gaps and the 24-hour curve is public, like the station map it
 * is computed from; suggestions, what-if and demand layers need a planner or admin session. Every
 * answer comes through the shared cache (X-Cache: hit|miss); a computation past its kind's limit
 * is a 503 with Retry-After.
 */
export function coverageRouter(
  db: AppDatabase,
  roadNetworks?: RoadNetworkSource,
  work: CoverageWorkOptions = { concurrency: 2, queue: 6 },
): Router {
  const router = Router();
  const answers = new CoverageAnswers(db, roadNetworks, work);

  router.get('/coverage', async (req, res) => {
    const asked = parseRequest(CoverageQuerySchema, req.query);
    requirePlannerFor(req, plannerOnlyPart(asked));
    const q = await withDefaultLevel(db, asked);
    const { body: report, cache } = await answers.coverage(q, new Date());
    res.set('X-Cache', cache);
    if (q.format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment(exportName(report, 'csv'))
        .send(coverageCsv(report));
      return;
    }
    if (q.format === 'geojson') {
      res.type(GEOJSON).json(coverageGeoJson(report));
      return;
    }
    res.json(report);
  });

  router.get('/coverage/gaps', async (req, res) => {
    const asked = parseRequest(GapsQuerySchema, req.query);
    requirePlannerFor(req, plannerOnlyPart(asked));
    const q = await withDefaultLevel(db, asked);
    const { body, cache } = await answers.gaps(q, new Date());
    res.set('X-Cache', cache).type(GEOJSON).json(body);
  });

  router.get('/coverage/timeline', async (req, res) => {
    const asked = parseRequest(TimelineQuerySchema, req.query);
    requirePlannerFor(req, plannerOnlyPart(asked));
    const q = await withDefaultLevel(db, asked);
    const { body, cache } = await answers.timeline(q);
    res.set('X-Cache', cache).json(body);
  });

  router.get('/coverage/suggest', async (req, res) => {
    const asked = parseRequest(SuggestQuerySchema, req.query);
    requirePlannerFor(req, 'site suggestions');
    const q = await withDefaultLevel(db, asked);
    const { body, cache } = await answers.suggest(q, new Date());
    res.set('X-Cache', cache).json(body);
  });

  return router;
}

export const COVERAGE_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/coverage',
    summary:
      'Coverage per area of one level (level=; default region.default_level of /api/meta) at an instant (only open stations count): area, covered km² and %, stations, largest gap, weighted demand share; what-if with without=/with=; format=csv|geojson exports',
    description:
      'With a population layer (demand=<id> of kind population) demand_total / demand_covered are people: the cells of the slot for the instant (day type from the holiday calendar, hour), counted when their centre lies within the rule’s reach of a station open then; demand.population names the slot used, whether it matched exactly, and the citation. data_version names what the figures were computed from (station change-log version, areas version, demand layer version, road network, calendar), for reports to cite.',
    tags: ['planning'],
    query: CoverageQuerySchema,
    access: 'optional',
    responses: {
      '200': {
        description: 'Coverage table (X-Cache: hit|miss); format=csv or geojson for files',
        contentType: ['application/json', 'text/csv', GEOJSON],
      },
      '400': 'Invalid query',
      '401': 'what-if or demand= without a session',
      '403': 'what-if or demand= needs a planner or admin',
      '404': 'Unknown area or layer',
      '422': 'Rule not available',
      '503': 'Busy: retry after Retry-After seconds',
    },
  },
  {
    method: 'get',
    path: '/api/coverage/gaps',
    summary: 'Uncovered parts of each area (GeoJSON, clipped to the areas, holes kept)',
    description:
      'With a population layer each feature also has people (in the area) and people_uncovered (outside reach at the instant).',
    tags: ['planning'],
    query: GapsQuerySchema,
    access: 'optional',
    responses: {
      '200': { description: 'FeatureCollection (X-Cache: hit|miss)', contentType: GEOJSON, schema: FeatureCollectionSchema },
      '400': 'Invalid query',
      '401': 'what-if or demand= without a session',
      '403': 'what-if or demand= needs a planner or admin',
      '503': 'Busy: retry after Retry-After seconds',
    },
  },
  {
    method: 'get',
    path: '/api/coverage/timeline',
    summary: 'Covered % for each of the 24 hours of a local date, for the city or one area',
    description:
      'With a population layer, hour h weighs the people present at h (demand_total, demand_covered, demand_covered_pct, population_slot) against the stations open at h. ' +
      'What-if (planners): without= removes stations at every hour, with= adds sites open at every hour (what_if says so).',
    tags: ['planning'],
    query: TimelineQuerySchema,
    access: 'optional',
    responses: {
      '200': '24 hourly figures (X-Cache: hit|miss)',
      '400': 'Invalid query',
      '401': 'demand= or what-if without a session',
      '403': 'demand= or what-if needs a planner or admin',
      '404': 'Stations not found (without=)',
      '503': 'Busy: retry after Retry-After seconds',
    },
  },
  {
    method: 'get',
    path: '/api/coverage/suggest',
    summary:
      'Planner or admin: k new sites by greedy maximal covering (existing open stations fixed), each with its marginal gain; radius rules or travel time on the road network (walk|bike|drive:<min>, candidates=grid|layer|network)',
    tags: ['planning'],
    query: SuggestQuerySchema,
    access: ['planner'],
    responses: {
      '200': 'Suggested sites (X-Cache: hit|miss)',
      '400': 'Invalid query',
      '401': 'Sign in as a planner or admin',
      '403': 'Needs a planner or admin',
      '404': 'Unknown area or layer',
      '422': 'Network rule without a loaded road network, or more work than the limits allow',
      '503': 'Busy: retry after Retry-After seconds',
    },
  },
];
