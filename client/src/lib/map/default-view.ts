/**
 * Where a map opens when its view names no place: the deployment's default view from /api/meta
 * (configured, or derived from the loaded areas). Nothing here is written for one city.
 */
import type { Bbox, LngLat } from './types.js';

/** `/api/meta` region.default_view. */
export interface DefaultView {
  center: LngLat;
  /** Null: fit `bounds` in the viewport. */
  zoom: number | null;
  bounds: Bbox | null;
}

/** The whole world, for a deployment with no areas loaded yet (or /api/meta out of reach). */
export const WORLD_VIEW = { center: [0, 20] as LngLat, zoom: 1 };

// MapLibre counts zoom in 512-px tiles; one zoom step halves the degrees shown.
const TILE_PX = 512;
const MIN_ZOOM = 1;
/** A single-point extent would otherwise zoom in without limit: street level at most. */
const MAX_FIT_ZOOM = 15;

/** Web Mercator y of a latitude as a fraction of the world's height (0 at the equator). */
function mercatorY(lat: number): number {
  const clamped = Math.max(-85.0511, Math.min(85.0511, lat));
  const phi = (clamped * Math.PI) / 180;
  return Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI);
}

/**
 * The zoom at which `bounds` ([minLng, minLat, maxLng, maxLat]; minLng > maxLng crosses the
 * antimeridian) fits a `width` × `height` px viewport with `padding` px on each side.
 */
export function zoomToFit(bounds: Bbox, width: number, height: number, padding = 16): number {
  const [minLng, minLat, maxLng, maxLat] = bounds;
  const dx = (maxLng >= minLng ? maxLng - minLng : maxLng + 360 - minLng) / 360;
  const dy = Math.abs(mercatorY(maxLat) - mercatorY(minLat));
  const w = Math.max(1, width - 2 * padding);
  const h = Math.max(1, height - 2 * padding);
  const scale = Math.min(dx > 0 ? w / (TILE_PX * dx) : Infinity, dy > 0 ? h / (TILE_PX * dy) : Infinity);
  const zoom = Number.isFinite(scale) ? Math.log2(scale) : MAX_FIT_ZOOM;
  return Math.max(MIN_ZOOM, Math.min(MAX_FIT_ZOOM, Math.floor(zoom * 100) / 100));
}

/**
 * Centre and zoom for a viewport: the configured zoom, else the one fitting the bounds, with the
 * bounds themselves so each engine fits them in its own tile size (see CreateMapOptions.bounds).
 */
export function initialView(
  view: DefaultView | null,
  width: number,
  height: number,
): { center: LngLat; zoom: number; bounds?: Bbox } {
  if (!view) return WORLD_VIEW;
  if (view.zoom !== null) return { center: view.center, zoom: view.zoom };
  if (!view.bounds) return { center: view.center, zoom: 10 };
  return { center: view.center, zoom: zoomToFit(view.bounds, width, height), bounds: view.bounds };
}
