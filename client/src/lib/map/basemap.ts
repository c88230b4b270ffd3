import { apiGet } from '../api/http.js';
import type { BasemapDatum } from './datum-shift.js';

export interface BasemapSettings {
  styleUrl: string | null;
  datum: BasemapDatum;
}

let settings: Promise<BasemapSettings> | null = null;

/** The deployer's basemap (BASEMAP_STYLE_URL, BASEMAP_DATUM), asked once per page; none if unreachable. */
export function basemapSettings(): Promise<BasemapSettings> {
  settings ??= apiGet<{ basemap_style_url: string | null; basemap_datum?: BasemapDatum }>('/api/meta')
    .then((meta) => ({ styleUrl: meta.basemap_style_url, datum: meta.basemap_datum ?? 'WGS84' }))
    .catch(() => ({ styleUrl: null, datum: 'WGS84' as const }));
  return settings;
}
