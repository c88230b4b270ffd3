import type { StationRecord } from './stations.repository.js';

export interface StationFeature {
  type: 'Feature';
  id: number;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: Record<string, unknown>;
}

/** A station as a GeoJSON Feature ([lng, lat], WGS-84); `extra` adds computed properties. */
export function stationToFeature(
  station: StationRecord,
  extra: Record<string, unknown> = {},
): StationFeature {
  const { lng, lat, ...properties } = station;
  return {
    type: 'Feature',
    id: station.id,
    geometry: { type: 'Point', coordinates: [Number(lng), Number(lat)] },
    properties: { ...properties, ...extra },
  };
}
