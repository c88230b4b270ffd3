import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';
import { replaceAreas, type LevelDefinition } from '../areas/areas.repository.js';

export interface BoundaryRecord {
  code: string;
  name: string;
  name_en?: string | null;
  pinyin: string | null;
  /** The area of the level above (for sub-districts, their district); found spatially when absent. */
  parentCode?: string;
  /** A GeoJSON Polygon or MultiPolygon, WGS-84. */
  geometry: unknown;
}

/**
 * Replaces one level of areas in a single transaction: readers see the old set or the new one,
 * never a half-loaded mix. Station areas are re-derived in the same transaction.
 */
export async function replaceBoundaries(
  db: AppDatabase,
  level: LevelDefinition,
  records: BoundaryRecord[],
  source: string,
): Promise<{ loaded: number; withoutParent: number }> {
  return replaceAreas(
    db,
    level,
    records.map((r) => ({
      code: r.code,
      name: r.name,
      name_en: r.name_en ?? null,
      pinyin: r.pinyin,
      parent_code: r.parentCode ?? null,
      geometry: r.geometry,
    })),
    source,
  );
}

export async function countBoundaries(
  db: AppDatabase,
): Promise<{ districts: number; subdistricts: number; cities: number }> {
  const [row] = await queryRows<{ districts: number; subdistricts: number; cities: number }>(
    db,
    sql`select count(*) filter (where level = 'district')::int as districts,
               count(*) filter (where level = 'subdistrict')::int as subdistricts,
               count(*) filter (where level = 'city')::int as cities
        from areas`,
  );
  return row!;
}
