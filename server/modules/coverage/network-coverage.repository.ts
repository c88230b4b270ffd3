/**
 * What network coverage reads from the database: the areas in scope (outline, spheroid area,
 * station counts, demand total) and the demand points inside them. Bounded by the areas and the
 * layer, never by the road network: street geometry is measured in memory (network-area.ts).
 */
import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';
import { areasCte, intArray, stationInArea, type AreaScope } from './coverage.repository.js';

export interface NetworkAreaRow {
  code: string;
  name: string;
  district_code: string;
  area_km2: number;
  stations_total: number;
  stations_open: number;
  demand_total: number | null;
  /** The area's polygons (GeoJSON Polygon or MultiPolygon), made valid. */
  shape: { type: string; coordinates: unknown };
  /** Simplified outline for GeoJSON exports. */
  geometry?: unknown;
}

export async function networkAreaRows(
  db: AppDatabase,
  scope: AreaScope,
  stationIds: number[],
  options: { demandLayerId?: number; outlineSimplifyMetres?: number },
): Promise<NetworkAreaRow[]> {
  const demand =
    options.demandLayerId === undefined
      ? sql`null::float8 as demand_total`
      : sql`(select coalesce(sum(p.weight), 0)::float8 from demand_points p
              where p.layer_id = ${options.demandLayerId} and ST_Intersects(a.geom, p.geom)) as demand_total`;
  const outline = options.outlineSimplifyMetres
    ? sql`, ST_AsGeoJSON(a.outline, 6)::json as geometry`
    : sql``;
  return queryRows<NetworkAreaRow>(
    db,
    sql`with ${areasCte(scope, options.outlineSimplifyMetres)}
      select a.code, a.name, a.district_code, (ST_Area(a.geom::geography) / 1e6)::float8 as area_km2,
        (select count(*)::int from stations s where ${stationInArea(sql`a.code`)}) as stations_total,
        (select count(*)::int from stations s where ${stationInArea(sql`a.code`)}
           and s.id = any(${intArray(stationIds)}::int[])) as stations_open,
        ${demand},
        ST_AsGeoJSON(ST_CollectionExtract(a.geom, 3))::json as shape ${outline}
      from areas a order by a.code`,
  );
}

/** Every (area, demand point) pair of the layer in scope: a point on a boundary counts in both. */
export async function demandPointsByArea(
  db: AppDatabase,
  scope: AreaScope,
  layerId: number,
): Promise<Array<{ code: string; lng: number; lat: number; weight: number }>> {
  return queryRows(
    db,
    sql`with ${areasCte(scope)}
      select a.code, ST_X(p.geom)::float8 as lng, ST_Y(p.geom)::float8 as lat, p.weight::float8 as weight
      from demand_points p join areas a on ST_Intersects(a.geom, p.geom)
      where p.layer_id = ${layerId}`,
  );
}

/**
 * Gap outlines from the sweep's strips: one union per area (its input is that area's strips, so
 * bounded by the gap's own complexity), simplified like the radius rule's gaps. Every area sent
 * answers, so a short answer is detectable.
 */
export async function unionGapStrips(
  db: AppDatabase,
  strips: Array<{ code: string; geojson: string }>,
  simplifyMetres: number,
): Promise<Array<{ code: string; geometry: unknown }>> {
  if (strips.length === 0) return [];
  const shape =
    simplifyMetres > 0
      ? sql`ST_SimplifyPreserveTopology(u.geom, ${simplifyMetres / 111_320})`
      : sql`u.geom`;
  return queryRows(
    db,
    // Snapped to the 6 decimals written out and made valid there, so rounding cannot leave a
    // ring touching itself.
    sql`select t.code,
        ST_AsGeoJSON(ST_CollectionExtract(ST_MakeValid(ST_SnapToGrid(${shape}, 1e-6)), 3), 6)::json as geometry
      from jsonb_to_recordset(${JSON.stringify(strips)}::jsonb) as t(code text, geojson text)
      cross join lateral (
        select ST_UnaryUnion(ST_SetSRID(ST_GeomFromGeoJSON(t.geojson), 4326)) as geom
      ) u
      order by t.code`,
  );
}
