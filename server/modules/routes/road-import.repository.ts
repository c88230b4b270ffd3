/**
 * Replaces the whole road network. Rows go into staging tables (`road_*_next`, same definition and
 * indexes as the live ones, via `LIKE … INCLUDING ALL`) in batches; one transaction then drops the
 * live tables and renames the staging ones — and their indexes — into place. Readers see the old
 * network or the new one, never a mix, and any failure before the swap leaves the old one intact.
 */
import { queryRows, sql, type AppDatabase } from '../../db/client.js';
import type { RoadNetworkRows } from '../../routing/graph-builder.js';
import { CH_FORMAT } from '../../routing/contraction/serialize.js';
import { insertRoadHierarchies, type StoredHierarchy } from './road-hierarchy.repository.js';

export interface ImportWriteProgress {
  stage: 'nodes' | 'edges' | 'swap';
  done: number;
  total: number;
}

export interface RoadNetworkMeta {
  name: string;
  source: string;
  /**
   * Contraction hierarchies of the new network, stored in the swap's transaction so no instance
   * ever sees the network without them. A promise, because they are built in worker threads while
   * the rows are written; awaited just before the swap.
   */
  hierarchies?: PromiseLike<readonly StoredHierarchy[]>;
}

/** Rows per INSERT: large enough to amortise round trips, small enough to keep each JSON modest. */
const BATCH_ROWS = 5_000;
const SWAPPED_TABLES = ['road_nodes', 'road_edges'] as const;

export async function replaceRoadNetwork(
  db: AppDatabase,
  network: RoadNetworkRows,
  meta: RoadNetworkMeta,
  onProgress: (progress: ImportWriteProgress) => void = () => {},
): Promise<{ networkId: number }> {
  if (network.edges.length === 0) {
    throw new Error('Refusing to replace the road network with one that has no routable edges');
  }
  // Table names below are constants of this module, never input.
  for (const table of SWAPPED_TABLES) {
    await db.execute(sql.raw(`drop table if exists ${table}_next`));
    await db.execute(sql.raw(`create table ${table}_next (like ${table} including all)`));
  }
  try {
    await insertInBatches(db, network.nodes, 'nodes', onProgress, (batch) => {
      const json = JSON.stringify(
        batch.map((n) => ({ id: n.id, osm_id: n.osmId, lng: n.lng, lat: n.lat })),
      );
      return sql`insert into road_nodes_next (id, osm_id, geom)
        select r.id, r.osm_id, ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326)
        from json_to_recordset(${json}::json)
          as r(id integer, osm_id bigint, lng double precision, lat double precision)`;
    });
    await insertInBatches(db, network.edges, 'edges', onProgress, (batch) => {
      const json = JSON.stringify(
        batch.map((e) => ({
          ...e,
          geom: { type: 'LineString', coordinates: e.coordinates },
          coordinates: undefined,
        })),
      );
      return sql`insert into road_edges_next (id, source, target, geom, length_m, name, highway,
          osm_way_id, walk_fwd_s, walk_bwd_s, bike_fwd_s, bike_bwd_s, drive_fwd_s, drive_bwd_s)
        select r.id, r.source, r.target, ST_SetSRID(ST_GeomFromGeoJSON(r.geom::text), 4326),
          r."lengthM", r.name, r.highway, r."osmWayId", r."walkFwdS", r."walkBwdS", r."bikeFwdS",
          r."bikeBwdS", r."driveFwdS", r."driveBwdS"
        from json_to_recordset(${json}::json) as r(id integer, source integer, target integer,
          geom json, "lengthM" real, name text, highway text, "osmWayId" bigint, "walkFwdS" real,
          "walkBwdS" real, "bikeFwdS" real, "bikeBwdS" real, "driveFwdS" real, "driveBwdS" real)`;
    });

    const hierarchies = (await meta.hierarchies) ?? [];
    onProgress({ stage: 'swap', done: 0, total: 1 });
    const networkId = await db.transaction(async (tx) => {
      const txDb = tx as unknown as AppDatabase;
      for (const table of SWAPPED_TABLES) await swapTable(txDb, table);
      await txDb.execute(sql`delete from road_networks`);
      const [row] = await queryRows<{ id: number }>(
        txDb,
        sql`insert into road_networks (name, source, bbox, node_count, edge_count)
            select ${meta.name}, ${meta.source}, ST_Envelope(ST_Collect(geom)),
                   ${network.nodes.length}, ${network.edges.length}
            from road_nodes
            returning id`,
      );
      await insertRoadHierarchies(txDb, row.id, CH_FORMAT, hierarchies);
      return row.id;
    });
    onProgress({ stage: 'swap', done: 1, total: 1 });
    return { networkId };
  } catch (error) {
    for (const table of SWAPPED_TABLES) {
      await db.execute(sql.raw(`drop table if exists ${table}_next`)).catch(() => {});
    }
    throw error;
  }
}

async function insertInBatches<T>(
  db: AppDatabase,
  rows: readonly T[],
  stage: ImportWriteProgress['stage'],
  onProgress: (progress: ImportWriteProgress) => void,
  insert: (batch: readonly T[]) => ReturnType<typeof sql>,
): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const batch = rows.slice(start, start + BATCH_ROWS);
    await db.execute(insert(batch));
    onProgress({ stage, done: start + batch.length, total: rows.length });
  }
}

/**
 * Drops `table` and renames `table_next` into its place, giving each staged index the name of the
 * live index with the same definition, so later migrations find the names drizzle-kit expects.
 */
async function swapTable(db: AppDatabase, table: (typeof SWAPPED_TABLES)[number]): Promise<void> {
  const indexes = await queryRows<{ tablename: string; indexname: string; indexdef: string }>(
    db,
    sql`select tablename, indexname, indexdef from pg_indexes
        where schemaname = current_schema() and tablename in (${table}, ${`${table}_next`})`,
  );
  // "CREATE UNIQUE INDEX road_edges_pkey ON public.road_edges USING btree (id)" → shape only.
  const shape = (definition: string) => definition.replace(/ INDEX \S+ ON \S+ /, ' INDEX ON ');
  const live = indexes.filter((i) => i.tablename === table);
  const staged = indexes.filter((i) => i.tablename !== table);
  const renames = live.map((index) => {
    const match = staged.find((s) => shape(s.indexdef) === shape(index.indexdef));
    if (!match) throw new Error(`Staged ${table} has no index matching ${index.indexname}`);
    return { from: match.indexname, to: index.indexname };
  });

  await db.execute(sql.raw(`drop table ${table}`));
  await db.execute(sql.raw(`alter table ${table}_next rename to ${table}`));
  for (const { from, to } of renames) {
    // Index names come from the catalog, not from input; still, only plain identifiers go raw.
    if (![from, to].every((name) => /^[a-z_][a-z0-9_]*$/.test(name))) {
      throw new Error(`Unexpected index name while swapping ${table}: ${from} → ${to}`);
    }
    await db.execute(sql.raw(`alter index ${from} rename to ${to}`));
  }
}
