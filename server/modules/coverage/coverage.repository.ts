/**
 * Straight-line coverage in PostGIS. Each site is buffered on the geography (a true metre radius,
 * whatever the latitude), the buffers touching an area are unioned, and the uncovered part is the
 * area minus that union: one overlay per area gives both the gap and, by subtraction, the covered
 * area. Areas are measured on the spheroid (`::geography`).
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type AppDatabase } from '../../db/client.js';
import type { Closure, DateOverride } from '../../db/schema/stations.js';
import { HttpError } from '../../http/errors.js';
import { PROFILES, type ProfileName } from '../../routing/profiles.js';
import {
  networkCoverageByArea,
  networkGaps,
  networkScopeCoverage,
  type NetworkCoverageInput,
} from './network-coverage.js';
import { countStationsByArea } from './station-counts.js';

/** A level's name as loaded (district, subdistrict, parish…); checked against area_levels. */
export type AreaLevel = string;

export interface AreaScope {
  level: AreaLevel;
  /** Only the areas of the level whose parent (or any ancestor) is this area. */
  district?: string;
  /** Only this area (of the scope's level). */
  area?: string;
}

export interface CoverageSites {
  /** Existing stations that count (open at the instant, minus what-if removals). */
  stationIds: number[];
  /** Hypothetical sites [lng, lat] (what-if). */
  extraSites: Array<[number, number]>;
  /** Straight-line radius, or (network rule) the band drawn either side of reached streets. */
  radiusM: number;
  /**
   * Network rule: the one multi-source search's reached streets; the covered area is a band of
   * `radiusM` either side of them, measured in memory (network-coverage.ts), and the sites above
   * are used only for station counts.
   */
  network?: NetworkCoverageInput;
}

export interface StationScheduleRow {
  id: number;
  lng: number;
  lat: number;
  district_code: string | null;
  subdistrict_code: string | null;
  opening_hours: string | null;
  hours_overrides: DateOverride[];
  closures: Closure[];
  /** The station's derived area path (every level), for counting stations per area. */
  area_codes: string[];
}

export interface AreaCoverageRow {
  code: string;
  name: string;
  district_code: string;
  area_km2: number;
  covered_km2: number;
  stations_total: number;
  stations_open: number;
  largest_gap_km2: number;
  largest_gap_point: [number, number] | null;
  demand_total: number | null;
  demand_covered: number | null;
  geometry?: unknown;
  /** Network rule only: street km within reach, and all street km the mode may use. */
  street_km_reached?: number;
  street_km_total?: number;
}

/** Postgres array literals as one parameter (drizzle would expand a JS array into a list). */
export const intArray = (values: number[]) => `{${values.map((v) => Math.trunc(v)).join(',')}}`;
const floatArray = (values: number[]) => `{${values.map((v) => Number(v)).join(',')}}`;

/** Stations in area `code` (any level): their derived area path holds it (GIN index). */
export const stationInArea = (code: SQL) => sql`s.area_codes @> array[${code}]::text[]`;

const METRES_PER_DEGREE = 111_320;

/** WHERE conditions on `public.areas t` for the areas in scope. */
export function areaScopeConditions(scope: AreaScope): SQL {
  const conditions: SQL[] = [sql`t.level = ${scope.level}`];
  // Any ancestor: the areas whose outline lies in it, found through their own path of parents.
  if (scope.district) {
    conditions.push(sql`(t.code = ${scope.district} or ${scope.district} in (
      with recursive up(code, parent_code, n) as (
        select t.code, t.parent_code, 0
        union all
        select p.code, p.parent_code, up.n + 1 from up join public.areas p on p.code = up.parent_code
        where up.n < 16
      ) select code from up))`);
  }
  if (scope.area) conditions.push(sql`t.code = ${scope.area}`);
  return sql.join(conditions, sql` and `);
}

/** The areas in scope, made valid once (coarse fallback outlines may self-intersect). */
export function areasCte(scope: AreaScope, simplifyMetres = 0): SQL {
  const outline =
    simplifyMetres > 0
      ? sql`, ST_SimplifyPreserveTopology(geom, ${simplifyMetres / METRES_PER_DEGREE}) as outline`
      : sql`, null::geometry as outline`;
  return sql`areas as materialized (
    select t.code, t.name,
      -- The API's district_code: the district itself at its level, else the parent area.
      case when t.level = 'district' then t.code else t.parent_code end as district_code,
      case when ST_IsValid(t.geom) then t.geom else ST_MakeValid(t.geom) end as geom ${outline}
    from public.areas t where ${areaScopeConditions(scope)}
  )`;
}

