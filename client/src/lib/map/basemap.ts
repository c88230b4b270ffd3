import { apiGet } from '../api/http.js';
import type { BasemapDatum } from './datum-shift.js';
import type { DefaultView } from './default-view.js';
import type { BasemapSpec } from './types.js';

/** One level of areas as /api/meta region.levels describes it (city → district → subdistrict…). */
export interface AreaLevelSummary {
  name: string;
  depth: number;
  count: number;
  extent: [number, number, number, number] | null;
}

export interface BasemapSettings {
  /** The deployer's basemap (BASEMAP=…); kind `none` draws our own layers only. */
  basemap: BasemapSpec;
  styleUrl: string | null;
  datum: BasemapDatum;
  /** The loaded areas' extent [minLng, minLat, maxLng, maxLat] (`/api/meta` region); null before any. */
  regionExtent: [number, number, number, number] | null;
  /** Where maps open (`/api/meta` region.default_view); null before any areas are loaded. */
  defaultView: DefaultView | null;
  /** The level whose outlines the maps draw (`/api/meta` region.default_level, e.g. district). */
  defaultLevel: string | null;
  /** Every loaded level, top first: the maps label each at its own zoom. */
  levels: AreaLevelSummary[];
}

export const NO_BASEMAP: BasemapSpec = {
  kind: 'none',
  datum: 'WGS84',
  tiles: [],
  style_url: null,
  pmtiles_url: null,
  attribution: null,
};

let settings: Promise<BasemapSettings> | null = null;

/** The deployer's basemap (BASEMAP_*) and default view, asked once per page; none if unreachable. */
export function basemapSettings(): Promise<BasemapSettings> {
  settings ??= apiGet<{
    basemap?: BasemapSpec;
    basemap_style_url: string | null;
    basemap_datum?: BasemapDatum;
    region?: {
      extent: [number, number, number, number] | null;
      default_view?: DefaultView | null;
      default_level?: string | null;
      levels?: AreaLevelSummary[];
    };
  }>('/api/meta')
    .then((meta) => ({
      // A server from before BASEMAP sends only the style URL and its datum.
      basemap:
        meta.basemap ??
        (meta.basemap_style_url
          ? { ...NO_BASEMAP, kind: 'style' as const, style_url: meta.basemap_style_url, datum: meta.basemap_datum ?? 'WGS84' }
          : NO_BASEMAP),
      styleUrl: meta.basemap_style_url,
      datum: meta.basemap_datum ?? 'WGS84',
      regionExtent: meta.region?.extent ?? null,
      defaultView: meta.region?.default_view ?? null,
      defaultLevel: meta.region?.default_level ?? null,
      levels: meta.region?.levels ?? [],
    }))
    .catch(() => ({
      basemap: NO_BASEMAP,
      styleUrl: null,
      datum: 'WGS84' as const,
      regionExtent: null,
      defaultView: null,
      defaultLevel: null,
      levels: [],
    }));
  return settings;
}
