import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';
import type { PopulationSlot } from '../../db/schema/demand.js';

export interface DemandLayerRecord {
  id: number;
  name: string;
  description: string | null;
  weight_label: string | null;
  source: string | null;
  point_count: number;
  total_weight: number;
  created_at: string;
  /** points (demand_points) or population (a raster's cells with a weight per slot). */
  kind: 'points' | 'population';
  cell_m: number | null;
  slots: PopulationSlot[];
  citation: string | null;
  /** True while a background load is still writing the layer's cells. */
  loading: boolean;
  /** Why an uploaded raster failed to load (then `loading` stays true and it is never counted). */
  load_error: string | null;
}

export interface NewDemandPoint {
  lng: number;
  lat: number;
  weight: number;
  name: string | null;
}

const LAYER_COLUMNS = sql`id, name, description, weight_label, source, point_count,
  total_weight::float8 as total_weight, to_json(created_at) #>> '{}' as created_at,
  kind, cell_m::float8 as cell_m, slots, citation, loaded_at is null as loading,
  -- An upload still loading after 30 minutes was cut short (a job takes seconds to a minute; the
  -- instance reading it stopped): said as failed, so nobody waits for it.
  coalesce(load_error, case when source = 'upload' and loaded_at is null
    and created_at < now() - interval '30 minutes'
    then 'The upload was interrupted (the server stopped while reading it); delete it and upload again | 上传被中断（服务器读取时停止），请删除后重新上传' end) as load_error`;

/** Creates a layer with all its points in one transaction: a failed upload leaves nothing. */
export async function insertDemandLayer(
  db: AppDatabase,
  layer: {
    name: string;
    description: string | null;
    weight_label: string | null;
    source: string | null;
  },
  points: NewDemandPoint[],
): Promise<DemandLayerRecord> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as AppDatabase;
    const total = points.reduce((sum, p) => sum + p.weight, 0);
    const [row] = await queryRows<{ id: number }>(
      t,
      sql`insert into demand_layers (name, description, weight_label, source, point_count, total_weight)
          values (${layer.name}, ${layer.description}, ${layer.weight_label}, ${layer.source},
                  ${points.length}, ${total}) returning id`,
    );
    for (let i = 0; i < points.length; i += 500) {
      const chunk = points.slice(i, i + 500);
      await t.execute(
        sql`insert into demand_points (layer_id, name, weight, geom) values ${sql.join(
          chunk.map(
            (p) =>
              sql`(${row!.id}, ${p.name}, ${p.weight}, ST_SetSRID(ST_MakePoint(${p.lng}, ${p.lat}), 4326))`,
          ),
          sql`, `,
        )}`,
      );
    }
    const [created] = await queryRows<DemandLayerRecord>(
      t,
      sql`select ${LAYER_COLUMNS} from demand_layers where id = ${row!.id}`,
    );
    return created!;
  });
}

export async function listDemandLayers(db: AppDatabase): Promise<DemandLayerRecord[]> {
  return queryRows<DemandLayerRecord>(
    db,
    sql`select ${LAYER_COLUMNS} from demand_layers order by id`,
  );
}

export async function findDemandLayer(
  db: AppDatabase,
  id: number,
): Promise<DemandLayerRecord | null> {
  const rows = await queryRows<DemandLayerRecord>(
    db,
    sql`select ${LAYER_COLUMNS} from demand_layers where id = ${id}`,
  );
  return rows[0] ?? null;
}

/** Deletes a layer and (by cascade) its points; false when there was none. */
export async function deleteDemandLayer(db: AppDatabase, id: number): Promise<boolean> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`delete from demand_layers where id = ${id} returning id`,
  );
  return rows.length > 0;
}

export interface DemandPointRow {
  id: number;
  lng: number;
  lat: number;
  weight: number;
}

/** A layer's points, optionally only those inside the given areas' union (by table and codes). */
export async function listDemandPoints(
  db: AppDatabase,
  layerId: number,
): Promise<DemandPointRow[]> {
  return queryRows<DemandPointRow>(
    db,
    sql`select id, ST_X(geom) as lng, ST_Y(geom) as lat, weight::float8 as weight
        from demand_points where layer_id = ${layerId} order by id`,
  );
}
