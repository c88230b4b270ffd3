/**
 * Stored contraction hierarchies (`road_hierarchies`), one row per network and profile, as bytea.
 * Both drivers hand bytea over as bytes (pg: Buffer, PGlite: Uint8Array); values go as parameters.
 */
import { queryRows, sql, type AppDatabase } from '../../db/client.js';
import { PROFILES, type ProfileName } from '../../routing/profiles.js';

export interface StoredHierarchy {
  profile: ProfileName;
  data: Uint8Array;
  buildMs: number;
}

/**
 * Stores hierarchies of `networkId`, keeping any already stored (another instance may have built
 * the same one meanwhile). Writes nothing when the network is no longer there (replaced while the
 * hierarchy was being built), so a late build never fails on the foreign key.
 */
export async function insertRoadHierarchies(
  db: AppDatabase,
  networkId: number,
  format: number,
  hierarchies: readonly StoredHierarchy[],
): Promise<void> {
  for (const { profile, data, buildMs } of hierarchies) {
    if (!PROFILES.includes(profile)) throw new Error(`Unknown profile: ${profile}`);
    // A Buffer is what pg sends as bytea; PGlite takes any Uint8Array (a Buffer is one).
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    await db.execute(
      sql`insert into road_hierarchies (network_id, profile, format, build_ms, bytes, data)
          select ${networkId}, ${profile}, ${format}, ${buildMs}, ${bytes.byteLength}, ${bytes}
          where exists (select 1 from road_networks where id = ${networkId})
          on conflict (network_id, profile) do nothing`,
    );
  }
}

/** The hierarchies stored for `networkId` in `format`; other formats are ignored. */
export async function findRoadHierarchies(
  db: AppDatabase,
  networkId: number,
  format: number,
): Promise<StoredHierarchy[]> {
  const rows = await queryRows<{ profile: ProfileName; data: Uint8Array; build_ms: number }>(
    db,
    sql`select profile, data, build_ms from road_hierarchies
        where network_id = ${networkId} and format = ${format}`,
  );
  return rows.map((row) => ({ profile: row.profile, data: row.data, buildMs: row.build_ms }));
}
