import { Router } from 'express';
import type { AppDatabase } from '../../db/client.js';
import type { RoadNetworkSource } from './coverage.service.js';
import type { ApiOperation } from '../../http/openapi.js';
import { parseRequest } from '../../http/validate.js';
import { coverageCsv, coverageGeoJson } from './coverage-export.js';
import { coverageTimeline } from './coverage-timeline.js';
import {
  CoverageQuerySchema,
  GapsQuerySchema,
  SuggestQuerySchema,
  TimelineQuerySchema,
} from './coverage.schemas.js';
import { coverageReport, gapsCollection } from './coverage.service.js';
import { suggestSites } from './suggest.service.js';

const GEOJSON = 'application/geo+json';

/** File name stamp: the rule and the Beijing time, so downloaded files say what they hold. */
function exportName(report: { rule: { rule: string }; instant: { local: string } }, ext: string) {
  const stamp = report.instant.local.replace(/[^0-9]/g, '').slice(0, 12);
  return `coverage_${report.rule.rule.replace(/[^a-z0-9]/gi, '')}_${stamp}.${ext}`;
}

/** Planner analysis: read-only and public, like the station map it is computed from. */
export function coverageRouter(db: AppDatabase, roadNetworks?: RoadNetworkSource): Router {
  const router = Router();

  router.get('/coverage', async (req, res) => {
    const q = parseRequest(CoverageQuerySchema, req.query);
    const report = await coverageReport(db, q, new Date(), roadNetworks);
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
    const q = parseRequest(GapsQuerySchema, req.query);
    res.type(GEOJSON).json(await gapsCollection(db, q, new Date(), roadNetworks));
  });

  router.get('/coverage/timeline', async (req, res) => {
    const q = parseRequest(TimelineQuerySchema, req.query);
    res.json(await coverageTimeline(db, q, roadNetworks));
  });

  router.get('/coverage/suggest', async (req, res) => {
    const q = parseRequest(SuggestQuerySchema, req.query);
    res.json(await suggestSites(db, q, new Date(), roadNetworks));
  });

  return router;
}

export const COVERAGE_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/coverage',
    summary:
      'Coverage per district / sub-district at an instant (only open stations count): area, covered km² and %, stations, largest gap, weighted demand share; what-if with without=/with=; format=csv|geojson exports',
    tags: ['planning'],
    query: CoverageQuerySchema,
    responses: {
      '200': 'Coverage table',
      '400': 'Invalid query',
      '404': 'Unknown area or layer',
      '422': 'Rule not available',
    },
  },
  {
    method: 'get',
    path: '/api/coverage/gaps',
    summary: 'Uncovered parts of each area (GeoJSON, clipped to the areas, holes kept)',
    tags: ['planning'],
    query: GapsQuerySchema,
    responses: { '200': 'FeatureCollection', '400': 'Invalid query' },
  },
  {
    method: 'get',
    path: '/api/coverage/timeline',
    summary: 'Covered % for each of the 24 hours of a Beijing date, for the city or one area',
    tags: ['planning'],
    query: TimelineQuerySchema,
    responses: { '200': '24 hourly figures', '400': 'Invalid query' },
  },
  {
    method: 'get',
    path: '/api/coverage/suggest',
    summary:
      'k new sites by greedy maximal covering (existing open stations fixed), each with its marginal gain; radius rules or travel time on the road network (walk|bike|drive:<min>, candidates=grid|layer|network)',
    tags: ['planning'],
    query: SuggestQuerySchema,
    responses: {
      '200': 'Suggested sites',
      '400': 'Invalid query',
      '404': 'Unknown area or layer',
      '422': 'Network rule without a loaded road network',
    },
  },
];
