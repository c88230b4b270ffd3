import type { CreateMapOptions, MapAdapter } from './types.js';

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
 * Picks the engine and loads only that library (dynamic import), so the page shell stays small
 * and a phone without WebGL never downloads MapLibre.
 */
export async function createMap(container: HTMLElement, options: CreateMapOptions): Promise<MapAdapter> {
  const useLeaflet = options.lite || liteRequested() || !webglAvailable();
  if (!useLeaflet) {
    try {
      const { createMapLibreAdapter } = await import('./maplibre-adapter.js');
      const map = await createMapLibreAdapter(container, options);
      // Only an outside basemap has a datum of its own; our offline style is drawn in WGS-84.
      if (options.basemapStyleUrl && options.basemapDatum && options.basemapDatum !== 'WGS84') {
        const { shiftToDatum } = await import('./datum-shift.js');
        return shiftToDatum(map, options.basemapDatum);
      }
      return map;
    } catch (error) {
      // WebGL can exist yet fail at context creation (blocklisted GPU): fall back rather than break.
      console.warn('MapLibre failed, using Leaflet', error);
    }
  }
  // Leaflet cannot draw a MapLibre style, so the fallback always uses our own WGS-84 layers.
  const { createLeafletAdapter } = await import('./leaflet-adapter.js');
  return createLeafletAdapter(container, options);
}
