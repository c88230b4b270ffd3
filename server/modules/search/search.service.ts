/**
 * One search over stations (from the mirror's snapshot), areas (any level) and coordinates. Text
 * results are ranked by relevance tier (text-index.ts TIER), then by distance from `near`
 * (ranking.ts). The stations' part, one pass over 200,000 joined texts, runs in the station search
 * thread (station-search-thread.ts), which answers its best `limit`; the areas (a few thousand) are
 * matched here and merged with them, which gives the order one pass over both would.
 */
import { geodesicDistanceM } from '../../geo/geodesic.js';
import type { Datum, LngLat } from '../../geo/coords.js';
import type { Extent } from '../areas/extent.js';
import type { StationMirror, StationSnapshot } from '../stations/station-mirror.js';
import type { AreaSearch } from './area-search.js';
import { parseCoordinateQuery } from './coordinate-query.js';
import { BestOf, roughDistance, type Ranked } from './ranking.js';
import type { SearchProblem } from './search-messages.js';
import type { StationRanker } from './station-search-thread.js';
import { fieldName, prepareQuery, type MatchField, type TextMatches } from './text-index.js';

export interface SearchRequest {
  q: string;
  near?: LngLat;
  limit: number;
  /** Only this type of result (an area picker wants no stations); default both. */
  type?: 'station' | 'area';
}

export type SearchResult =
  | {
      type: 'coordinate';
      datum: Datum;
      /** As typed, in its datum, [lng, lat]. */
      input: LngLat;
      /** WGS-84. */
      lng: number;
      lat: number;
      lat_first: boolean;
    }
  | {
      type: 'station';
      id: number;
      name: string;
      name_en: string | null;
      address: string | null;
      kind: string;
      lng: number;
      lat: number;
      distance_m: number | null;
      match: MatchField;
    }
  | {
      type: 'area';
      code: string;
      level: string;
      level_label: string;
      level_label_en: string | null;
      name: string;
      name_en: string | null;
      parent_code: string | null;
      bbox: Extent;
      distance_m: number | null;
      match: MatchField;
    };

export interface SearchAnswer {
  query: string;
  results: SearchResult[];
  stations_version: number;
}

/** A search the person must rephrase; the route says so in their language. */
export class SearchInputError extends Error {
  constructor(readonly problem: SearchProblem) {
    super(problem);
  }
}

/** What a type left out matches: nothing. */
const NO_MATCHES: TextMatches = { items: [], tiers: new Uint8Array(0), fields: new Uint8Array(0) };

function insideBox([x0, y0, x1, y1]: Extent, [lng, lat]: LngLat): boolean {
  return lng >= x0 && lng <= x1 && lat >= y0 && lat <= y1;
}

const round6 = (n: number) => Number(n.toFixed(6));

/** Where a search looks: the stations' mirror and their index, and the areas. */
export interface SearchSources {
  stationMirror: StationMirror;
  stationSearch: StationRanker;
  areaSearch: AreaSearch;
}

export async function search(
  { stationMirror, stationSearch, areaSearch }: SearchSources,
  request: SearchRequest,
): Promise<SearchAnswer> {
  const [{ snapshot: mirrored }, areaIndex] = await Promise.all([
    stationMirror.current(),
    areaSearch.current(),
  ]);
  /** The snapshot station results come from (the thread may answer from a newer one). */
  let snapshot: StationSnapshot = mirrored;
  const answer = (results: SearchResult[]): SearchAnswer => ({
    query: request.q,
    results,
    stations_version: snapshot.version,
  });

  const coordinate = parseCoordinateQuery(request.q);
  if (coordinate.kind === 'problem') throw new SearchInputError(coordinate.problem);
  if (coordinate.kind === 'coordinate') {
    const { datum, input, wgs84, latFirst } = coordinate.coordinate;
    // Seven decimals (~1 cm): the conversion itself is good to ~1e-6°, so nothing is lost.
    const [lng, lat] = wgs84.map((v) => Number(v.toFixed(7))) as LngLat;
    return answer([{ type: 'coordinate', datum, input, lng, lat, lat_first: latFirst }]);
  }

  const query = prepareQuery(request.q);
  if (query.folded === '') throw new SearchInputError('q_blank');
  const best = new BestOf(request.limit);
  const { near } = request;
  const distanceTo = near ? roughDistance(near) : () => 0;

  // The stations' best `limit`, ranked in the station search thread (waits for its index).
  let stationsRanked: Ranked[] = [];
  if (request.type !== 'area') {
    const ranking = await stationSearch.rank(mirrored, query, near, request.limit);
    snapshot = ranking.snapshot;
    stationsRanked = ranking.ranked;
  }
  for (const entry of stationsRanked) best.offer(entry);
  const areaHits: TextMatches = request.type === 'station' ? NO_MATCHES : areaIndex.text.match(query);
  for (const i of areaHits.items) {
    const area = areaIndex.areas[i]!;
    const [x0, y0, x1, y1] = area.bbox;
    const distance = !near
      ? 0
      : insideBox(area.bbox, near)
        ? 0
        : distanceTo((x0 + x1) / 2, (y0 + y1) / 2);
    best.offer({ tier: areaHits.tiers[i]!, distance, length: area.name.length, ref: -1 - i, field: areaHits.fields[i]! });
  }

  const results = best.entries.map((entry): SearchResult => {
    const match = fieldName(entry.field);
    if (entry.ref < 0) {
      const area = areaIndex.areas[-1 - entry.ref]!;
      return {
        type: 'area',
        code: area.code,
        level: area.level,
        level_label: area.level_label,
        level_label_en: area.level_label_en,
        name: area.name,
        name_en: area.name_en,
        parent_code: area.parent_code,
        bbox: area.bbox.map(round6) as Extent,
        distance_m: near ? Math.round(entry.distance) : null,
        match,
      };
    }
    const s = snapshot.stations[entry.ref]!;
    return {
      type: 'station',
      id: s.id,
      name: s.name,
      name_en: s.name_en,
      address: s.address,
      kind: s.kind,
      lng: round6(s.lng),
      lat: round6(s.lat),
      distance_m: near ? Math.round(geodesicDistanceM(near[0], near[1], s.lng, s.lat)) : null,
      match,
    };
  });
  return answer(results);
}
