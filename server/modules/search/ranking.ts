/**
 * How search results are ordered: relevance tier (text-index.ts TIER), then distance from `near`,
 * then shorter names, then position. The order is total, so the best `limit` of a union is the
 * best `limit` of each part's best `limit`: the station thread ranks its own stations and the API
 * thread merges them with the areas, and the answer is the one a single pass over both would give.
 */
import type { LngLat } from '../../geo/coords.js';
import type { PreparedQuery } from './text-index.js';
import type { StationSearchIndex } from './station-search-index.js';

const M_PER_DEG = 111_195;

export interface Ranked {
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

/**
 * Equirectangular, scaled at the origin's latitude: no trigonometry per hit, so ranking the
 * 200,000 hits of a broad query stays cheap. Within ~1 % at city scale, where ranking matters;
 * it only ranks, the answer gives geodesic metres.
 */
export function roughDistance(origin: LngLat): (lng: number, lat: number) => number {
  const cos = Math.cos((origin[1] * Math.PI) / 180);
  return (lng, lat) => {
    let dLng = Math.abs(lng - origin[0]);
    if (dLng > 180) dLng = 360 - dLng;
    const x = dLng * cos;
    const y = lat - origin[1];
    return Math.sqrt(x * x + y * y) * M_PER_DEG;
  };
}

/** The best `limit` entries seen, sorted; insertion is a binary search in at most 50. */
export class BestOf {
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

/**
 * The best `limit` stations for a query, by snapshot position: one pass over the index's joined
 * texts plus a bounded selection. The costly part of a search (4–15 ms at 200,000 stations), so
 * the server runs it in the station search thread (station-search-worker.ts).
 */
export function rankStations(
  index: StationSearchIndex,
  query: PreparedQuery,
  near: LngLat | undefined,
  limit: number,
): Ranked[] {
  const best = new BestOf(limit);
  const distanceTo = near ? roughDistance(near) : () => 0;
  // Read once: the index may swap in its spellings in context while this search runs.
  const hits = index.text.match(query);
  for (const i of hits.items) {
    const s = index.stations[i]!;
    const tier = hits.tiers[i]!;
    const distance = distanceTo(s.lng, s.lat);
    if (!best.admits(tier, distance)) continue;
    best.offer({ tier, distance, length: s.name.length, ref: i, field: hits.fields[i]! });
  }
  return best.entries;
}
