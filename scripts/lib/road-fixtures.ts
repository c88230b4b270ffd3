import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../server/db/client.js';
import { importOsmRoadNetwork } from '../../server/modules/routes/road-import.service.js';

/**
 * Imports a real OSM extract and moves the whole network so its centre lands inside a Beijing
 * district: real road topology where our boundaries and stations are, since no Beijing extract is
 * reachable offline. Returns the shift applied, in degrees.
 */
export async function importNetworkIntoDistrict(
  db: AppDatabase,
  extractFile: string,
  districtCode: string,
): Promise<{ dx: number; dy: number }> {
  await importOsmRoadNetwork(db, extractFile);
  const [shift] = await queryRows<{ dx: number; dy: number }>(
    db,
    sql`select ST_X(p) - ST_X(c) as dx, ST_Y(p) - ST_Y(c) as dy
        from (select ST_PointOnSurface(geom) as p from districts where code = ${districtCode}) d,
             (select ST_Centroid(ST_Extent(geom)::geometry) as c from road_edges) e`,
  );
  if (!shift || shift.dx === null) throw new Error(`District not found: ${districtCode}`);
  await db.execute(sql`update road_edges set geom = ST_Translate(geom, ${shift.dx}, ${shift.dy})`);
  await db.execute(sql`update road_nodes set geom = ST_Translate(geom, ${shift.dx}, ${shift.dy})`);
  await db.execute(
    sql`update road_networks set bbox = ST_Translate(bbox, ${shift.dx}, ${shift.dy})`,
  );
  return shift;
}
