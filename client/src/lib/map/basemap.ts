import { apiGet } from '../api/http.js';
import type { BasemapDatum } from './datum-shift.js';
import type { DefaultView } from './default-view.js';

export interface BasemapSettings {
  styleUrl: string | null;
  datum: BasemapDatum;
  /** The loaded areas' extent [minLng, minLat, maxLng, maxLat] (`/api/meta` region); null before any. */
  regionExtent: [number, number, number, number] | null;
  /** Where maps open (`/api/meta` region.default_view); null before any areas are loaded. */
  defaultView: DefaultView | null;
  /** The level whose outlines the maps draw (`/api/meta` region.default_level, e.g. district). */
  defaultLevel: string | null;
}

let settings: Promise<BasemapSettings> | null = null;

/** The deployer's basemap (BASEMAP_STYLE_URL, BASEMAP_DATUM) and default view, asked once per page; none if unreachable. */
export function basemapSettings(): Promise<BasemapSettings> {
  settings ??= apiGet<{
    basemap_style_url: string | null;
    basemap_datum?: BasemapDatum;
    region?: {
      extent: [number, number, number, number] | null;
      default_view?: DefaultView | null;
      default_level?: string | null;
    };
  }>('/api/meta')
    .then((meta) => ({
      styleUrl: meta.basemap_style_url,
      datum: meta.basemap_datum ?? 'WGS84',
      regionExtent: meta.region?.extent ?? null,
      defaultView: meta.region?.default_view ?? null,
      defaultLevel: meta.region?.default_level ?? null,
    }))
    .catch(() => ({
      styleUrl: null,
      datum: 'WGS84' as const,
      regionExtent: null,
      defaultView: null,
      defaultLevel: null,
    }));
  return settings;
}
