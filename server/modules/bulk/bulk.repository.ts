/**
 * SQL for bulk import and export. Batches travel as one jsonb parameter each
 * (`jsonb_to_recordset`), so 10,000 rows are a handful of statements on both PGlite and pg.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';
import type { FieldChange } from '../../db/schema/station-changes.js';
import {
  STATION_COLUMNS,
  stationConditions,
  type NewStation,
  type StationRecord,
} from '../stations/stations.repository.js';

const BATCH_SIZE = 1000;

/**
 * Runs `work` in one transaction: it all happens or none of it does. JIT is off inside: the
 * planner prices PostGIS calls over a jsonb batch so high that PostgreSQL JIT-compiles each
 * statement, which cost ~0.9 s per 1,000-row batch and saved nothing (measured; PGlite has no JIT).
 */
export async function inTransaction<T>(
  db: AppDatabase,
  work: (tx: AppDatabase) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return work(tx as unknown as AppDatabase);
  });
}

function chunks<T>(items: T[], size = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Stations an import may update: those with one of `externalIds` or `stationIds`. With `lock`
 * (inside the import's transaction) the rows are locked so a concurrent edit waits for the import.
 */
export async function findStationsByKeys(
  db: AppDatabase,
  keys: { externalIds: string[]; stationIds: number[] },
  lock: boolean,
): Promise<StationRecord[]> {
  if (!keys.externalIds.length && !keys.stationIds.length) return [];
  return queryRows<StationRecord>(
    db,
    sql`select ${STATION_COLUMNS} from stations s
        where s.external_id in (select jsonb_array_elements_text(${JSON.stringify(keys.externalIds)}::jsonb))
           or s.id in (select (jsonb_array_elements_text(${JSON.stringify(keys.stationIds)}::jsonb))::int)
        order by s.id ${lock ? sql`for update` : sql``}`,
  );
}

export interface PointPlacement {
  index: number;
  /** Inside a district or within 500 m of one (the trigger then assigns it). */
  inside: boolean;
  /** Distance to the nearest district when not inside, in metres. */
  distance_m: number | null;
}

/** Where each point lies relative to the loaded areas (any level); index-assisted for the common inside case. */
export async function placePoints(
  db: AppDatabase,
  points: { index: number; lng: number; lat: number }[],
): Promise<PointPlacement[]> {
  const placements: PointPlacement[] = [];
  for (const batch of chunks(points)) {
    const rows = await queryRows<PointPlacement>(
      db,
      sql`with p as (
            select v.index, ST_SetSRID(ST_MakePoint(v.lng, v.lat), 4326) as g
            from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as v(index int, lng float8, lat float8)
          ), placed as (
            select p.index, p.g,
              exists (select 1 from areas d where ST_Intersects(d.geom, p.g))
              or exists (select 1 from areas d where d.geom && ST_Expand(p.g, 0.01)
                           and ST_DWithin(d.geom::geography, p.g::geography, 500)) as inside
            from p
          )
          select placed.index, placed.inside,
            case when placed.inside then null else
              (select min(ST_Distance(d.geom::geography, placed.g::geography)) from areas d)
            end::float8 as distance_m
          from placed`,
    );
    placements.push(...rows);
  }
  return placements;
}

/**
 * Of the given stations, those the area trigger placed in no area (so outside every loaded area
 * by more than 500 m: the same rule as {@link placePoints}), with the distance to the nearest.
 */
export async function findStationsOutsideDistricts(
  db: AppDatabase,
  stationIds: number[],
): Promise<{ id: number; distance_m: number | null }[]> {
  if (!stationIds.length) return [];
  return queryRows(
    db,
    sql`select s.id,
          (select min(ST_Distance(d.geom::geography, s.geom::geography)) from areas d)::float8 as distance_m
        from stations s
        where cardinality(s.area_codes) = 0
          and s.id in (select (jsonb_array_elements_text(${JSON.stringify(stationIds)}::jsonb))::int)`,
  );
}

/** A station row to write; `id` set = update that station in place. */
export interface StationWrite extends NewStation {
  id?: number;
}

const RECORD_COLUMNS = sql`v(ord int, id int, external_id text, name text, name_en text, kind text, address text,
  lng float8, lat float8, amenities jsonb, opening_hours text, phone text, seats int, location_note text)`;

function recordsJson(rows: StationWrite[]): string {
  return JSON.stringify(
    rows.map((s, ord) => ({
      ord,
      id: s.id ?? null,
      external_id: s.external_id ?? null,
      name: s.name,
      name_en: s.name_en ?? null,
      kind: s.kind,
      address: s.address ?? null,
      lng: s.lng,
      lat: s.lat,
      amenities: s.amenities ?? {},
      opening_hours: s.opening_hours ?? null,
      phone: s.phone ?? null,
      seats: s.seats ?? null,
      location_note: s.location_note ?? null,
    })),
  );
}

/** What a write returns per station: its id, new version and the areas the trigger derived. */
export interface WrittenStation {
  id: number;
  version: number;
  district_code: string | null;
  subdistrict_code: string | null;
}

/** Inserts new stations; returns them in input order. */
export async function insertStationBatch(
  db: AppDatabase,
  rows: StationWrite[],
): Promise<WrittenStation[]> {
  const written: WrittenStation[] = [];
  for (const batch of chunks(rows)) {
    const inserted = await queryRows<WrittenStation>(
      db,
      sql`insert into stations (external_id, name, name_en, kind, address, geom, amenities,
            opening_hours, phone, seats, location_note)
          select v.external_id, v.name, v.name_en, v.kind, v.address,
            ST_SetSRID(ST_MakePoint(v.lng, v.lat), 4326), coalesce(v.amenities, '{}'::jsonb),
            v.opening_hours, v.phone, v.seats, v.location_note
          from jsonb_to_recordset(${recordsJson(batch)}::jsonb) as ${RECORD_COLUMNS}
          order by v.ord
          returning id, version, district_code, subdistrict_code`,
    );
    // Ids come from one sequence in insertion order (the ORDER BY), so ascending ids = input order.
    written.push(...inserted.map((r) => ({ ...r, id: Number(r.id) })).sort((a, b) => a.id - b.id));
  }
  return written;
}

/** Updates stations in place (each row's `id`), bumping version; returns them by id. */
export async function updateStationBatch(
  db: AppDatabase,
  rows: StationWrite[],
): Promise<Map<number, WrittenStation>> {
  const written = new Map<number, WrittenStation>();
  for (const batch of chunks(rows)) {
    const updated = await queryRows<WrittenStation>(
      db,
      sql`update stations s set
            external_id = v.external_id, name = v.name, name_en = v.name_en, kind = v.kind,
            address = v.address, amenities = coalesce(v.amenities, '{}'::jsonb),
            opening_hours = v.opening_hours, phone = v.phone, seats = v.seats,
            location_note = v.location_note, version = s.version + 1, updated_at = now(),
            geom = case when ST_X(s.geom) = v.lng and ST_Y(s.geom) = v.lat then s.geom
                        else ST_SetSRID(ST_MakePoint(v.lng, v.lat), 4326) end
          from jsonb_to_recordset(${recordsJson(batch)}::jsonb) as ${RECORD_COLUMNS}
          where s.id = v.id
          returning s.id, s.version, s.district_code, s.subdistrict_code`,
    );
    for (const r of updated)
      written.set(Number(r.id), { ...r, id: Number(r.id), version: Number(r.version) });
  }
  return written;
}

export interface ChangeEntry {
  stationId: number;
  userId: number | null;
  username: string;
  changes: Record<string, FieldChange>;
  version: number;
}

/** Records imported changes in the station history (action 'import'), in the caller's transaction. */
export async function recordImportChanges(db: AppDatabase, entries: ChangeEntry[]): Promise<void> {
  for (const batch of chunks(entries)) {
    const json = JSON.stringify(
      batch.map((e) => ({
        station_id: e.stationId,
        user_id: e.userId,
        username: e.username,
        changes: e.changes,
        version: e.version,
      })),
    );
    await db.execute(
      sql`insert into station_changes (station_id, user_id, username, action, changes, version)
          select v.station_id, v.user_id, v.username, 'import', v.changes, v.version
          from jsonb_to_recordset(${json}::jsonb)
            as v(station_id int, user_id int, username text, changes jsonb, version int)`,
    );
  }
}

export interface ExportedStation extends StationRecord {
  district_name: string | null;
}

/** Every station (optionally of one district), samples only when asked, by id. */
export async function listStationsForExport(
  db: AppDatabase,
  filter: { districtCode?: string; areaCode?: string; includeSamples: boolean },
): Promise<ExportedStation[]> {
  return queryRows<ExportedStation>(
    db,
    sql`select ${STATION_COLUMNS}, d.name as district_name
        from stations s left join districts d on d.code = s.district_code
        where ${stationConditions({ districtCode: filter.districtCode, areaCode: filter.areaCode })}
          ${filter.includeSamples ? sql`` : sql`and not s.is_sample`}
        order by s.id`,
  );
}

export interface RecordedChange {
  station_id: number;
  version: number;
  username: string;
  changes: Record<string, FieldChange>;
}

/** Each station's recorded changes after the given version, oldest first. */
export async function findChangesSince(
  db: AppDatabase,
  since: { station_id: number; version: number }[],
): Promise<RecordedChange[]> {
  if (!since.length) return [];
  const rows = await queryRows<RecordedChange>(
    db,
    sql`select c.station_id, c.version, c.username, c.changes
        from jsonb_to_recordset(${JSON.stringify(since)}::jsonb) as v(station_id int, version int)
        join station_changes c on c.station_id = v.station_id and c.version > v.version
        order by c.station_id, c.version, c.id`,
  );
  return rows.map((r) => ({ ...r, station_id: Number(r.station_id), version: Number(r.version) }));
}
