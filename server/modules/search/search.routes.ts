/**
 * GET /api/search?q=&near=&limit=: the worker page's search box (stations, areas, coordinates).
 * Public and read-only, like /api/nearest; its 400s are in the asking page's language, and so is
 * its 503 when too many searches wait for the station search thread.
 */
import { Router } from 'express';
import { HttpError, languageOf } from '../../http/errors.js';
import type { ApiOperation } from '../../http/openapi.js';
import { searchMessage, type SearchProblem } from './search-messages.js';
import {
  SEARCH_LANGUAGES,
  SearchQuerySchema,
  type SearchLanguage,
} from './search.schemas.js';
import { search, SearchInputError, type SearchSources } from './search.service.js';

/** The first thing wrong with the query, as one of the messages people can act on. */
function problemOf(issues: ReadonlyArray<{ code: string; path: PropertyKey[] }>): SearchProblem {
  const issue = issues[0]!;
  if (issue.code === 'unrecognized_keys') return 'unknown_parameter';
  switch (issue.path[0]) {
    case 'q':
      return issue.code === 'too_big' ? 'q_too_long' : 'q_missing';
    case 'near':
      return 'near_invalid';
    case 'limit':
      return 'limit_invalid';
    case 'type':
      return 'type_invalid';
    default:
      return 'lang_invalid';
  }
}

const refuse = (problem: SearchProblem, lang: SearchLanguage, details?: unknown) =>
  new HttpError(400, searchMessage(problem, lang), { problem, ...(details ? { issues: details } : {}) });

export function searchRouter(sources: SearchSources): Router {
  const router = Router();
  router.get('/search', async (req, res) => {
    const lang = languageOf(req);
    const parsed = SearchQuerySchema.safeParse(req.query);
    if (!parsed.success) throw refuse(problemOf(parsed.error.issues), lang, parsed.error.issues);
    const { q, near, limit, type } = parsed.data;
    try {
      const body = await search(sources, { q, near, limit, type });
      // Follows edits within seconds (the mirror); a short private cache at most. Not clock-bound,
      // so res.json's ETag can answer a repeated keystroke with a 304.
      res.set('Cache-Control', 'private, max-age=15');
      res.json(body);
    } catch (error) {
      if (error instanceof SearchInputError) throw refuse(error.problem, lang);
      throw error;
    }
  });
  return router;
}

export const SEARCH_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/search',
    summary:
      'Stations (name, address, pinyin, initials), areas of any level and coordinates (WGS-84, GCJ-02, BD-09, converted to WGS-84) for a search box, ranked by relevance then distance from near',
    tags: ['search'],
    query: SearchQuerySchema,
    responses: {
      '200': '{ query, results: [{ type: coordinate|station|area, … }], stations_version }',
      '400': 'Invalid query; the message is in the language of lang= or Accept-Language',
      '503': 'Too many searches waiting: retry after Retry-After seconds (same language)',
    },
  },
];
