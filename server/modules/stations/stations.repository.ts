import { sql, type SQL, TransactionRollbackError } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';
import type { Closure, DateOverride } from '../../db/schema/stations.js';
import type { AmenityKey, AmenityMap, StationKind } from './amenities.js';

/** A station as the API and services see it; coordinates WGS-84, [lng, lat] order. */
export interface StationRecord {
  id: number;
  external_id: string | null;
  name: string;
  name_en: string | null;
  kind: StationKind;
  address: string | null;
  lng: number;
  lat: number;
  district_code: string | null;
  subdistrict_code: string | null;
  /** Every area holding the station, top level first (derived from the position). */
  area_codes: string[];
  amenities: AmenityMap;
  opening_hours: string | null;
  hours_overrides: DateOverride[];
  closures: Closure[];
  phone: string | null;
  seats: number | null;
  verified_at: string | null;
  version: number;
  is_sample: boolean;
  location_note: string | null;
  updated_at: string;
}

export interface NewStation {
  external_id?: string | null;
  name: string;
  name_en?: string | null;
  kind: StationKind;
  address?: string | null;
  lng: number;
  lat: number;
  amenities?: AmenityMap;
  opening_hours?: string | null;
  hours_overrides?: DateOverride[];
  closures?: Closure[];
  phone?: string | null;
  seats?: number | null;
  verified_at?: string | null;
  is_sample?: boolean;
  location_note?: string | null;
}

/** The columns every read returns, in StationRecord's shape. */
export const STATION_COLUMNS = sql`
  s.id, s.external_id, s.name, s.name_en, s.kind, s.address,
  ST_X(s.geom) as lng, ST_Y(s.geom) as lat,
  s.district_code, s.subdistrict_code, s.area_codes, s.amenities, s.opening_hours, s.hours_overrides, s.closures,
  s.phone, s.seats, to_json(s.verified_at) #>> '{}' as verified_at, s.version, s.is_sample,
  s.location_note, to_json(s.updated_at) #>> '{}' as updated_at`;
// Timestamps go out as ISO text from SQL: pg returns Date objects, PGlite strings; clients get one form.

export interface StationFilter {
  /** [minLng, minLat, maxLng, maxLat]; minLng > maxLng means the box crosses the antimeridian. */
  bbox?: [number, number, number, number];
  /** Every one of these must be offered and currently available. */
  amenities?: AmenityKey[];
  kind?: StationKind;
  districtCode?: string;
  subdistrictCode?: string;
  /** An area of any level. */
  areaCode?: string;
  /** Last changed (updated_at) within this span, ms since the epoch; null is an open end. */
  updated?: { start: number | null; end: number | null };
}

/** WHERE conditions for a filter; shared by the bbox listing and nearest searches. */
export function stationConditions(filter: StationFilter): SQL {
  const parts: SQL[] = [sql`true`];
  if (filter.bbox) {
    const [minLng, minLat, maxLng, maxLat] = filter.bbox;
    // The envelope is built in the column's SRID so the GiST index on geom is used.
    if (minLng <= maxLng) {
      parts.push(sql`s.geom && ST_MakeEnvelope(${minLng}, ${minLat}, ${maxLng}, ${maxLat}, 4326)`);
    } else {
      parts.push(sql`(s.geom && ST_MakeEnvelope(${minLng}, ${minLat}, 180, ${maxLat}, 4326)
        or s.geom && ST_MakeEnvelope(-180, ${minLat}, ${maxLng}, ${maxLat}, 4326))`);
    }
  }
  if (filter.amenities?.length) {
    const wanted = Object.fromEntries(filter.amenities.map((key) => [key, 'available']));
    parts.push(sql`s.amenities @> ${JSON.stringify(wanted)}::jsonb`);
  }
  if (filter.kind) parts.push(sql`s.kind = ${filter.kind}`);
  if (filter.districtCode) parts.push(sql`s.district_code = ${filter.districtCode}`);
  if (filter.subdistrictCode) parts.push(sql`s.subdistrict_code = ${filter.subdistrictCode}`);
  if (filter.areaCode) parts.push(sql`s.area_codes @> array[${filter.areaCode}]::text[]`);
  if (filter.updated?.start != null) {
    parts.push(sql`s.updated_at >= to_timestamp(${filter.updated.start / 1000})`);
  }
  if (filter.updated?.end != null) {
    parts.push(sql`s.updated_at <= to_timestamp(${filter.updated.end / 1000})`);
  }
  return sql.join(parts, sql` and `);
}

export async function listStations(
  db: AppDatabase,
  filter: StationFilter,
  page: { limit: number; offset: number },
): Promise<StationRecord[]> {
  return queryRows<StationRecord>(
    db,
    sql`select ${STATION_COLUMNS} from stations s
        where ${stationConditions(filter)}
        order by s.id limit ${page.limit} offset ${page.offset}`,
  );
}

