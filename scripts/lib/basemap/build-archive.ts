/**
 * An OSM extract → a PMTiles archive of vector tiles in the Protomaps basemap schema: the features
 * (osm-features.ts) cut into tiles per layer with geojson-vt, each feature kept from its schema
 * `min_zoom` on, encoded as MVT with vt-pbf, gzip'd, and written in tile-id order.
 */
import { gzipSync } from 'node:zlib';
import { GeoJSONVT, type GeoJSONVTTile } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { PmtilesWriter, tileId, type WrittenArchive } from './pmtiles-writer.js';
import { BASEMAP_LAYERS, readBasemapFeatures, type BasemapLayer } from './osm-features.js';

export interface BuildOptions {
  input: string;
  output: string;
  minZoom?: number;
  maxZoom?: number;
  onProgress?: (text: string) => void;
}

export interface BuildResult extends WrittenArchive {
  bounds: [number, number, number, number];
  features: Record<BasemapLayer, number>;
}

/** Tile x/y ranges covering a box at zoom z (Web Mercator, clamped to the world). */
export function tileRange(bounds: [number, number, number, number], z: number) {
  const n = 2 ** z;
  const clamp = (v: number) => Math.min(n - 1, Math.max(0, v));
  const x = (lng: number) => clamp(Math.floor(((lng + 180) / 360) * n));
  const y = (lat: number) => {
    const r = (Math.max(-85.05, Math.min(85.05, lat)) * Math.PI) / 180;
    return clamp(Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n));
  };
  return { minX: x(bounds[0]), maxX: x(bounds[2]), minY: y(bounds[3]), maxY: y(bounds[1]) };
}

export async function buildBasemapArchive(options: BuildOptions): Promise<BuildResult> {
  const minZoom = options.minZoom ?? 0;
  const maxZoom = options.maxZoom ?? 14;
  if (minZoom < 0 || maxZoom > 15 || minZoom > maxZoom) throw new Error(`zooms must satisfy 0 ≤ min ≤ max ≤ 15, got ${minZoom}–${maxZoom}`);
  const progress = options.onProgress ?? (() => {});
  const read = await readBasemapFeatures(options.input, progress);
  const indexes = BASEMAP_LAYERS.map(
    (layer) => [layer, new GeoJSONVT(read.layers[layer], { maxZoom, indexMaxZoom: 4, tolerance: 3, extent: 4096, buffer: 64 })] as const,
  );
  // The features are in the indexes now; the GeoJSON copies can go.
  for (const layer of BASEMAP_LAYERS) read.layers[layer].features = [];

  const candidates: Array<[number, number, number]> = [];
  for (let z = minZoom; z <= maxZoom; z++) {
    const r = tileRange(read.bounds, z);
    for (let x = r.minX; x <= r.maxX; x++) for (let y = r.minY; y <= r.maxY; y++) candidates.push([z, x, y]);
  }
  candidates.sort((a, b) => tileId(...a) - tileId(...b));

  const writer = new PmtilesWriter(options.output);
  let done = 0;
  for (const [z, x, y] of candidates) {
    const layers: Record<string, GeoJSONVTTile> = {};
    for (const [layer, index] of indexes) {
      const tile = index.getTile(z, x, y);
      if (!tile) continue;
      // A feature shows from its schema zoom on (a footway is not drawn over a whole country).
      const features = tile.features.filter((f: { tags?: Record<string, unknown> | null }) => Number(f.tags?.min_zoom ?? 0) <= z);
      if (features.length) layers[layer] = { ...tile, features };
    }
    if (Object.keys(layers).length) writer.addTile(z, x, y, gzipSync(fromGeojsonVt(layers, { version: 2, extent: 4096 })));
    if (++done % 2000 === 0) progress(`tiles: ${done}/${candidates.length}`);
  }
  const [w, s, e, n] = read.bounds;
  const centerZoom = Math.min(maxZoom, Math.max(minZoom, Math.round(Math.log2(360 / Math.max(e - w, n - s, 1e-6)))));
  const written = writer.finish({
    bounds: read.bounds,
    minZoom,
    maxZoom,
    center: [(w + e) / 2, (s + n) / 2, centerZoom],
    metadata: {
      name: 'warm-posts basemap',
      description: `Built by npm run build:basemap from ${options.input.split('/').pop()}`,
      attribution: '© OpenStreetMap contributors',
      type: 'baselayer',
      vector_layers: BASEMAP_LAYERS.map((id) => ({ id, fields: {}, minzoom: minZoom, maxzoom: maxZoom })),
    },
  });
  return { ...written, bounds: read.bounds, features: read.counts };
}
