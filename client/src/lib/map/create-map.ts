import { NO_BASEMAP } from './basemap.js';
import type { BasemapSpec, CreateMapOptions, MapAdapter } from './types.js';

/** True when the browser can give MapLibre a WebGL context. */
export function webglAvailable(): boolean {
  try {
    const canvas = document.createElement('canvas');
    return Boolean(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
  } catch {
    return false;
  }
}

export function liteRequested(): boolean {
  return new URLSearchParams(location.search).get('lite') === '1';
}

/**
 * Whether an engine draws the basemap's tiles: MapLibre draws every kind; Leaflet draws raster
 * templates only (it cannot draw a MapLibre style or vector tiles, so there it keeps our own layers).
 */
export function drawsBasemap(basemap: BasemapSpec | undefined, engine: 'maplibre' | 'leaflet'): boolean {
  if (!basemap || basemap.kind === 'none') return false;
  return engine === 'maplibre' || basemap.tiles.length > 0;
}

/**
 * Picks the engine and loads only that library (dynamic import), so the page shell stays small
 * and a phone without WebGL never downloads MapLibre.
 */
export async function createMap(container: HTMLElement, options: CreateMapOptions): Promise<MapAdapter> {
  const useLeaflet = options.lite || liteRequested() || !webglAvailable();
  let map: MapAdapter | null = null;
  if (!useLeaflet) {
    try {
      const { createMapLibreAdapter } = await import('./maplibre-adapter.js');
      map = await createMapLibreAdapter(container, options);
    } catch (error) {
      // WebGL can exist yet fail at context creation (blocklisted GPU): fall back rather than break.
      console.warn('MapLibre failed, using Leaflet', error);
    }
  }
  if (!map) {
    const { createLeafletAdapter } = await import('./leaflet-adapter.js');
    map = await createLeafletAdapter(container, options);
  }
  // Tiles in another datum (Amap's GCJ-02, Baidu's BD-09): our WGS-84 layers are shifted onto them,
  // and positions the map reports are shifted back. Our own layers alone need no shift.
  const styleUrl = options.basemapStyleUrl;
  const basemap: BasemapSpec | undefined = styleUrl
    ? { ...(options.basemap ?? NO_BASEMAP), kind: 'style', style_url: styleUrl }
    : options.basemap;
  const datum = basemap?.datum ?? 'WGS84';
  if (datum !== 'WGS84' && drawsBasemap(basemap, map.engine)) {
    const { shiftToDatum } = await import('./datum-shift.js');
    return shiftToDatum(map, datum);
  }
  return map;
}