/**
 * One cascaded union of every buffer, split into its disjoint parts: each area then only collects
 * the parts touching it (no overlay per area), about a third cheaper than a union per area.
 */
const COVER_PARTS = sql`cover_parts as materialized (
  select (ST_Dump(ST_Union(geom))).geom as geom from buffers
)`;

/** Buffers of the counted sites; materialized so each is computed once for all areas. */
function buffersCte(sites: CoverageSites): SQL {
  const lngs = sites.extraSites.map((s) => s[0]);
  const lats = sites.extraSites.map((s) => s[1]);
  return sql`buffers as materialized (
    select ST_Buffer(site::geography, ${sites.radiusM})::geometry as geom from (
      select geom as site from stations where id = any(${intArray(sites.stationIds)}::int[])
      union all
      select ST_SetSRID(ST_MakePoint(x, y), 4326)
      from unnest(${floatArray(lngs)}::float8[], ${floatArray(lats)}::float8[]) as t(x, y)
    ) s
    -- Only sites that can reach the areas in scope (1° of longitude ≥ 75 km below 47° N).
    where s.site && (select ST_Expand(ST_Extent(geom)::geometry, ${sites.radiusM / 75_000}) from areas)
  ), ${COVER_PARTS}`;
}

/** Per area: the union of buffers touching it and the uncovered remainder. */
const gapsCte = sql`gaps as (
  select a.*, ST_Area(a.geom::geography) / 1e6 as area_km2, u.cover,
    case when u.cover is null then a.geom else ST_Difference(a.geom, u.cover) end as gap
  from areas a
  left join lateral (
    select ST_Collect(p.geom) as cover from cover_parts p where p.geom && a.geom
  ) u on true
)`;

export async function coverageByArea(
  db: AppDatabase,
  scope: AreaScope,
  sites: CoverageSites,
  options: {
    /** Every station with its area path: stations per area are counted from it in memory. */
    stations: ReadonlyArray<Pick<StationScheduleRow, 'id' | 'area_codes'>>;
    demandLayerId?: number;
    outlineSimplifyMetres?: number;
    networkProfile?: ProfileName;
  },
): Promise<AreaCoverageRow[]> {
  if (sites.network) return networkCoverageByArea(db, scope, sites.stationIds, sites.network, options);
  const demand =
    options.demandLayerId === undefined
      ? sql`null::float8 as demand_total, null::float8 as demand_covered`
      : sql`(select coalesce(sum(p.weight), 0)::float8 from demand_points p
              where p.layer_id = ${options.demandLayerId} and ST_Intersects(g.geom, p.geom)) as demand_total,
            (select coalesce(sum(p.weight), 0)::float8 from demand_points p
              where p.layer_id = ${options.demandLayerId} and g.cover is not null
                and ST_Intersects(g.geom, p.geom) and ST_Intersects(g.cover, p.geom)) as demand_covered`;
  const geometry = options.outlineSimplifyMetres
    ? sql`, ST_AsGeoJSON(g.outline, 6)::json as geometry`
    : sql``;
  const rows = await queryRows<Omit<AreaCoverageRow, 'stations_total' | 'stations_open'>>(
    db,
    sql`with ${areasCte(scope, options.outlineSimplifyMetres)}, ${buffersCte(sites)}, ${gapsCte}
      select g.code, g.name, g.district_code, g.area_km2::float8 as area_km2,
        greatest(g.area_km2 - coalesce(ST_Area(g.gap::geography) / 1e6, 0), 0)::float8 as covered_km2,
        coalesce(lg.km2, 0)::float8 as largest_gap_km2,
        case when lg.pt is null then null else json_build_array(round(ST_X(lg.pt)::numeric, 6), round(ST_Y(lg.pt)::numeric, 6)) end as largest_gap_point,
        ${demand} ${geometry}
      from gaps g
      left join lateral (
        -- Planar degrees² rank the parts of one area as the spheroid would (the latitude barely
        -- changes within an area); only the winner is measured on the spheroid.
        select ST_Area(d.geom::geography) / 1e6 as km2, ST_PointOnSurface(d.geom) as pt
        from (select d.geom from ST_Dump(g.gap) d where not ST_IsEmpty(d.geom)
              order by ST_Area(d.geom) desc limit 1) d
      ) lg on true
      order by g.code`,
  );
  const counts = countStationsByArea(options.stations, sites.stationIds);
  return rows.map((row) => {
    const c = counts.get(row.code);
    return { ...row, stations_total: c?.total ?? 0, stations_open: c?.open ?? 0 };
  });
}

