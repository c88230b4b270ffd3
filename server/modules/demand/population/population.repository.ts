/**
 * Population layers in the database: a layer row (kind 'population', its slots) and one
 * demand_cells row per non-empty cell. Written in one transaction (a failed import leaves
 * nothing), read back one slot at a time (a coverage question needs one hour, not all 36).
 */
import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../../db/client.js';
import type { PopulationSlot } from '../../../db/schema/demand.js';
import { areasCte, type AreaScope } from '../../coverage/coverage.repository.js';
import type { PopulationSet } from './population-set.js';
import { sharedArray } from '../../../work/shared-memory.js';

/** Rows per insert statement: ~36 weights each, so a statement stays well under a megabyte. */
const BATCH_ROWS = 4000;

const floats = (values: ArrayLike<number>) => `{${Array.prototype.join.call(values, ',')}}`;

export interface NewPopulationLayer {
  name: string;
  description: string | null;
  source: string | null;
  citation: string | null;
}

/** Writes a layer and all its cells in one transaction: a failed import leaves nothing. */
export async function insertPopulationLayer(
  db: AppDatabase,
  layer: NewPopulationLayer,
  set: PopulationSet,
): Promise<number> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as AppDatabase;
    const id = await insertLayerRow(t, layer, set, true);
    for (let start = 0; start < set.cells.length; start += BATCH_ROWS) {
      await insertCells(t, id, set, start, Math.min(set.cells.length, start + BATCH_ROWS));
    }
    return id;
  });
}

/**
 * The layer row; `loaded` false marks it as still loading (coverage refuses it) until
 * `markLoaded`, for a background load written in many short statements.
 */
export async function insertLayerRow(
  db: AppDatabase,
  layer: NewPopulationLayer,
  set: PopulationSet,
  loaded: boolean,
): Promise<number> {
  const total = Math.max(...set.slots.map((s) => s.total));
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`insert into demand_layers (name, description, weight_label, source, point_count, total_weight,
          kind, cell_m, slots, source_crs, citation, loaded_at)
        values (${layer.name}, ${layer.description}, 'people', ${layer.source}, ${set.cells.length},
          ${total}, 'population', ${set.cellM}, ${JSON.stringify(set.slots)}::jsonb, ${set.crs},
          ${layer.citation}, ${loaded ? sql`now()` : sql`null`})
        returning id`,
  );
  return row!.id;
}

/** Cells [start, end) of the set. */
export async function insertCells(
  db: AppDatabase,
  id: number,
  set: PopulationSet,
  start: number,
  end: number,
): Promise<void> {
  const S = set.slots.length;
  // Coordinates rounded to 1e-7° (~1 cm), weights as float4: the text stays compact.
  const xs = Array.from(set.lngs.subarray(start, end), (v) => v.toFixed(7));
  const ys = Array.from(set.lats.subarray(start, end), (v) => v.toFixed(7));
  await db.execute(
    sql`insert into demand_cells (layer_id, cell, geom, weights)
      select ${id}, c.cell, ST_SetSRID(ST_MakePoint(c.x, c.y), 4326),
        (${floats(set.weights.subarray(start * S, end * S))}::real[])[(c.k - 1) * ${S} + 1 : c.k * ${S}]
      from unnest(${floats(set.cells.subarray(start, end))}::int[], ${`{${xs.join(',')}}`}::float8[],
        ${`{${ys.join(',')}}`}::float8[]) with ordinality as c(cell, x, y, k)`,
  );
}

/** An uploaded raster's layer row, loading until its job writes the cells (or fails). */
export async function insertUploadRow(
  db: AppDatabase,
  layer: { name: string; description: string | null; citation: string | null; crs: string },
): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`insert into demand_layers (name, description, weight_label, source, point_count, total_weight,
          kind, slots, source_crs, citation, loaded_at)
        values (${layer.name}, ${layer.description}, 'people', 'upload', 0, 0, 'population', '[]'::jsonb,
          ${layer.crs}, ${layer.citation}, null)
        returning id`,
  );
  return row!.id;
}

/**
 * An upload's cells and its row's figures in one transaction. `created_at` moves to now: it is
 * part of the layer's version (answers cached for the loading row never match the loaded one).
 */
