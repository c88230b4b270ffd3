import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';

export interface BoundaryRecord {
  code: string;
  name: string;
  pinyin: string | null;
  /** Only for sub-districts. */
  districtCode?: string;
  /** A GeoJSON Polygon or MultiPolygon, WGS-84. */
  geometry: unknown;
}

const BATCH = 50;

/**
 * Replaces one level of boundaries in a single transaction: readers see the old set or the new
 * one, never a half-loaded mix. Station areas are re-derived in the same transaction.
 */
export async function replaceBoundaries(
  db: AppDatabase,
  level: 'districts' | 'subdistricts',
  records: BoundaryRecord[],
  source: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    if (level === 'districts') await tx.execute(sql`delete from districts`);
    else await tx.execute(sql`delete from subdistricts`);
    for (let i = 0; i < records.length; i += BATCH) {
      const chunk = records.slice(i, i + BATCH);
      const values = sql.join(
        chunk.map((r) => {
          // ST_MakeValid: boundary files derived from quantised sources can self-intersect.
          const geom = sql`ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(r.geometry)}), 4326)), 3))`;
          return level === 'districts'
            ? sql`(${r.code}, ${r.name}, ${r.pinyin}, ${source}, ${geom})`
            : sql`(${r.code}, ${r.name}, ${r.pinyin}, ${r.districtCode ?? ''}, ${source}, ${geom})`;
        }),
        sql`, `,
      );
      if (level === 'districts') {
        await tx.execute(
          sql`insert into districts (code, name, pinyin, source, geom) values ${values}`,
        );
      } else {
        await tx.execute(
          sql`insert into subdistricts (code, name, pinyin, district_code, source, geom) values ${values}`,
        );
      }
    }
    // Touching geom fires the trigger that derives district and sub-district codes.
    await tx.execute(sql`update stations set geom = geom`);
  });
}

export async function countBoundaries(
  db: AppDatabase,
): Promise<{ districts: number; subdistricts: number }> {
  const [row] = await queryRows<{ districts: number; subdistricts: number }>(
    db,
    sql`select (select count(*)::int from districts) as districts,
               (select count(*)::int from subdistricts) as subdistricts`,
  );
  return row!;
}
