/**
 * The deployment's region is its loaded areas: a station must lie inside one, or within a stated
 * margin (REGION_MARGIN_M) of one. Checked in the database with the areas' GiST index (a
 * degree-bounded box first, then the exact WGS-84 distance), so it holds for any city; the refusal
 * names the region's extent so a person can see what was expected.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';
import { degreeBox, type Extent } from './extent.js';
import { regionExtent } from './areas.repository.js';

export interface RegionOptions {
  /** How far outside every loaded area a station may still be, in metres. */
  marginM: number;
}

const BATCH = 500;

/** "115.42–117.51 E, 39.44–41.06 N": an extent as a person reads it. */
export function describeExtent([minLng, minLat, maxLng, maxLat]: Extent): string {
  const lng = (v: number) => `${Math.abs(v).toFixed(2)}`;
  const ew = (v: number) => (v < 0 ? 'W' : 'E');
  const ns = (v: number) => (v < 0 ? 'S' : 'N');
  return (
    `longitude ${lng(minLng)} ${ew(minLng)} – ${lng(maxLng)} ${ew(maxLng)}, ` +
    `latitude ${lng(minLat)} ${ns(minLat)} – ${lng(maxLat)} ${ns(maxLat)}`
  );
}

/**
 * For each WGS-84 point, null when it lies in the region, else why not (swapped coordinates,
 * outside the region naming its extent, or no areas loaded at all).
 */
export async function regionProblems(
  db: AppDatabase,
  points: [number, number][],
  options: RegionOptions,
): Promise<(string | null)[]> {
  if (points.length === 0) return [];
  const inside = await pointsInRegion(db, points, options.marginM);
  if (inside.every(Boolean)) return inside.map(() => null);
  const extent = await regionExtent(db);
  if (!extent) {
    return points.map(
      () => 'no areas are loaded, so no position can be placed: import boundaries first (npm run import:boundaries)',
    );
  }
  // Only the refused points are tried the other way round: the usual mistake is lng/lat swapped.
  const refused = points.flatMap((p, i) => (inside[i] ? [] : [i]));
  const swapped = await pointsInRegion(
    db,
    refused.map((i) => [points[i]![1], points[i]![0]] as [number, number]),
    options.marginM,
  );
  const km = options.marginM / 1000;
  const messages: (string | null)[] = inside.map(() => null);
  refused.forEach((index, j) => {
    const [lng, lat] = points[index]!;
    messages[index] = swapped[j]
      ? `(${lng}, ${lat}): longitude and latitude look swapped (did you swap lng and lat?)`
      : `(${lng}, ${lat}) is outside the region: not in or within ${km} km of a loaded area (${describeExtent(extent)})`;
  });
  return messages;
}

/** True for each point inside an area or within `marginM` metres of one (index-assisted). */
export async function pointsInRegion(
  db: AppDatabase,
  points: [number, number][],
  marginM: number,
): Promise<boolean[]> {
  const result: boolean[] = [];
  for (let i = 0; i < points.length; i += BATCH) {
    const batch = points.slice(i, i + BATCH).map(([lng, lat], index) => {
      const box = degreeBox(lat, marginM);
      return { index, lng, lat, dx: box.dLng, dy: box.dLat };
    });
    const valid = batch.filter((p) => Math.abs(p.lat) <= 90 && Math.abs(p.lng) <= 180);
    const rows = await queryRows<{ index: number; inside: boolean }>(
      db,
      sql`select v.index,
            exists (
              select 1 from areas a
              where a.geom && ST_Expand(ST_SetSRID(ST_MakePoint(v.lng, v.lat), 4326), v.dx, v.dy)
                and (ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(v.lng, v.lat), 4326))
                     or ST_DWithin(a.geom::geography, ST_SetSRID(ST_MakePoint(v.lng, v.lat), 4326)::geography, ${marginM}))
            ) as inside
          from jsonb_to_recordset(${JSON.stringify(valid)}::jsonb)
            as v(index int, lng float8, lat float8, dx float8, dy float8)`,
    );
    const inside = new Array<boolean>(batch.length).fill(false);
    for (const row of rows) inside[row.index] = row.inside;
    result.push(...inside);
  }
  return result;
}
