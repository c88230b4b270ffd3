/**
 * One search over stations (from the mirror's snapshot), areas (any level) and coordinates. Text
 * results are ranked by relevance tier (text-index.ts TIER), then by distance from `near`; the
 * cost is one pass over the joined texts plus a bounded selection of `limit` results.
 */
import { geodesicDistanceM } from '../../geo/geodesic.js';
import type { Datum, LngLat } from '../../geo/coords.js';
import type { Extent } from '../areas/extent.js';
import type { StationMirror } from '../stations/station-mirror.js';
import type { AreaSearch } from './area-search.js';
import { parseCoordinateQuery } from './coordinate-query.js';
import type { SearchProblem } from './search-messages.js';
import { StationSearchIndex } from './station-search-index.js';
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

const M_PER_DEG = 111_195;
/** What a type left out matches: nothing. */
const NO_MATCHES: TextMatches = { items: [], tiers: new Uint8Array(0), fields: new Uint8Array(0) };

/**
 * Equirectangular, scaled at the origin's latitude: no trigonometry per hit, so ranking the
 * 200,000 hits of a broad query stays cheap. Within ~1 % at city scale, where ranking matters;
 * it only ranks, the answer gives geodesic metres.
 */
function roughDistance(origin: LngLat): (lng: number, lat: number) => number {
  const cos = Math.cos((origin[1] * Math.PI) / 180);
  return (lng, lat) => {
    let dLng = Math.abs(lng - origin[0]);
    if (dLng > 180) dLng = 360 - dLng;
    const x = dLng * cos;
    const y = lat - origin[1];
    return Math.sqrt(x * x + y * y) * M_PER_DEG;
  };
}

interface Ranked {
  tier: number;
  distance: number;
  /** Shorter names first among equals: more of the name is what was typed. */
  length: number;
  /** Stations ≥ 0 (snapshot position), areas < 0 (-1 - area position). */
  ref: number;
  field: number;
}

const before = (a: Ranked, b: Ranked) =>
  a.tier - b.tier || a.distance - b.distance || a.length - b.length || a.ref - b.ref;

/** The best `limit` entries seen, sorted; insertion is a binary search in at most 50. */
class BestOf {
  readonly entries: Ranked[] = [];
  constructor(private readonly limit: number) {}

  /** Whether an entry of this tier and distance could still get in (checked before building it). */
  admits(tier: number, distance: number): boolean {
    const last = this.entries[this.limit - 1];
    return !last || tier < last.tier || (tier === last.tier && distance <= last.distance);
  }

  offer(entry: Ranked) {
    const list = this.entries;
    if (list.length === this.limit && before(entry, list[list.length - 1]!) >= 0) return;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(list[mid]!, entry) <= 0) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, entry);
    if (list.length > this.limit) list.pop();
  }
}

function insideBox([x0, y0, x1, y1]: Extent, [lng, lat]: LngLat): boolean {
  return lng >= x0 && lng <= x1 && lat >= y0 && lat <= y1;
}

const round6 = (n: number) => Number(n.toFixed(6));

export async function search(
  stationMirror: StationMirror,
  areaSearch: AreaSearch,
  request: SearchRequest,
): Promise<SearchAnswer> {
  const [{ snapshot }, areaIndex] = await Promise.all([
    stationMirror.current(),
    areaSearch.current(),
  ]);
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

  const stationIndex = await StationSearchIndex.of(snapshot);
  // Read once: the index may swap in its spellings in context while this search runs.
  const stationHits: TextMatches = request.type === 'area' ? NO_MATCHES : stationIndex.text.match(query);
  for (const i of stationHits.items) {
    const s = stationIndex.stations[i]!;
    const tier = stationHits.tiers[i]!;
    const distance = distanceTo(s.lng, s.lat);
    if (!best.admits(tier, distance)) continue;
    best.offer({ tier, distance, length: s.name.length, ref: i, field: stationHits.fields[i]! });
  }
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
    const s = stationIndex.stations[entry.ref]!;
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
