/**
 * Area names on the map, each level at its own zoom (a city's name when the whole city shows, its
 * districts' names closer, sub-districts' closer still), from our own areas: nothing is written
 * here for one city, the levels and their extents come from /api/meta. A level's names are asked
 * for once, the first time the map is zoomed near it, as label points only (`label_point`, one per
 * area) with outlines simplified away.
 */
import type { Feature, FeatureCollection } from 'geojson';
import { apiGet } from '../api/http.js';
import type { AreaLevelSummary } from './basemap.js';
import type { LayerStyle, MapAdapter } from './types.js';

/** Ids of the label layers, top level first (at most this many levels get names). */
export const AREA_LABEL_LAYERS = ['area-labels-0', 'area-labels-1', 'area-labels-2', 'area-labels-3'] as const;
export type AreaLabelLayerId = (typeof AREA_LABEL_LAYERS)[number];

/** How wide (px) a typical area of a level should be on screen when its names appear. */
const TYPICAL_AREA_PX = 200;

export interface LevelLabelZooms {
  level: string;
  /** MapLibre zooms (512-px tiles): names shown from `minZoom` until the next level's. */
  minZoom: number;
  maxZoom?: number;
}

/**
 * The zoom at which each level's typical area (its extent shared among its areas) is ~200 px wide:
 * Beijing's 16 districts ≈ 8, its 343 sub-districts ≈ 10, Andorra's 7 parishes ≈ 10. Each level
 * shows until the next one takes over, and a deeper level never starts before the one above it.
 */
export function levelLabelZooms(levels: readonly AreaLevelSummary[]): LevelLabelZooms[] {
  const usable = [...levels]
    .filter((l) => l.count > 0 && l.extent)
    .sort((a, b) => a.depth - b.depth)
    .slice(0, AREA_LABEL_LAYERS.length);
  const zooms: LevelLabelZooms[] = [];
  for (const level of usable) {
    const [w, s, e, n] = level.extent!;
    const midLat = ((s + n) / 2) * (Math.PI / 180);
    // Degrees of longitude a typical area spans (latitude degrees scaled to them).
    const typical = Math.sqrt(((e - w) * (n - s)) / Math.cos(midLat) / level.count);
    const raw = Math.log2((TYPICAL_AREA_PX * 360) / (512 * Math.max(typical, 1e-6)));
    const previous = zooms.at(-1);
    const minZoom = Math.min(18, Math.max(previous ? previous.minZoom + 1 : 0, Math.round(raw * 2) / 2));
    if (previous) previous.maxZoom = minZoom;
    zooms.push({ level: level.name, minZoom });
  }
  if (zooms[0]) zooms[0].minZoom = Math.min(zooms[0].minZoom, 3);
  return zooms;
}

export function areaLabelStyle(index: number, zooms: LevelLabelZooms): LayerStyle {
  return {
    type: 'label',
    property: 'name',
    minZoom: zooms.minZoom,
    ...(zooms.maxZoom !== undefined ? { maxZoom: zooms.maxZoom } : {}),
    // Larger, darker names for the higher levels.
    size: Math.max(11, 16 - index * 2),
    color: index === 0 ? '#222' : '#444',
  };
}

/** A level's areas as points at their label points, named in the page's language. */
export async function fetchAreaLabels(level: string, english: boolean): Promise<FeatureCollection> {
  const areas = await apiGet<FeatureCollection>(
    `/api/collections/areas/items?level=${encodeURIComponent(level)}&simplify=2000&limit=1000`,
  );
  const features: Feature[] = [];
  for (const area of areas.features) {
    const at = area.properties?.label_point as [number, number] | undefined;
    if (!at) continue;
    const name = (english && area.properties?.name_en) || area.properties?.name;
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: at }, properties: { name, code: area.id } });
  }
  return { type: 'FeatureCollection', features };
}

export interface AreaLabelsFollower {
  refresh(): void;
  stop(): void;
}

/** Draws each level's names once the map comes within a zoom of them (asked for once per level). */
export function followAreaLabels(
  map: MapAdapter,
  layers: { set(id: AreaLabelLayerId, data: FeatureCollection, style: LayerStyle): void },
  levels: readonly AreaLevelSummary[],
  english: () => boolean,
): AreaLabelsFollower {
  const zooms = levelLabelZooms(levels);
  const asked = new Set<number>();
  const load = () => {
    // Server zooms count 512-px tiles, as MapLibre does; Leaflet's count 256-px tiles.
    const zoom = map.engine === 'leaflet' ? map.getZoom() - 1 : map.getZoom();
    zooms.forEach((z, i) => {
      if (asked.has(i) || zoom < z.minZoom - 1 || (z.maxZoom !== undefined && zoom >= z.maxZoom)) return;
      asked.add(i);
      fetchAreaLabels(z.level, english())
        .then((data) => layers.set(AREA_LABEL_LAYERS[i]!, data, areaLabelStyle(i, z)))
        .catch(() => asked.delete(i)); // names are a backdrop: try again on the next move
    });
  };
  const off = map.onMoveEnd(load);
  return { refresh: load, stop: off };
}