export interface GapRow {
  code: string;
  name: string;
  district_code: string;
  area_km2: number;
  gap_km2: number;
  geometry: unknown;
}

/** The uncovered part of each area, clipped to it, holes kept. Areas fully covered are left out. */
export async function coverageGaps(
  db: AppDatabase,
  scope: AreaScope,
  sites: CoverageSites,
  simplifyMetres: number,
): Promise<GapRow[]> {
  if (sites.network) return networkGaps(db, scope, sites.stationIds, sites.network, simplifyMetres);
  const shape =
    simplifyMetres > 0
      ? sql`ST_SimplifyPreserveTopology(g.gap, ${simplifyMetres / METRES_PER_DEGREE})`
      : sql`g.gap`;
  // Every area answers (fully covered ones with no geometry), so a short answer is detectable: a
  // geometry error inside an aggregate can make embedded PGlite return no rows instead of raising,
  // which would otherwise read as "no gaps".
  const rows = await queryRows<GapRow & { has_gap: boolean; areas_in_scope: number }>(
    db,
    sql`with ${areasCte(scope)}, ${buffersCte(sites)}, ${gapsCte}
      select g.code, g.name, g.district_code, g.area_km2::float8 as area_km2,
        not ST_IsEmpty(g.gap) as has_gap,
        (select count(*)::int from areas) as areas_in_scope,
        case when ST_IsEmpty(g.gap) then 0 else ST_Area(g.gap::geography) / 1e6 end::float8 as gap_km2,
        case when ST_IsEmpty(g.gap) then null
          else ST_AsGeoJSON(ST_CollectionExtract(${shape}, 3), 6)::json end as geometry
      from gaps g
      order by g.code`,
  );
  if (rows.length === 0 || rows.length !== rows[0]!.areas_in_scope) {
    throw new HttpError(
      503,
      `Coverage gaps could not be computed (the query returned ${rows.length} of ${rows[0]?.areas_in_scope ?? 'the'} areas); retry shortly or narrow the scope`,
      undefined,
      { 'Retry-After': '30' },
    );
  }
  return rows
    .filter((r) => r.has_gap)
    .map(({ has_gap: _, areas_in_scope: __, ...row }) => row);
}

/** Every station's position and hours; the service decides which are open at an instant. */
export async function listStationSchedules(db: AppDatabase): Promise<StationScheduleRow[]> {
  return queryRows<StationScheduleRow>(
    db,
    sql`select id, ST_X(geom) as lng, ST_Y(geom) as lat, district_code, subdistrict_code,
          opening_hours, hours_overrides, closures, area_codes
        from stations order by id`,
  );
}

