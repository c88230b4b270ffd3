/**
 * The MapLibre style for the deployer's basemap: our plain background with the preset's raster
 * tiles under it, an outside style by URL, or the self-hosted PMTiles archive drawn with the kept
 * Protomaps style. No `glyphs` URL anywhere: MapLibre 6 draws every glyph on the phone (TinySDF
 * from the browser's fonts) when a style has none, so labels need nothing from outside — the
 * Protomaps layers' "Noto Sans …" stacks fall back to the phone's sans-serif.
 */
import * as maplibregl from 'maplibre-gl';
import type { StyleSpecification } from 'maplibre-gl';
import { OFFLINE_STYLE } from './offline-style.js';
import { rasterStyle } from './raster-basemap.js';
import type { BasemapSpec } from './types.js';

let protocolAdded = false;

async function pmtilesStyle(basemap: BasemapSpec): Promise<StyleSpecification> {
  // Loaded only for this kind: the reader and the style are ~25 KB gzip a phone otherwise skips.
  const [{ Protocol }, { layers, namedFlavor }] = await Promise.all([
    import('pmtiles'),
    import('@protomaps/basemaps'),
  ]);
  if (!protocolAdded) {
    maplibregl.addProtocol('pmtiles', new Protocol().tile);
    protocolAdded = true;
  }
  const archive = new URL(basemap.pmtiles_url!, location.href).href;
  const lang = document.documentElement.lang.startsWith('zh') ? 'zh-Hans' : 'en';
  return {
    version: 8,
    sources: {
      protomaps: {
        type: 'vector',
        url: `pmtiles://${archive}`,
        attribution: basemap.attribution ?? '© OpenStreetMap contributors',
      },
    },
    layers: layers('protomaps', namedFlavor('light'), { lang }),
  };
}

export async function basemapStyle(basemap: BasemapSpec | undefined): Promise<StyleSpecification | string> {
  switch (basemap?.kind) {
    case 'style':
      return basemap.style_url ?? OFFLINE_STYLE;
    case 'pmtiles':
      return pmtilesStyle(basemap);
    case 'tianditu':
    case 'amap':
    case 'osm':
    case 'xyz':
      return rasterStyle(basemap);
    default:
      return OFFLINE_STYLE;
  }
}
