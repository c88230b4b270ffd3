/**
 * The worker page's search (/api/search): stations, areas and coordinates. Only types and a fetch
 * here: the pinyin index lives on the server, so the page carries no dictionary.
 */
import { apiGet } from '../../lib/api/http.js';
import type { SearchAnswer, SearchResult } from '../../../../server/modules/search/search.service.js';
import type { LngLat } from './worker-api.js';

export type { SearchAnswer, SearchResult };

/** What the box shows at most: a phone screen's worth. */
export const SEARCH_LIMIT = 8;

export function searchPath(q: string, near: LngLat | null, lang: 'zh' | 'en'): string {
  const params = new URLSearchParams({ q, limit: String(SEARCH_LIMIT), lang });
  if (near) params.set('near', `${near[0].toFixed(6)},${near[1].toFixed(6)}`);
  return `/api/search?${params}`;
}

export function fetchSearch(
  q: string,
  near: LngLat | null,
  lang: 'zh' | 'en',
  signal?: AbortSignal,
): Promise<SearchAnswer> {
  return apiGet<SearchAnswer>(searchPath(q, near, lang), { signal });
}
