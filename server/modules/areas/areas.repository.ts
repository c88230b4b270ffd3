/**
 * Areas in levels (city → district → sub-district…; the level names are data) and the region they
 * make together. The only module that writes `areas` and `area_levels`.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';
import type { Extent } from './extent.js';

export interface AreaLevel {
  name: string;
  depth: number;
  label: string;
  label_en: string | null;
}

export interface AreaRecord {
  code: string;
  name: string;
  name_en?: string | null;
  pinyin?: string | null;
  /** The area of the level above that holds it; found spatially when absent. */
  parent_code?: string | null;
  /** A GeoJSON Polygon or MultiPolygon, WGS-84 (or its JSON text, as an upload hands it over). */
  geometry: unknown;
}

export interface LevelDefinition {
  name: string;
  /** 0 = the top; defaults to one below the deepest level loaded. */
  depth?: number;
  label?: string;
  label_en?: string | null;
}

const BATCH = 50;

/** The loaded data refuses the import (a code taken by another level, a missing parent…). */
export class AreaDataError extends Error {}

/** A geometry object is never a string in GeoJSON, so a string is already the JSON text. */
const geoJsonText = (geometry: unknown) =>
  typeof geometry === 'string' ? geometry : JSON.stringify(geometry);

export async function listLevels(db: AppDatabase): Promise<AreaLevel[]> {
  return queryRows<AreaLevel>(
    db,
    sql`select name, depth, label, label_en from area_levels order by depth`,
  );
}

/** Creates the level when new (at the given depth, or below the deepest) and updates its labels. */
async function ensureLevel(tx: AppDatabase, level: LevelDefinition): Promise<void> {
  const [existing] = await queryRows<AreaLevel>(
    tx,
    sql`select name, depth, label, label_en from area_levels where name = ${level.name}`,
  );
  if (existing) {
    if (level.depth !== undefined && level.depth !== existing.depth) {
      throw new AreaDataError(
        `level "${level.name}" is already loaded at depth ${existing.depth}, not ${level.depth}`,
      );
    }
    if (level.label !== undefined || level.label_en !== undefined) {
      await tx.execute(
        sql`update area_levels set label = ${level.label ?? existing.label},
              label_en = ${level.label_en === undefined ? existing.label_en : level.label_en}
            where name = ${level.name}`,
      );
    }
    return;
  }
  const [{ next }] = (await queryRows<{ next: number }>(
    tx,
    sql`select coalesce(max(depth) + 1, 0)::int as next from area_levels`,
  )) as [{ next: number }];
  const depth = level.depth ?? next;
  const [taken] = await queryRows<{ name: string }>(
    tx,
    sql`select name from area_levels where depth = ${depth}`,
  );
  if (taken) throw new AreaDataError(`depth ${depth} is already the level "${taken.name}"`);
  await tx.execute(
    sql`insert into area_levels (name, depth, label, label_en)
        values (${level.name}, ${depth}, ${level.label ?? level.name}, ${level.label_en ?? null})`,
  );
}

/**
 * Replaces every area of one level in a single transaction (readers see the old set or the new one,
 * never a mix). Areas without a parent code get the area of the level above that contains their
 * point on surface. Station areas are re-derived in the same transaction. Throws, changing nothing,
 * when a code is already used by another level or a given parent does not exist.
 */
export async function replaceAreas(
  db: AppDatabase,
  level: LevelDefinition,
  records: AreaRecord[],
  source: string,
): Promise<{ loaded: number; withoutParent: number }> {
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as AppDatabase;
    await ensureLevel(tx, level);
    await tx.execute(sql`delete from areas where level = ${level.name}`);
    for (let i = 0; i < records.length; i += BATCH) {
      const values = sql.join(
        records.slice(i, i + BATCH).map((r) => {
          // ST_MakeValid: boundary files derived from quantised sources can self-intersect.
          const geom = sql`ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${geoJsonText(r.geometry)}), 4326)), 3))`;
          return sql`(${r.code}, ${level.name}, ${r.parent_code ?? null}, ${r.name}, ${r.name_en ?? null}, ${r.pinyin ?? null}, ${source}, ${geom})`;
        }),
        sql`, `,
      );
      const clash = await queryRows<{ code: string; level: string }>(
        tx,
        sql`select code, level from areas
            where code in (select jsonb_array_elements_text(${JSON.stringify(records.slice(i, i + BATCH).map((r) => r.code))}::jsonb))`,
      );
      if (clash.length) {
        throw new AreaDataError(
          `area code ${clash[0]!.code} is already used by the level "${clash[0]!.level}": codes are unique across levels`,
        );
      }
      await tx.execute(
        sql`insert into areas (code, level, parent_code, name, name_en, pinyin, source, geom) values ${values}`,
      );
    }
    await assignParents(tx, level.name);
    await reattachChildren(tx, level.name);
    await tx.execute(sql`update stations set geom = geom`);
    const [counts] = await queryRows<{ loaded: number; without_parent: number }>(
      tx,
      sql`select count(*)::int as loaded, count(*) filter (where parent_code is null)::int as without_parent
          from areas where level = ${level.name}`,
    );
    return { loaded: counts!.loaded, withoutParent: counts!.without_parent };
  });
}

/**
 * Given parents must exist at the level above; missing ones are found spatially there. Children of
 * this level (the level below) whose parent was spatial are re-attached too.
 */
