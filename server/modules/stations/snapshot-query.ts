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
  if (filter.amenities) {
    for (const key of filter.amenities) if (station.amenities[key] !== 'available') return false;
  }
  return true;
}

/** Stations matching `filter`, in id order. */
export function filteredStations(snapshot: StationSnapshot, filter: StationFilter): StationRecord[] {
  const inBox = filter.bbox ? snapshot.inBox(filter.bbox) : snapshot.stations;
  return inBox.filter((station) => matchesFilter(station, filter));
}

const featureTexts = new WeakMap<StationRecord, string>();

/**
 * The Feature as the SQL listing wrote it (`ST_AsGeoJSON(geom, 6)`: coordinates to 6 decimals,
 * ~0.1 m; every station column but lng/lat as properties).
 */
export function stationFeatureJson(station: StationRecord): string {
  let text = featureTexts.get(station);
  if (text === undefined) {
    const rounded = { ...station, lng: Number(station.lng.toFixed(6)), lat: Number(station.lat.toFixed(6)) };
    text = JSON.stringify(stationToFeature(rounded));
    featureTexts.set(station, text);
  }
  return text;
}
