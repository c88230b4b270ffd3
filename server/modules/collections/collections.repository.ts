import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';

export interface BoundaryRow {
  code: string;
  name: string;
  pinyin: string | null;
  district_code?: string;
  source: string;
  area_km2: number;
  geometry: unknown;
}

export interface BoundaryQuery {
  bbox?: [number, number, number, number];
  districtCode?: string;
  code?: string;
  /** Tolerance in metres (converted to degrees at Beijing's latitude); 0 = none. */
  simplifyMetres: number;
  limit: number;
  offset: number;
}

// ~111 km per degree; good enough for a display-only simplification tolerance.
const METRES_PER_DEGREE = 111_320;

export async function listBoundaries(
  db: AppDatabase,
  level: 'districts' | 'subdistricts',
  q: BoundaryQuery,
): Promise<BoundaryRow[]> {
  const tolerance = q.simplifyMetres / METRES_PER_DEGREE;
  const geometry =
    tolerance > 0
      ? sql`ST_AsGeoJSON(ST_SimplifyPreserveTopology(b.geom, ${tolerance}), 6)::json`
      : sql`ST_AsGeoJSON(b.geom, 6)::json`;
  const conditions = [sql`true`];
  if (q.bbox) {
    const [minLng, minLat, maxLng, maxLat] = q.bbox;
    conditions.push(
      minLng <= maxLng
        ? sql`b.geom && ST_MakeEnvelope(${minLng}, ${minLat}, ${maxLng}, ${maxLat}, 4326)`
        : sql`(b.geom && ST_MakeEnvelope(${minLng}, ${minLat}, 180, ${maxLat}, 4326)
            or b.geom && ST_MakeEnvelope(-180, ${minLat}, ${maxLng}, ${maxLat}, 4326))`,
    );
  }
  if (q.code) conditions.push(sql`b.code = ${q.code}`);
  const where = sql.join(conditions, sql` and `);
  if (level === 'districts') {
    return queryRows<BoundaryRow>(
      db,
      sql`select b.code, b.name, b.pinyin, b.source,
            round((ST_Area(b.geom::geography) / 1e6)::numeric, 3)::float8 as area_km2, ${geometry} as geometry
          from districts b where ${where}
          order by b.code limit ${q.limit} offset ${q.offset}`,
    );
  }
  const byDistrict = q.districtCode ? sql` and b.district_code = ${q.districtCode}` : sql``;
  return queryRows<BoundaryRow>(
    db,
    sql`select b.code, b.name, b.pinyin, b.district_code, b.source,
          round((ST_Area(b.geom::geography) / 1e6)::numeric, 3)::float8 as area_km2, ${geometry} as geometry
        from subdistricts b where ${where}${byDistrict}
        order by b.code limit ${q.limit} offset ${q.offset}`,
  );
}
