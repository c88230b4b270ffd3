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
import type { BasemapSpec } from './types.js';

/** `{s}` templates as MapLibre wants them: one URL per subdomain (it spreads tiles across them). */
export function expandTemplate(url: string, subdomains: readonly string[]): string[] {
  return subdomains.length ? subdomains.map((s) => url.replaceAll('{s}', s)) : [url];
}

function rasterStyle(basemap: BasemapSpec): StyleSpecification {
  const sources: StyleSpecification['sources'] = {};
  const layers: StyleSpecification['layers'] = [...OFFLINE_STYLE.layers];
  basemap.tiles.forEach((tiles, i) => {
    const id = `basemap-${i}`;
    sources[id] = {
      type: 'raster',
      tiles: expandTemplate(tiles.url, tiles.subdomains),
      tileSize: tiles.tileSize,
      maxzoom: tiles.maxZoom,
      // Once per map is enough: the attribution control lists each distinct text.
      ...(i === 0 && basemap.attribution ? { attribution: basemap.attribution } : {}),
    };
    layers.push({ id, type: 'raster', source: id });
  });
  return { ...OFFLINE_STYLE, sources, layers };
}

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
