/**
 * What the deployment covers, from its loaded areas and configuration: its name, extent, default
 * map view and levels. Nothing here is written for one city.
 */
import type { AppDatabase } from '../../db/client.js';
import { regionExtent, summariseLevels, topArea, type LevelSummary } from './areas.repository.js';
import type { Extent } from './extent.js';

export interface RegionDescription {
  /** DEPLOYMENT_NAME, else the single top-level area's name (e.g. 北京市), else null. */
  name: string | null;
  name_en: string | null;
  /** Every loaded area's bounding box; null before any boundaries are imported. */
  extent: Extent | null;
  /** The default map view: the extent's centre; clients fit the extent. */
  center: [number, number] | null;
  levels: LevelSummary[];
}

export async function describeRegion(
  db: AppDatabase,
  deploymentName: string | undefined,
): Promise<RegionDescription> {
  const [extent, levels, top] = await Promise.all([
    regionExtent(db),
    summariseLevels(db),
    topArea(db),
  ]);
  const center: [number, number] | null = extent
    ? [
        Number(((extent[0] + extent[2]) / 2).toFixed(6)),
        Number(((extent[1] + extent[3]) / 2).toFixed(6)),
      ]
    : null;
  return {
    name: deploymentName ?? top?.name ?? null,
    name_en: deploymentName ? null : (top?.name_en ?? null),
    extent,
    center,
    levels,
  };
}
