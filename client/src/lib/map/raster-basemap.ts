/**
 * A tile preset (tianditu, amap, osm, xyz) as a MapLibre style: our plain background with the
 * preset's raster layers over it, bottom first. Apart from maplibre-gl so it can be tested in Node.
 */
import type { StyleSpecification } from 'maplibre-gl';
import { OFFLINE_STYLE } from './offline-style.js';
import type { BasemapSpec } from './types.js';

/** `{s}` templates as MapLibre wants them: one URL per subdomain (it spreads tiles across them). */
export function expandTemplate(url: string, subdomains: readonly string[]): string[] {
  return subdomains.length ? subdomains.map((s) => url.replaceAll('{s}', s)) : [url];
}

export function rasterStyle(basemap: BasemapSpec): StyleSpecification {
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

