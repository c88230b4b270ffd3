/**
 * What the station mirror reads: the stations changed since a change-log version, in one statement
 * (one snapshot) together with the version it brings the mirror to.
 *
 * Every transaction that writes stations appends one row to `station_change_log` as it commits
 * (a deferred trigger; migration 0006), numbered under a row lock taken last, so versions are
 * assigned in commit order: a snapshot that sees version V sees every transaction up to V. Each
 * station row carries the id of the transaction that last wrote it (`data_xid`), so "changed since
 * V" is "written by a transaction logged after V". Deletions leave a tombstone; TRUNCATE logs a
 * reset, after which a mirror reloads everything. Each log entry also sends a notification on
 * `station_changes`, so a listening mirror need not ask at all until one arrives.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';
import { STATION_COLUMNS, type StationRecord } from './stations.repository.js';

export interface ChangeVersion {
  /** The last change-log version committed. */
  version: number;
  /** The current road network (as `findCurrentRoadNetwork` picks it), null when none is imported. */
  roadNetworkId: number | null;
}

/** The check a mirror makes before use: two single-row reads, a fraction of a millisecond. */
export async function readChangeVersion(db: AppDatabase): Promise<ChangeVersion> {
  const [row] = await queryRows<{ version: string; road_network_id: number | null }>(
    db,
    sql`select c.version::text as version,
          (select id from road_networks order by imported_at desc limit 1) as road_network_id
        from station_change_counter c`,
  );
  if (!row) throw new Error('station_change_counter is empty: migration 0006 has not run');
  return {
    version: Number(row.version),
    roadNetworkId: row.road_network_id === null ? null : Number(row.road_network_id),
  };
}

export interface StationChanges {
  /** The change-log version this read brings a mirror to. */
  version: number;
  /** A TRUNCATE was logged after `since`: what the mirror holds is void. */
  reset: boolean;
  /** Stations written after `since`, in id order, at most `limit`, with ids above `afterId`. */
  changed: StationRecord[];
  /** Ids of stations deleted after `since`. */
  removedIds: number[];
}

/** Everything: a mirror starting from nothing reads all stations, in id-ordered chunks. */
export const FROM_THE_START = -1;

/** Stations changed after version `since` (all of them from `FROM_THE_START`), in one snapshot. */
export async function readStationChanges(
  db: AppDatabase,
  since: number,
  afterId: number,
  limit: number,
): Promise<StationChanges> {
  const everything = since === FROM_THE_START;
  const newer = sql`(select l.xid from station_change_log l where l.version > ${since})`;
  const [row] = await queryRows<{
    version: string;
    reset: boolean | null;
    changed: string;
    removed: string;
  }>(
    db,
    sql`select c.version::text as version,
          (select bool_or(l.reset) from station_change_log l where l.version > ${since}) as reset,
          (select coalesce(json_agg(page order by page.id), '[]')::text from (
             select ${STATION_COLUMNS} from stations s
             where s.id > ${afterId} ${everything ? sql`` : sql`and s.data_xid in ${newer}`}
             order by s.id limit ${limit}
           ) page) as changed,
          ${
            everything
              ? sql`'[]'`
              : sql`(select coalesce(json_agg(t.station_id), '[]')::text
                     from station_tombstones t where t.xid in ${newer})`
          } as removed
        from station_change_counter c`,
  );
  if (!row) throw new Error('station_change_counter is empty: migration 0006 has not run');
  return {
    version: Number(row.version),
    reset: !everything && row.reset === true,
    changed: JSON.parse(row.changed) as StationRecord[],
    removedIds: JSON.parse(row.removed) as number[],
  };
}