async function assignParents(tx: AppDatabase, level: string): Promise<void> {
  const [missing] = await queryRows<{ code: string; parent_code: string }>(
    tx,
    sql`select a.code, a.parent_code from areas a
        where a.level = ${level} and a.parent_code is not null
          and not exists (select 1 from areas p where p.code = a.parent_code)
        limit 1`,
  );
  if (missing) {
    throw new AreaDataError(
      `area ${missing.code}: its parent ${missing.parent_code} is not loaded; import the level above first`,
    );
  }
  await tx.execute(
    sql`with above as (
          select l.name from area_levels l
          where l.depth < (select depth from area_levels where name = ${level})
          order by l.depth desc limit 1
        )
        update areas a set parent_code = (
          select p.code from areas p
          where p.level = (select name from above)
            and ST_Intersects(p.geom, ST_PointOnSurface(a.geom))
          order by p.code limit 1
        )
        where a.level = ${level} and a.parent_code is null`,
  );
}

/** The level below `level` re-finds parents that are gone (spatially) after `level` was replaced. */
export async function reattachChildren(db: AppDatabase, level: string): Promise<void> {
  const [below] = await queryRows<{ name: string }>(
    db,
    sql`select name from area_levels
        where depth > (select depth from area_levels where name = ${level}) order by depth limit 1`,
  );
  if (!below) return;
  await db.execute(
    sql`update areas a set parent_code = null
        where a.level = ${below.name} and a.parent_code is not null
          and not exists (select 1 from areas p where p.code = a.parent_code)`,
  );
  await assignParents(db, below.name);
}

/** The bounding box of every loaded area, or null when none is loaded. */
export async function regionExtent(db: AppDatabase): Promise<Extent | null> {
  const [row] = await queryRows<{ e: [number, number, number, number] | null }>(
    db,
    sql`select case when e is null then null
                else json_build_array(ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)) end as e
        from (select ST_Extent(geom)::box2d as e from areas) x`,
  );
  const e = row?.e;
  return e ? (e.map((v) => Number(Number(v).toFixed(6))) as Extent) : null;
}

export interface LevelSummary extends AreaLevel {
  count: number;
  extent: Extent | null;
}

/** Each level with its area count and extent. */
export async function summariseLevels(db: AppDatabase): Promise<LevelSummary[]> {
  const rows = await queryRows<AreaLevel & { count: number; e: number[] | null }>(
    db,
    sql`select l.name, l.depth, l.label, l.label_en, count(a.code)::int as count,
          case when count(a.code) = 0 then null else
            json_build_array(ST_XMin(ST_Extent(a.geom)), ST_YMin(ST_Extent(a.geom)),
                             ST_XMax(ST_Extent(a.geom)), ST_YMax(ST_Extent(a.geom))) end as e
        from area_levels l left join areas a on a.level = l.name
        group by l.name, l.depth, l.label, l.label_en order by l.depth`,
  );
  return rows.map(({ e, ...level }) => ({
    ...level,
    extent: e ? (e.map((v) => Number(Number(v).toFixed(6))) as Extent) : null,
  }));
}

/** The single area of the top level (the deployment's city), if there is exactly one. */
export async function topArea(
  db: AppDatabase,
): Promise<{ code: string; name: string; name_en: string | null } | null> {
  const rows = await queryRows<{ code: string; name: string; name_en: string | null }>(
    db,
    sql`select a.code, a.name, a.name_en from areas a
        where a.level = (select name from area_levels order by depth limit 1)
        order by a.code limit 2`,
  );
  return rows.length === 1 ? rows[0]! : null;
}

/** Each level's name, depth and number of areas, top level first (a cheap count, no geometry). */
export async function countAreasPerLevel(
  db: AppDatabase,
): Promise<{ name: string; depth: number; count: number }[]> {
  return queryRows<{ name: string; depth: number; count: number }>(
    db,
    sql`select l.name, l.depth, count(a.code)::int as count
        from area_levels l left join areas a on a.level = l.name
        group by l.name, l.depth order by l.depth`,
  );
}

export async function findArea(
  db: AppDatabase,
  code: string,
): Promise<{ code: string; level: string } | null> {
  const [row] = await queryRows<{ code: string; level: string }>(
    db,
    sql`select code, level from areas where code = ${code}`,
  );
  return row ?? null;
}

export async function levelExists(db: AppDatabase, level: string): Promise<boolean> {
  const rows = await queryRows(db, sql`select 1 from area_levels where name = ${level}`);
  return rows.length > 0;
}

/**
 * Adds (or replaces) one area whose outline is the union of every area of `childLevel`, and makes
 * it their parent: e.g. a city above the districts that were loaded without one.
 */
export async function addUnionArea(
  db: AppDatabase,
  level: LevelDefinition,
  area: Omit<AreaRecord, 'geometry' | 'parent_code'>,
  childLevel: string,
  source: string,
): Promise<void> {
  await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as AppDatabase;
    await ensureLevel(tx, level);
    await tx.execute(sql`delete from areas where level = ${level.name}`);
    await tx.execute(
      sql`insert into areas (code, level, parent_code, name, name_en, pinyin, source, geom)
          select ${area.code}, ${level.name}, null, ${area.name}, ${area.name_en ?? null},
                 ${area.pinyin ?? null}, ${source},
                 ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(geom)), 3))
          from areas where level = ${childLevel}
          having count(*) > 0`,
    );
    await tx.execute(
      sql`update areas set parent_code = ${area.code} where level = ${childLevel}`,
    );
    await tx.execute(sql`update stations set geom = geom`);
  });
}
