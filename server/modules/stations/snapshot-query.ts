/**
 * The bbox listing's questions (stations.repository `stationConditions`), answered from a mirror
 * snapshot: the same filters with the same meaning, in id order, and each station's GeoJSON text
 * made once per record (records never change; a changed station is a new record).
 */
import { stationToFeature } from './station-feature.js';
import type { StationFilter, StationRecord } from './stations.repository.js';
import type { StationSnapshot } from './station-mirror.js';

/** True when a station passes every filter but the box (the box is the index's part). */
export function matchesFilter(station: StationRecord, filter: StationFilter): boolean {
  if (filter.kind && station.kind !== filter.kind) return false;
  if (filter.districtCode && station.district_code !== filter.districtCode) return false;
  if (filter.subdistrictCode && station.subdistrict_code !== filter.subdistrictCode) return false;
  if (filter.areaCode && !station.area_codes.includes(filter.areaCode)) return false;
  if (filter.amenities) {
    for (const key of filter.amenities) if (station.amenities[key] !== 'available') return false;
  }
  if (filter.updated) {
    const at = Date.parse(station.updated_at);
    if (filter.updated.start !== null && !(at >= filter.updated.start)) return false;
    if (filter.updated.end !== null && !(at <= filter.updated.end)) return false;
  }
  return true;
}

/** How many stations match `filter` (OGC numberMatched): every match, not one page. */
export function countMatches(snapshot: StationSnapshot, filter: StationFilter): number {
  const filtered = Object.values(filter).some((v) => v !== undefined);
  if (!filtered) return snapshot.stations.length;
  // A client paging through one query asks the same count with every page: counted once per
  // snapshot (a change makes a new snapshot, so a count is never stale).
  let cached = matchCounts.get(snapshot);
  if (!cached) matchCounts.set(snapshot, (cached = new Map()));
  const key = JSON.stringify(filter);
  let count = cached.get(key);
  if (count === undefined) {
    const keep = (station: StationRecord) => matchesFilter(station, filter);
    // A box alone (the map's and GDAL's usual question) is the index's count, no station read.
    const boxOnly = Object.entries(filter).every(([k, v]) => k === 'bbox' || v === undefined);
    count = !filter.bbox
      ? snapshot.stations.filter(keep).length
      : boxOnly && boxHoldsAll(filter.bbox, stationsExtent(snapshot))
        ? snapshot.stations.length // a country-wide box holds every station: nothing to walk
        : snapshot.countInBox(filter.bbox, boxOnly ? undefined : keep);
    if (cached.size >= MAX_CACHED_COUNTS) cached.delete(cached.keys().next().value!);
    cached.set(key, count);
  }
  return count;
}

/** Whether a (non-antimeridian) box contains the whole extent, edges included. */
function boxHoldsAll(
  [minLng, minLat, maxLng, maxLat]: [number, number, number, number],
  extent: [number, number, number, number] | null,
): boolean {
  if (!extent || minLng > maxLng) return false;
  return minLng <= extent[0] && minLat <= extent[1] && maxLng >= extent[2] && maxLat >= extent[3];
}

/** Distinct filters whose counts a snapshot keeps (the oldest goes first). */
const MAX_CACHED_COUNTS = 64;
const matchCounts = new WeakMap<StationSnapshot, Map<string, number>>();

const extents = new WeakMap<StationSnapshot, [number, number, number, number] | null>();

/** The stations' bounding box [minLng, minLat, maxLng, maxLat]; null when there are none. */
export function stationsExtent(snapshot: StationSnapshot): [number, number, number, number] | null {
  if (extents.has(snapshot)) return extents.get(snapshot)!;
  let box: [number, number, number, number] | null = null;
  for (const { lng, lat } of snapshot.stations) {
    if (!box) box = [lng, lat, lng, lat];
    else {
      if (lng < box[0]) box[0] = lng;
      if (lat < box[1]) box[1] = lat;
      if (lng > box[2]) box[2] = lng;
      if (lat > box[3]) box[3] = lat;
    }
  }
  extents.set(snapshot, box);
  return box;
}

/** Stations matching `filter`, in id order. */
export function filteredStations(
  snapshot: StationSnapshot,
  filter: StationFilter,
): StationRecord[] {
  const inBox = filter.bbox ? snapshot.inBox(filter.bbox) : snapshot.stations;
  return inBox.filter((station) => matchesFilter(station, filter));
}

function inBbox(
  station: StationRecord,
  [minLng, minLat, maxLng, maxLat]: StationFilter['bbox'] & {},
) {
  if (station.lat < minLat || station.lat > maxLat) return false;
  // minLng > maxLng: the box crosses the antimeridian.
  return minLng <= maxLng
    ? station.lng >= minLng && station.lng <= maxLng
    : station.lng >= minLng || station.lng <= maxLng;
}

/**
 * How many stations the id-order scan may look at per station wanted before it gives up and asks
 * the spatial index instead: a broad box (a country, a city) finds its first page within a few
 * times the page size; a narrow one would scan far, and the index answers it in proportion to
 * the (small) number of stations inside.
 */
const SCAN_PER_WANTED = 8;

/**
 * The first `count` stations matching `filter` in id order, at a cost in proportion to the
 * answer rather than to every match: the listing pages by id, so a page of a country-wide box
 * needs only the lowest ids inside it, not all 200,000 matches sorted. Same result as
 * `filteredStations(...).slice(0, count)` (tested).
 */
export function firstMatches(
  snapshot: StationSnapshot,
  filter: StationFilter,
  count: number,
): StationRecord[] {
  if (count <= 0) return [];
  const box = filter.bbox;
  const found: StationRecord[] = [];
  const budget = box ? Math.max(count * SCAN_PER_WANTED, 1_000) : Infinity;
  const all = snapshot.stations;
  let i = 0;
  for (; i < all.length && i < budget; i++) {
    const station = all[i]!;
    if ((!box || inBbox(station, box)) && matchesFilter(station, filter)) {
      found.push(station);
      if (found.length === count) return found;
    }
  }
  if (i === all.length) return found;
  return filteredStations(snapshot, filter).slice(0, count);
}

const featureTexts = new WeakMap<StationRecord, string>();

/**
 * The Feature as the SQL listing wrote it (`ST_AsGeoJSON(geom, 6)`: coordinates to 6 decimals,
 * ~0.1 m; every station column but lng/lat as properties).
 */
export function stationFeatureJson(station: StationRecord): string {
  let text = featureTexts.get(station);
  if (text === undefined) {
    const rounded = {
      ...station,
      lng: Number(station.lng.toFixed(6)),
      lat: Number(station.lat.toFixed(6)),
    };
    text = JSON.stringify(stationToFeature(rounded));
    featureTexts.set(station, text);
  }
  return text;
}
