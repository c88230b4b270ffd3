/** What the search needs of the areas table: names and extents of every level, and its version. */
import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';
import type { Extent } from '../areas/extent.js';

export interface SearchableArea {
  code: string;
  level: string;
  depth: number;
  level_label: string;
  level_label_en: string | null;
  name: string;
  name_en: string | null;
  parent_code: string | null;
  bbox: Extent;
}

/**
 * Changes whenever an area or level is written: row count and the newest transaction id (xmin)
 * among them, as the coverage cache keys them (results-cache.repository.ts).
 */
export async function readAreasVersion(db: AppDatabase): Promise<string> {
  const [row] = await queryRows<{ version: string }>(
    db,
    sql`select (select count(*) || ':' || coalesce(max(xmin::text::bigint), 0) from areas)
          || '/' || (select count(*) || ':' || coalesce(max(xmin::text::bigint), 0) from area_levels)
          as version`,
  );
  return row!.version;
}

export async function readSearchableAreas(db: AppDatabase): Promise<SearchableArea[]> {
  const rows = await queryRows<Omit<SearchableArea, 'bbox'> & Record<'x0' | 'y0' | 'x1' | 'y1', number>>(
    db,
    sql`select a.code, a.level, l.depth, l.label as level_label, l.label_en as level_label_en,
               a.name, a.name_en, a.parent_code,
               ST_XMin(a.geom) as x0, ST_YMin(a.geom) as y0, ST_XMax(a.geom) as x1, ST_YMax(a.geom) as y1
        from areas a join area_levels l on l.name = a.level
        order by l.depth, a.code`,
  );
  return rows.map(({ x0, y0, x1, y1, ...area }) => ({
    ...area,
    depth: Number(area.depth),
    bbox: [Number(x0), Number(y0), Number(x1), Number(y1)],
  }));
}