export async function findStationById(db: AppDatabase, id: number): Promise<StationRecord | null> {
  const rows = await queryRows<StationRecord>(
    db,
    sql`select ${STATION_COLUMNS} from stations s where s.id = ${id}`,
  );
  return rows[0] ?? null;
}

export async function countStations(db: AppDatabase): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from stations`);
  return row!.n;
}

function stationValues(s: NewStation): SQL {
  return sql`(${s.external_id ?? null}, ${s.name}, ${s.name_en ?? null}, ${s.kind}, ${s.address ?? null},
    ST_SetSRID(ST_MakePoint(${s.lng}, ${s.lat}), 4326),
    ${JSON.stringify(s.amenities ?? {})}::jsonb, ${s.opening_hours ?? null},
    ${JSON.stringify(s.hours_overrides ?? [])}::jsonb, ${JSON.stringify(s.closures ?? [])}::jsonb,
    ${s.phone ?? null}, ${s.seats ?? null}, ${s.verified_at ?? null}, ${s.is_sample ?? false},
    ${s.location_note ?? null})`;
}

const INSERT_COLUMNS = sql`(external_id, name, name_en, kind, address, geom, amenities, opening_hours,
  hours_overrides, closures, phone, seats, verified_at, is_sample, location_note)`;

/** Inserts stations in batches inside one transaction; returns their ids in input order. */
export async function insertStations(db: AppDatabase, stations: NewStation[]): Promise<number[]> {
  const ids: number[] = [];
  await db.transaction(async (tx) => {
    for (let i = 0; i < stations.length; i += 200) {
      const chunk = stations.slice(i, i + 200);
      const rows = await queryRows<{ id: number }>(
        tx as unknown as AppDatabase,
        sql`insert into stations ${INSERT_COLUMNS} values ${sql.join(chunk.map(stationValues), sql`, `)}
            returning id`,
      );
      ids.push(...rows.map((r) => r.id));
    }
  });
  return ids;
}

/**
 * One page of stations serialised as GeoJSON Feature text by PostGIS (as pg_featureserv does).
 * The API now lists from the station mirror; this is the SQL it must agree with (tested) and the
 * benchmark's baseline. Asks for one row more than the page to know whether a next page exists.
 */
export async function listStationFeaturesJson(
  db: AppDatabase,
  filter: StationFilter,
  page: { limit: number; offset: number },
): Promise<{ featuresJson: string; returned: number; hasMore: boolean }> {
  const [row] = await queryRows<{ features: string; fetched: number }>(
    db,
    sql`with fetched as (
          select ${STATION_COLUMNS}, s.geom
          from stations s where ${stationConditions(filter)}
          order by s.id limit ${page.limit + 1} offset ${page.offset}),
        page as (select fetched.*, row_number() over (order by fetched.id) as rn from fetched)
        select count(*)::int as fetched,
          coalesce(json_agg(json_build_object(
            'type', 'Feature', 'id', page.id,
            'geometry', ST_AsGeoJSON(page.geom, 6)::json,
            'properties', to_jsonb(page) - 'geom' - 'lng' - 'lat' - 'rn'
          ) order by page.id) filter (where page.rn <= ${page.limit}), '[]')::text as features
        from page`,
  );
  const fetched = row?.fetched ?? 0;
  return {
    featuresJson: row?.features ?? '[]',
    returned: Math.min(fetched, page.limit),
    hasMore: fetched > page.limit,
  };
}

export interface PlacedArea {
  code: string;
  name: string;
  level: string;
}

/**
 * The areas a station would be given at `[lng, lat]` (WGS-84), outermost first, without moving it:
 * the move is made inside a transaction that is rolled back, so the answer is exactly what the
 * stations trigger (migration 0010) derives, never a second copy of its rules. Nothing is kept:
 * no version, no change record, no notification (those come at commit). Null: no such station.
 */
export async function previewAreasAt(db: AppDatabase, stationId: number, lng: number, lat: number): Promise<PlacedArea[] | null> {
  let areas: PlacedArea[] | null = null;
  await db
    .transaction(async (tx) => {
      const rows = await queryRows<{ areas: PlacedArea[] | null }>(
        tx as unknown as AppDatabase,
        sql`with moved as (
              update stations set geom = ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326)
              where id = ${stationId} returning area_codes)
            select (select json_agg(json_build_object('code', a.code, 'name', a.name, 'level', a.level) order by o.n)
                      from unnest(moved.area_codes) with ordinality o(code, n) join areas a on a.code = o.code) as areas
            from moved`,
      );
      if (rows.length > 0) areas = rows[0]!.areas ?? [];
      tx.rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof TransactionRollbackError)) throw error;
    });
  return areas;
}
