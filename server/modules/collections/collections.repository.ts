import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';

export interface BoundaryRow {
  code: string;
  name: string;
  name_en: string | null;
  pinyin: string | null;
  level: string;
  parent_code: string | null;
  /** The parent's code under its old name, for sub-districts (their district). */
  district_code?: string | null;
  source: string;
  area_km2: number;
  /**
   * Where the area's name goes on a map, `[lng, lat]`: a point inside it (ST_PointOnSurface of the
   * full geometry, so a simplified outline cannot push it outside), one per area however it is tiled.
   */
  label_point: [number, number];
  geometry: unknown;
}

export interface BoundaryQuery {
  /** One level's areas; every level when absent. */
  level?: string;
  bbox?: [number, number, number, number];
  parentCode?: string;
  code?: string;
  /** Tolerance in metres (converted to degrees at ~111 km per degree); 0 = none. */
  simplifyMetres: number;
  limit: number;
  offset: number;
}

// ~111 km per degree; good enough for a display-only simplification tolerance.
const METRES_PER_DEGREE = 111_320;

function boundaryConditions(q: Omit<BoundaryQuery, 'simplifyMetres' | 'limit' | 'offset'>): SQL {
  const conditions = [sql`true`];
  if (q.bbox) {
    const [minLng, minLat, maxLng, maxLat] = q.bbox;
    // OGC Core: features whose geometry intersects the box, not merely its bounding box (an
    // L-shaped area can reach around a box it never touches). ST_Intersects uses the GiST index.
    conditions.push(
      minLng <= maxLng
        ? sql`ST_Intersects(b.geom, ST_MakeEnvelope(${minLng}, ${minLat}, ${maxLng}, ${maxLat}, 4326))`
        : sql`(ST_Intersects(b.geom, ST_MakeEnvelope(${minLng}, ${minLat}, 180, ${maxLat}, 4326))
            or ST_Intersects(b.geom, ST_MakeEnvelope(-180, ${minLat}, ${maxLng}, ${maxLat}, 4326)))`,
    );
  }
  if (q.level) conditions.push(sql`b.level = ${q.level}`);
  if (q.code) conditions.push(sql`b.code = ${q.code}`);
  if (q.parentCode) conditions.push(sql`b.parent_code = ${q.parentCode}`);
  return sql.join(conditions, sql` and `);
}

export async function listBoundaries(db: AppDatabase, q: BoundaryQuery): Promise<BoundaryRow[]> {
  const tolerance = q.simplifyMetres / METRES_PER_DEGREE;
  const simplified =
    tolerance > 0 ? sql`ST_SimplifyPreserveTopology(b.geom, ${tolerance})` : sql`b.geom`;
  // RFC 7946 §3.1.6: outer rings counter-clockwise, holes clockwise (the sources wind them either way).
  const geometry = sql`ST_AsGeoJSON(ST_ForcePolygonCCW(${simplified}), 6)::json`;
  const rows = await queryRows<BoundaryRow>(
    db,
    sql`select b.code, b.name, b.name_en, b.pinyin, b.level, b.parent_code, b.source,
          round((ST_Area(b.geom::geography) / 1e6)::numeric, 3)::float8 as area_km2,
          json_build_array(round(ST_X(ST_PointOnSurface(b.geom))::numeric, 6)::float8,
                           round(ST_Y(ST_PointOnSurface(b.geom))::numeric, 6)::float8) as label_point,
          ${geometry} as geometry
        from areas b join area_levels l on l.name = b.level
        where ${boundaryConditions(q)}
        order by l.depth, b.code limit ${q.limit} offset ${q.offset}`,
  );
  for (const row of rows) if (row.level === 'subdistrict') row.district_code = row.parent_code;
  return rows;
}

/** How many areas match (OGC numberMatched); the bbox test uses the GiST index as the listing does. */
export async function countBoundaries(
  db: AppDatabase,
  q: Omit<BoundaryQuery, 'simplifyMetres' | 'limit' | 'offset'>,
): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from areas b where ${boundaryConditions(q)}`,
  );
  return row?.n ?? 0;
}
