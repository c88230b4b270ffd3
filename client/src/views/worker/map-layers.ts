/**
 * The worker map's layers in a fixed stacking order, whichever finishes loading first: boundaries,
 * then roads (widest on top, their names with them), area names, then stations, the route, the nearest stations and "me" on top.
 * Both engines draw a new layer above the others (and Leaflet redraws an updated layer on top), so
 * after a change every layer that must stay above it is drawn again.
 */
import type { FeatureCollection } from 'geojson';
import type { LayerStyle, MapAdapter } from '../../lib/map/types.js';
import { AREA_LABEL_LAYERS } from '../../lib/map/area-labels.js';
import { ROAD_LAYER_IDS } from './road-layer.js';

export const LAYER_ORDER = [
  'districts',
  ...ROAD_LAYER_IDS,
  // Area names above the streets, below the stations (whose counts and names matter more).
  ...AREA_LABEL_LAYERS,
  'stations',
  'route',
  'nearest',
  'me',
] as const;
export type WorkerLayerId = (typeof LAYER_ORDER)[number];

export class WorkerMapLayers {
  private readonly shown = new Map<WorkerLayerId, { data: FeatureCollection; style: LayerStyle }>();

  constructor(readonly map: MapAdapter) {}

  has(id: WorkerLayerId): boolean {
    return this.shown.has(id);
  }

  set(id: WorkerLayerId, data: FeatureCollection, style: LayerStyle): void {
    const previous = this.shown.get(id);
    const restyled = !previous || JSON.stringify(previous.style) !== JSON.stringify(style);
    this.shown.set(id, { data, style });
    this.map.setGeoJsonLayer(id, data, style);
    // MapLibre updates a layer's data in place, keeping its rank; a new or restyled layer (or any
    // Leaflet redraw) lands on top, so the layers meant to be above it are drawn again.
    if (restyled || this.map.engine === 'leaflet') this.redrawAbove(id);
  }

  remove(id: WorkerLayerId): void {
    if (!this.shown.delete(id)) return;
    this.map.removeLayer(id);
  }

  private redrawAbove(id: WorkerLayerId): void {
    for (const above of LAYER_ORDER.slice(LAYER_ORDER.indexOf(id) + 1)) {
      const layer = this.shown.get(above);
      if (!layer) continue;
      this.map.removeLayer(above);
      this.map.setGeoJsonLayer(above, layer.data, layer.style);
    }
  }
}
