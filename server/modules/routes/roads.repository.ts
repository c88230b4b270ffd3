/**
 * Reads road edges for drawing: those whose geometry meets a box, through the GiST index on
 * `road_edges.geom` (the box is built in the column's SRID, never the column transformed).
 */
import { queryRows, sql, type AppDatabase } from '../../db/client.js';

export type LngLatBox = [minLng: number, minLat: number, maxLng: number, maxLat: number];

export interface RoadRow {
  id: number;
  name: string | null;
  highway: string;
  geometry: { type: 'LineString'; coordinates: [number, number][] };
}

/** Coordinates to 6 decimals (≈ 0.1 m): enough to draw, a third smaller than full doubles. */
const GEOJSON_DECIMALS = 6;

/**
 * Edges meeting any of `boxes` (two when a box crosses the antimeridian), most important class
 * first so that a `limit` drops footpaths before main roads, then by id for a stable order.
 */
export async function findRoadsInBoxes(
  db: AppDatabase,
  boxes: LngLatBox[],
  limit: number,
): Promise<RoadRow[]> {
  const envelopes = boxes.map(
    ([minLng, minLat, maxLng, maxLat]) =>
      sql`geom && ST_MakeEnvelope(${minLng}, ${minLat}, ${maxLng}, ${maxLat}, 4326)`,
  );
  const rows = await queryRows<{
    id: number;
    name: string | null;
    highway: string;
    geometry: RoadRow['geometry'] | string;
  }>(
    db,
    sql`select id, name, highway, ST_AsGeoJSON(geom, ${GEOJSON_DECIMALS})::json as geometry
        from road_edges
        where ${sql.join(envelopes, sql` or `)}
        order by case
                   when highway in ('motorway', 'trunk', 'primary', 'motorway_link', 'trunk_link',
                                    'primary_link') then 0
                   when highway in ('secondary', 'tertiary', 'secondary_link', 'tertiary_link') then 1
                   when highway in ('residential', 'unclassified', 'living_street', 'road') then 2
                   when highway = 'service' then 3
                   else 4
                 end, id
        limit ${limit}`,
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    highway: row.highway,
    geometry: typeof row.geometry === 'string' ? JSON.parse(row.geometry) : row.geometry,
  }));
}
