/**
 * The roads layer of the map: the imported network's edges in a (small) box as GeoJSON, so the
 * worker map can show our own streets without an outside basemap.
 */
import type { AppDatabase } from '../../db/client.js';
import { findCurrentRoadNetwork } from './road-network.repository.js';
import { findRoadsInBoxes, type LngLatBox } from './roads.repository.js';
import type { RoadsQuery } from './roads.schemas.js';

export interface RoadsCollection {
  type: 'FeatureCollection';
  features: Array<{
    type: 'Feature';
    id: number;
    geometry: { type: 'LineString'; coordinates: [number, number][] };
    properties: { name: string | null; highway: string };
  }>;
  /** The network the roads come from; null before any import (then there are no roads). */
  network: { name: string; imported_at: string } | null;
  /** True when more roads meet the box than `limit`: the minor ones were left out. */
  truncated: boolean;
}

/** A box whose min longitude is above its max crosses the antimeridian: split it in two. */
function boxesOf([minLng, minLat, maxLng, maxLat]: LngLatBox): LngLatBox[] {
  if (minLng <= maxLng) return [[minLng, minLat, maxLng, maxLat]];
  return [
    [minLng, minLat, 180, maxLat],
    [-180, minLat, maxLng, maxLat],
  ];
}

export async function roadsInBox(db: AppDatabase, query: RoadsQuery): Promise<RoadsCollection> {
  const network = await findCurrentRoadNetwork(db);
  if (!network) return { type: 'FeatureCollection', features: [], network: null, truncated: false };
  // One more than asked tells whether the box held more than the limit.
  const rows = await findRoadsInBoxes(db, boxesOf(query.bbox), query.limit + 1);
  const truncated = rows.length > query.limit;
  return {
    type: 'FeatureCollection',
    features: rows.slice(0, query.limit).map((row) => ({
      type: 'Feature',
      id: row.id,
      geometry: row.geometry,
      properties: { name: row.name, highway: row.highway },
    })),
    network: { name: network.name, imported_at: network.importedAt.toISOString() },
    truncated,
  };
}
