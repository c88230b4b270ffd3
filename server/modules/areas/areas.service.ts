/**
 * What the deployment covers, from its loaded areas and configuration: its name, extent, default
 * map view and levels. Nothing here is written for one city.
 */
import type { AppDatabase } from '../../db/client.js';
import { regionExtent, summariseLevels, topArea, type LevelSummary } from './areas.repository.js';
import { chooseDefaultLevel } from './default-level.js';
import type { Extent } from './extent.js';

/** Configuration that overrides what the data suggests (MAP_DEFAULT_CENTER, MAP_DEFAULT_ZOOM). */
export interface RegionSettings {
  deploymentName?: string;
  mapCenter?: [number, number];
  mapZoom?: number;
}

/** Where a map opens: `center` at `zoom`, or (zoom null) centred and zoomed to fit `bounds`. */
export interface DefaultView {
  /** `[lng, lat]`, WGS-84. */
  center: [number, number];
  /** Null: the client picks the zoom that fits `bounds` in its own viewport. */
  zoom: number | null;
  bounds: Extent | null;
  /** Whether the view was configured or derived from the loaded areas. */
  source: 'configuration' | 'areas';
}

export interface RegionDescription {
  /** DEPLOYMENT_NAME, else the single top-level area's name (e.g. 北京市), else null. */
  name: string | null;
  name_en: string | null;
  /** Every loaded area's bounding box; null before any boundaries are imported. */
  extent: Extent | null;
  /** The extent's centre. */
  center: [number, number] | null;
  /** Where maps open; null only when no areas are loaded and nothing is configured. */
  default_view: DefaultView | null;
  /** The level tables and summaries use when a request names none (areas/default-level.ts). */
  default_level: string | null;
  levels: LevelSummary[];
}

/** The centre of the loaded areas' extent, `[lng, lat]`; null before any are loaded. */
export async function regionCentre(db: AppDatabase): Promise<[number, number] | null> {
  const extent = await regionExtent(db);
  return extent ? extentCentre(extent) : null;
}

const extentCentre = (extent: Extent): [number, number] => [
  Number(((extent[0] + extent[2]) / 2).toFixed(6)),
  Number(((extent[1] + extent[3]) / 2).toFixed(6)),
];

export async function describeRegion(
  db: AppDatabase,
  settings: RegionSettings,
): Promise<RegionDescription> {
  const { deploymentName } = settings;
  const [extent, levels, top] = await Promise.all([
    regionExtent(db),
    summariseLevels(db),
    topArea(db),
  ]);
  const center = extent ? extentCentre(extent) : null;
  const viewCenter = settings.mapCenter ?? center;
  const default_view: DefaultView | null = viewCenter
    ? {
        center: viewCenter,
        zoom: settings.mapZoom ?? null,
        bounds: extent,
        source: settings.mapCenter || settings.mapZoom !== undefined ? 'configuration' : 'areas',
      }
    : null;
  return {
    name: deploymentName ?? top?.name ?? null,
    name_en: deploymentName ? null : (top?.name_en ?? null),
    extent,
    center,
    default_view,
    default_level: chooseDefaultLevel(levels),
    levels,
  };
}
