import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';
import type { FieldChange } from '../../db/schema/station-changes.js';
import type { EditableField, StationValues } from './station-diff.js';
import { STATION_COLUMNS, type StationRecord } from './stations.repository.js';

export type ChangeAction = 'create' | 'update' | 'verify' | 'revert' | 'delete' | 'import';

export interface StationChangeRecord {
  id: number;
  station_id: number;
  user_id: number | null;
  username: string;
  action: ChangeAction;
  changes: Record<string, FieldChange>;
  version: number;
  revert_of: number | null;
  created_at: string;
}

const json = (value: unknown) => sql`${JSON.stringify(value ?? null)}::jsonb`;

// Column per editable field; values always go in as parameters.
const SETTERS: Record<EditableField, (value: any) => SQL> = {
  name: (v) => sql`name = ${v}`,
  name_en: (v) => sql`name_en = ${v}`,
  kind: (v) => sql`kind = ${v}`,
  address: (v) => sql`address = ${v}`,
  location: ([lng, lat]: [number, number]) => sql`geom = ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326)`,
  amenities: (v) => sql`amenities = ${json(v ?? {})}`,
  opening_hours: (v) => sql`opening_hours = ${v}`,
  hours_overrides: (v) => sql`hours_overrides = ${json(v ?? [])}`,
  closures: (v) => sql`closures = ${json(v ?? [])}`,
  phone: (v) => sql`phone = ${v}`,
  seats: (v) => sql`seats = ${v}`,
  location_note: (v) => sql`location_note = ${v}`,
  verified_at: (v) => sql`verified_at = ${v}::timestamptz`,
};

/** Reads a station and locks its row until the transaction ends (concurrent edits queue here). */
export async function lockStation(tx: AppDatabase, id: number): Promise<StationRecord | null> {
  const rows = await queryRows<StationRecord>(
    tx,
    sql`select ${STATION_COLUMNS} from stations s where s.id = ${id} for update`,
  );
  return rows[0] ?? null;
}

/** Writes the given fields and bumps the version; the trigger re-derives areas when geom moves. */
export async function updateStationValues(
  tx: AppDatabase,
  id: number,
  values: StationValues,
): Promise<StationRecord> {
  const sets = Object.entries(values).map(([field, value]) => SETTERS[field as EditableField](value));
  const rows = await queryRows<StationRecord>(
    tx,
    sql`update stations s set ${sql.join(sets, sql`, `)}, version = s.version + 1, updated_at = now()
        where s.id = ${id} returning ${STATION_COLUMNS}`,
  );
  return rows[0]!;
}

export async function insertStationValues(
  tx: AppDatabase,
  values: StationValues & { external_id?: string | null },
): Promise<StationRecord> {
  const [lng, lat] = values.location as [number, number];
  const rows = await queryRows<StationRecord>(
    tx,
    sql`insert into stations as s (external_id, name, name_en, kind, address, geom, amenities,
          opening_hours, hours_overrides, closures, phone, seats, location_note)
        values (${values.external_id ?? null}, ${values.name}, ${values.name_en ?? null},
          ${values.kind ?? 'warm_post'}, ${values.address ?? null},
          ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326), ${json(values.amenities ?? {})},
          ${values.opening_hours ?? null}, ${json(values.hours_overrides ?? [])},
          ${json(values.closures ?? [])}, ${values.phone ?? null}, ${values.seats ?? null},
          ${values.location_note ?? null})
        returning ${STATION_COLUMNS}`,
  );
  return rows[0]!;
}

export async function deleteStationRow(tx: AppDatabase, id: number): Promise<void> {
  await tx.execute(sql`delete from stations where id = ${id}`);
}

export async function insertStationChange(
  tx: AppDatabase,
  change: Omit<StationChangeRecord, 'id' | 'created_at'>,
): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    tx,
    sql`insert into station_changes (station_id, user_id, username, action, changes, version, revert_of)
        values (${change.station_id}, ${change.user_id}, ${change.username}, ${change.action},
                ${json(change.changes)}, ${change.version}, ${change.revert_of})
        returning id`,
  );
  return row!.id;
}

const CHANGE_COLUMNS = sql`c.id, c.station_id, c.user_id, c.username, c.action, c.changes, c.version,
  c.revert_of, to_json(c.created_at) #>> '{}' as created_at`;

/** Newest first; `before` pages backwards by change id. */
export async function listStationChanges(
  db: AppDatabase,
  stationId: number,
  page: { limit: number; before?: number },
): Promise<StationChangeRecord[]> {
  return queryRows<StationChangeRecord>(
    db,
    sql`select ${CHANGE_COLUMNS} from station_changes c
        where c.station_id = ${stationId} ${page.before ? sql`and c.id < ${page.before}` : sql``}
        order by c.id desc limit ${page.limit}`,
  );
}

export async function findStationChange(db: AppDatabase, changeId: number): Promise<StationChangeRecord | null> {
  const rows = await queryRows<StationChangeRecord>(
    db,
    sql`select ${CHANGE_COLUMNS} from station_changes c where c.id = ${changeId}`,
  );
  return rows[0] ?? null;
}

export interface ManagedStation {
  id: number;
  name: string;
  address: string | null;
  district_code: string | null;
  version: number;
  verified_at: string | null;
  open_reports: number;
}

/** Stations a user keeps (ids given) or, for admins/planners (ids null), a name/address search. */
export async function listManagedStations(
  db: AppDatabase,
  filter: { stationIds: number[] | null; q?: string; limit: number },
): Promise<ManagedStation[]> {
  const conditions: SQL[] = [sql`true`];
  if (filter.stationIds) conditions.push(sql`s.id = any(${`{${filter.stationIds.join(',')}}`}::int[])`);
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(sql`(s.name ilike ${pattern} or s.address ilike ${pattern})`);
  }
  return queryRows<ManagedStation>(
    db,
    sql`select s.id, s.name, s.address, s.district_code, s.version,
          to_json(s.verified_at) #>> '{}' as verified_at,
          (select count(*)::int from station_reports r where r.station_id = s.id and r.status = 'open') as open_reports
        from stations s where ${sql.join(conditions, sql` and `)}
        order by s.name, s.id limit ${filter.limit}`,
  );
}
