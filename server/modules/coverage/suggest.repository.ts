/** Demand and candidate points for site suggestions, limited to the areas in scope. */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';
import { areaScopeConditions, type AreaScope } from './coverage.repository.js';

export interface ScopedPoint {
  lng: number;
  lat: number;
  weight: number;
  code: string;
}

function scopedAreas(scope: AreaScope): SQL {
  return sql`select t.code, t.geom from public.areas t where ${areaScopeConditions(scope)}`;
}

/**
 * Centres of a regular grid (cell metres on the ground, aligned to the scope's south-west corner)
 * that fall inside the areas; each stands for one cell, weighted by its area in km².
 */
export async function gridPointsInScope(
  db: AppDatabase,
  scope: AreaScope,
  cellM: number,
): Promise<ScopedPoint[]> {
  return queryRows<ScopedPoint>(
    db,
    sql`with areas as materialized (${scopedAreas(scope)}),
      frame as (
        select ST_XMin(e) as x0, ST_YMin(e) as y0,
          ${cellM} / 111320.0 as dy,
          ${cellM} / (111320.0 * cos(radians((ST_YMin(e) + ST_YMax(e)) / 2))) as dx
        from (select ST_Extent(geom)::geometry as e from areas) t
      ),
      cells as (
        select distinct on (i, j) i, j, a.code, f.x0 + (i + 0.5) * f.dx as lng, f.y0 + (j + 0.5) * f.dy as lat
        from areas a cross join frame f
        cross join lateral generate_series(floor((ST_XMin(a.geom) - f.x0) / f.dx)::int, floor((ST_XMax(a.geom) - f.x0) / f.dx)::int) i
        cross join lateral generate_series(floor((ST_YMin(a.geom) - f.y0) / f.dy)::int, floor((ST_YMax(a.geom) - f.y0) / f.dy)::int) j
        where ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(f.x0 + (i + 0.5) * f.dx, f.y0 + (j + 0.5) * f.dy), 4326))
        order by i, j, a.code
      )
      select lng::float8 as lng, lat::float8 as lat, ${(cellM / 1000) ** 2}::float8 as weight, code from cells`,
  );
}

/** A demand layer's points inside the areas in scope. */
export async function demandPointsInScope(
  db: AppDatabase,
  scope: AreaScope,
  layerId: number,
): Promise<ScopedPoint[]> {
  return queryRows<ScopedPoint>(
    db,
    sql`with areas as materialized (${scopedAreas(scope)})
      select distinct on (p.id) ST_X(p.geom) as lng, ST_Y(p.geom) as lat, p.weight::float8 as weight, a.code
      from demand_points p join areas a on ST_Intersects(a.geom, p.geom)
      where p.layer_id = ${layerId}
      order by p.id, a.code`,
  );
}

/** Total area in km² (spheroid) of the areas in scope, to size the grid. */
export async function scopeAreaKm2(db: AppDatabase, scope: AreaScope): Promise<number> {
  const [row] = await queryRows<{ km2: number }>(
    db,
    sql`select coalesce(sum(ST_Area(geom::geography)), 0)::float8 / 1e6 as km2 from (${scopedAreas(scope)}) a`,
  );
  return row!.km2;
}

/** The road nodes inside the areas in scope (ids are the graph's node ids), with their area. */
export async function roadNodesInScope(
  db: AppDatabase,
  scope: AreaScope,
): Promise<Array<{ id: number; code: string }>> {
  return queryRows<{ id: number; code: string }>(
    db,
    sql`with areas as materialized (${scopedAreas(scope)})
      select distinct on (n.id) n.id, a.code from road_nodes n join areas a on ST_Intersects(a.geom, n.geom)
      order by n.id, a.code`,
  );
}

/**
 * The road edges whose midpoint lies inside the areas in scope: each street counts once,
 * in the area holding its middle (the street-length proxy for demand).
 */
export async function roadEdgesInScope(
  db: AppDatabase,
  scope: AreaScope,
): Promise<Array<{ id: number; code: string }>> {
  return queryRows<{ id: number; code: string }>(
    db,
    sql`with areas as materialized (${scopedAreas(scope)})
      select distinct on (e.id) e.id, a.code from road_edges e
      join areas a on a.geom && e.geom and ST_Intersects(a.geom, ST_LineInterpolatePoint(e.geom, 0.5))
      order by e.id, a.code`,
  );
}