/** Whether the area codes in scope exist (so an unknown code is a 404, not an empty table). */
export async function countAreas(db: AppDatabase, scope: AreaScope): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with ${areasCte(scope)} select count(*)::int as n from areas`,
  );
  return row!.n;
}

export interface ScopeCoverageRow {
  area_km2: number;
  covered_km2: number;
  stations_open: number;
  demand_total: number | null;
  demand_covered: number | null;
}

/** What a 24-hour curve's computations share: the same areas, whatever stations are open. */
export interface ScopeFixedFigures {
  /** `scopeAreaKm2` of the scope. */
  areaKm2: number;
  /** The codes of the areas in scope. */
  codes: string[];
  /** Every station with its area path (open ones are counted in memory). */
  stations: ReadonlyArray<Pick<StationScheduleRow, 'id' | 'area_codes'>>;
}

/** The scope's area on the spheroid, km² (the same sum, in the same order, as it always was). */
export async function scopeAreaKm2(db: AppDatabase, scope: AreaScope): Promise<number> {
  const [row] = await queryRows<{ area_km2: number }>(
    db,
    sql`with ${areasCte(scope)}
      select coalesce(sum(ST_Area(a.geom::geography) / 1e6), 0)::float8 as area_km2 from areas a`,
  );
  return row!.area_km2;
}

/**
 * Covered area of the whole scope for one set of stations, measured on the covered part only (no
 * gaps, no largest gap): what each point of a 24-hour curve needs, at about half the table's cost.
 * The scope's own area and station counts do not depend on the set: they come in `fixed`,
 * computed once per curve instead of once per set.
 */
export async function scopeCoverage(
  db: AppDatabase,
  scope: AreaScope,
  sites: CoverageSites,
  fixed: ScopeFixedFigures,
  demandLayerId?: number,
): Promise<ScopeCoverageRow> {
  if (sites.network) {
    return networkScopeCoverage(db, scope, sites.stationIds, sites.network, demandLayerId);
  }
  const demand =
    demandLayerId === undefined
      ? sql`null::float8 as demand_total, null::float8 as demand_covered`
      : sql`sum((select coalesce(sum(p.weight), 0) from demand_points p
              where p.layer_id = ${demandLayerId} and ST_Intersects(a.geom, p.geom)))::float8 as demand_total,
            sum((select coalesce(sum(p.weight), 0) from demand_points p
              where p.layer_id = ${demandLayerId} and u.cover is not null
                and ST_Intersects(a.geom, p.geom) and ST_Intersects(u.cover, p.geom)))::float8 as demand_covered`;
  const [row] = await queryRows<Omit<ScopeCoverageRow, 'area_km2' | 'stations_open'>>(
    db,
    sql`with ${areasCte(scope)}, ${buffersCte(sites)}
      select coalesce(sum(coalesce(ST_Area(ST_Intersection(a.geom, u.cover)::geography) / 1e6, 0)), 0)::float8 as covered_km2,
        ${demand}
      from areas a
      left join lateral (
        select ST_Collect(p.geom) as cover from cover_parts p where p.geom && a.geom
      ) u on true`,
  );
  if (!row) throw new Error('scope coverage query returned no row');
  const counts = countStationsByArea(fixed.stations, sites.stationIds);
  let stationsOpen = 0;
  for (const code of fixed.codes) stationsOpen += counts.get(code)?.open ?? 0;
  return { ...row, area_km2: fixed.areaKm2, stations_open: stationsOpen };
}

/** `walk_fwd_s is not null or walk_bwd_s is not null`: edges the mode may use in some direction. */
function profileColumns(profile: ProfileName): SQL {
  // Identifiers cannot be parameters; the profile is checked against the fixed PROFILES list.
  if (!PROFILES.includes(profile)) throw new Error(`Unknown profile: ${profile}`);
  return sql`${sql.raw(`${profile}_fwd_s`)} is not null or ${sql.raw(`${profile}_bwd_s`)} is not null`;
}

export interface SnappedPoint {
  index: number;
  edge_id: number;
  planar_fraction: number;
}

/**
 * Each point's nearest edge the mode may use, within `maxDistanceM` (index-ordered KNN, then exact
 * geodesic distance); points farther from every road are left out.
 */
export async function snapPointsToEdges(
  db: AppDatabase,
  points: Array<[number, number]>,
  profile: ProfileName,
  maxDistanceM: number,
): Promise<SnappedPoint[]> {
  if (points.length === 0) return [];
  return queryRows<SnappedPoint>(
    db,
    sql`select (p.k - 1)::int as index, e.id as edge_id, ST_LineLocatePoint(e.geom, p.pt) as planar_fraction
      from (
        select k, ST_SetSRID(ST_MakePoint(x, y), 4326) as pt
        from unnest(${floatArray(points.map((p) => p[0]))}::float8[], ${floatArray(points.map((p) => p[1]))}::float8[])
          with ordinality as t(x, y, k)
      ) p
      cross join lateral (
        select c.id, c.geom from (
          select id, geom from road_edges where ${profileColumns(profile)}
          order by geom <-> p.pt limit 8
        ) c
        where ST_DWithin(c.geom::geography, p.pt::geography, ${maxDistanceM})
        order by ST_Distance(c.geom::geography, p.pt::geography), c.id limit 1
      ) e
      order by 1`,
  );
}