export async function finishUpload(db: AppDatabase, id: number, set: PopulationSet): Promise<void> {
  await db.transaction(async (tx) => {
    const t = tx as unknown as AppDatabase;
    for (let start = 0; start < set.cells.length; start += BATCH_ROWS) {
      await insertCells(t, id, set, start, Math.min(set.cells.length, start + BATCH_ROWS));
    }
    const total = Math.max(...set.slots.map((s) => s.total));
    await t.execute(
      sql`update demand_layers set point_count = ${set.cells.length}, total_weight = ${total},
            cell_m = ${set.cellM}, slots = ${JSON.stringify(set.slots)}::jsonb, source_crs = ${set.crs},
            loaded_at = now(), created_at = now()
          where id = ${id}`,
    );
  });
}

/** Why an upload failed; the row stays (loading, never counted) until someone deletes it. */
export async function failUpload(db: AppDatabase, id: number, message: string): Promise<void> {
  await db.execute(sql`update demand_layers set load_error = ${message.slice(0, 1000)} where id = ${id}`);
}

export async function markLoaded(db: AppDatabase, id: number): Promise<void> {
  await db.execute(sql`update demand_layers set loaded_at = now() where id = ${id}`);
}

/** Population layers named `name`, loaded or not (the first-start seed looks for its own). */
export async function findPopulationLayersNamed(
  db: AppDatabase,
  name: string,
): Promise<Array<{ id: number; loading: boolean; age_s: number }>> {
  return queryRows(
    db,
    sql`select id, loaded_at is null as loading, extract(epoch from now() - created_at)::float8 as age_s
        from demand_layers where kind = 'population' and name = ${name} order by id`,
  );
}

/** Bytes the layer's cells take on disk (table and its indexes' share, estimated from the table). */
export async function demandCellsBytes(db: AppDatabase): Promise<number> {
  const [row] = await queryRows<{ bytes: number }>(
    db,
    sql`select pg_total_relation_size('demand_cells')::float8 as bytes`,
  );
  return row!.bytes;
}

export interface CellPositions {
  cells: Int32Array;
  lngs: Float64Array;
  lats: Float64Array;
}

/** Every cell's centre, in cell order. */
export async function loadCellPositions(db: AppDatabase, layerId: number): Promise<CellPositions> {
  // Three text values instead of ~435 k rows: 13 s → about 2 s on PGlite.
  const [row] = await queryRows<{ c: string | null; x: string | null; y: string | null }>(
    db,
    sql`select string_agg(cell::text, ',' order by cell) as c,
          string_agg(round(ST_X(geom)::numeric, 7)::text, ',' order by cell) as x,
          string_agg(round(ST_Y(geom)::numeric, 7)::text, ',' order by cell) as y
        from demand_cells where layer_id = ${layerId}`,
  );
  const c = row?.c ? row.c.split(',') : [];
  const x = row?.x ? row.x.split(',') : [];
  const y = row?.y ? row.y.split(',') : [];
  const cells = sharedArray(Int32Array, c.length);
  const lngs = sharedArray(Float64Array, c.length);
  const lats = sharedArray(Float64Array, c.length);
  for (let i = 0; i < c.length; i++)
    ((cells[i] = Number(c[i])), (lngs[i] = Number(x[i])), (lats[i] = Number(y[i])));
  return { cells, lngs, lats };
}

/** One slot's people per cell, in cell order (slot is 0-based). */
export async function loadSlotWeights(
  db: AppDatabase,
  layerId: number,
  slot: number,
): Promise<Float32Array> {
  // One text value instead of ~350 k rows: the drivers parse one string much faster.
  const [row] = await queryRows<{ w: string | null }>(
    db,
    sql`select string_agg(weights[${slot + 1}]::text, ',' order by cell) as w
        from demand_cells where layer_id = ${layerId}`,
  );
  const parts = row?.w ? row.w.split(',') : [];
  const weights = sharedArray(Float32Array, parts.length);
  for (let i = 0; i < parts.length; i++) weights[i] = Number(parts[i]);
  return weights;
}

/** The outlines of a level's areas, sorted by code, as GeoJSON (made valid once). */
export async function levelOutlines(
  db: AppDatabase,
  level: string,
): Promise<Array<{ code: string; shape: { type: string; coordinates: unknown } }>> {
  return queryRows(
    db,
    sql`with ${areasCte({ level } satisfies AreaScope)}
      select code, ST_AsGeoJSON(ST_CollectionExtract(geom, 3))::json as shape from areas order by code`,
  );
}

export type { PopulationSlot };
