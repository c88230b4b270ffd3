/**
 * Coverage per district or sub-district at an instant: which stations count (open then), what
 * share of each area lies within the rule's reach, the largest gap, and — with a demand layer —
 * the share of weighted demand covered. Pure function of the database and the parameters.
 */
import type { AppDatabase } from '../../db/client.js';
import { HttpError, notFound } from '../../http/errors.js';
import { listLevels } from '../areas/areas.repository.js';
import { findDemandLayer, type DemandLayerRecord } from '../demand/demand.repository.js';
import { describeRule, type CoverageRule } from './coverage-rule.js';
import {
  countAreas,
  coverageByArea,
  coverageGaps,
  listStationSchedules,
  type AreaCoverageRow,
  type AreaScope,
  type CoverageSites,
  type StationScheduleRow,
} from './coverage.repository.js';
import type { CoverageQuery, GapsQuery } from './coverage.schemas.js';
import { areaFigures, pct, round, totalsOf, whatIfDelta } from './coverage-figures.js';
import { networkSites } from './network-sites.js';
import {
  countPeople,
  describePopulation,
  loadPeopleInputs,
  peopleByArea,
  slotAt,
  type AreaPeople,
} from './population-figures.js';
import { describeInstant, openStationIds } from './open-stations.js';
import { scopeCodes } from './population-scope.repository.js';
import { parseHoursAhead } from '../stations/station-hours.js';
import type { LoadedRoadNetwork } from '../routes/road-network-cache.js';

export interface CoverageContext {
  rule: CoverageRule;
  /** The loaded road network, for network rules. */
  network: LoadedRoadNetwork | null;
  at: Date;
  scope: AreaScope;
  /** Areas in scope; every per-area answer must have exactly this many rows. */
  areaCount: number;
  demandLayer: DemandLayerRecord | null;
  stations: StationScheduleRow[];
  openIds: number[];
}

/** Rejects what cannot be computed, with a message that says what to do instead. */
export async function resolveContext(
  db: AppDatabase,
  q: {
    rule: CoverageRule;
    at?: Date;
    level: AreaScope['level'];
    district?: string;
    area?: string;
    demand?: number;
  },
  now: Date,
  roadNetworks?: RoadNetworkSource,
): Promise<CoverageContext> {
  let network: LoadedRoadNetwork | null = null;
  if (q.rule.kind === 'network') {
    network = (await roadNetworks?.current()) ?? null;
    if (!network) {
      throw new HttpError(
        422,
        `No road network is loaded, so ${q.rule.mode}:${q.rule.minutes} cannot be measured; import one (npm run import:osm) or use a service radius such as radius:500`,
      );
    }
  }
  const scope: AreaScope = { level: q.level, district: q.district, area: q.area };
  const areaCount = await countAreas(db, scope);
  if (areaCount === 0) {
    const levels = await listLevels(db);
    if (!levels.some((l) => l.name === q.level)) {
      throw new HttpError(
        400,
        `level "${q.level}" is not loaded; the loaded levels are: ${levels.map((l) => l.name).join(', ') || 'none (import boundaries first)'}`,
      );
    }
    throw notFound(
      `No ${q.level} matches ${q.area ? `area ${q.area}` : ''}${q.district ? ` district ${q.district}` : ''}`.trim(),
    );
  }
  let demandLayer: DemandLayerRecord | null = null;
  if (q.demand !== undefined) {
    demandLayer = await findDemandLayer(db, q.demand);
    if (!demandLayer) throw notFound(`Demand layer not found: ${q.demand}`);
    if (demandLayer.load_error) {
      throw new HttpError(
        422,
        `Demand layer ${demandLayer.id} (${demandLayer.name}) failed to load and holds no data: ${demandLayer.load_error}; delete it and upload again`,
      );
    }
    if (demandLayer.loading) {
      throw new HttpError(
        503,
        `Demand layer ${demandLayer.id} (${demandLayer.name}) is still being loaded; retry in a minute`,
        undefined,
        { 'Retry-After': '60' },
      );
    }
  }
  const at = q.at ?? now;
  const stations = await listStationSchedules(db);
  // Every station's hours are evaluated below (24 times for a timeline), synchronously.
  await parseHoursAhead(stations);
  return {
    rule: q.rule,
    network,
    at,
    scope,
    areaCount,
    demandLayer,
    stations,
    openIds: openStationIds(stations, at),
  };
}

/** What the service needs of the road-network cache (kept small so tests can pass a real one). */
export interface RoadNetworkSource {
  current(): Promise<LoadedRoadNetwork | null>;
}

export function radiusOf(rule: CoverageRule): number {
  if (rule.kind !== 'radius')
    throw new HttpError(422, 'This analysis supports service-radius rules only (e.g. radius:500)');
  return rule.metres;
}

function networkNote(ctx: CoverageContext, sites: CoverageSites) {
  if (!ctx.network) return null;
  const snap = sites as CoverageSites & { unsnapped?: number };
  return {
    id: ctx.network.info.id,
    name: ctx.network.info.name,
    street_buffer_m: sites.radiusM,
    sites_off_network: snap.unsnapped ?? 0,
    note_en: `Streets reached within the time, buffered ${sites.radiusM} m; sites more than 500 m from a usable street do not count.`,
    note_zh: `在时限内可达的道路两侧各 ${sites.radiusM} 米；距可通行道路超过 500 米的站点不计入。`,
  };
}

function demandNote(layer: DemandLayerRecord | null, at?: Date) {
  if (layer) {
    return {
      layer: { id: layer.id, name: layer.name, weight_label: layer.weight_label },
      proxy: null,
      ...(layer.kind === 'population' && at
        ? { population: describePopulation(layer, slotAt(layer, at)) }
        : {}),
    };
  }
  return {
    layer: null,
    proxy: 'area' as const,
    note_en: 'No demand layer chosen: covered area is the proxy for demand.',
    note_zh: '未选择需求图层：以覆盖面积作为需求的代理指标。',
  };
}

/** The sites that count in a scenario: open stations minus removals, plus added sites. */
export async function scenarioSites(
  db: AppDatabase,
  ctx: CoverageContext,
  what: { without?: number[]; with?: Array<[number, number]> } = {},
  openIds: number[] = ctx.openIds,
): Promise<CoverageSites> {
  const removed = new Set(what.without ?? []);
  const counted = openIds.filter((id) => !removed.has(id));
  if (ctx.rule.kind === 'network') {
    const byId = new Map(ctx.stations.map((s) => [s.id, s]));
    return networkSites(
      db,
      ctx.network!,
      ctx.rule,
      counted.map((id) => byId.get(id)!),
      what.with ?? [],
    );
  }
  return { stationIds: counted, extraSites: what.with ?? [], radiusM: ctx.rule.metres };
}

/**
 * A geometry error inside an aggregate can make embedded PGlite return no rows instead of raising;
 * a table silently missing areas would mislead planners, so a short answer is a 503 (not now).
 */
function checkedRows<T>(rows: T[], ctx: CoverageContext): T[] {
  if (rows.length !== ctx.areaCount) {
    throw new HttpError(
      503,
      `Coverage could not be computed (the query returned ${rows.length} of ${ctx.areaCount} areas); retry shortly or narrow the scope`,
      undefined,
      { 'Retry-After': '30' },
    );
  }
  return rows;
}

export async function coverageReport(
  db: AppDatabase,
  q: CoverageQuery,
  now = new Date(),
  roadNetworks?: RoadNetworkSource,
  resolved?: CoverageContext,
) {
  const ctx = resolved ?? (await resolveContext(db, q, now, roadNetworks));
  const unknownIds = (q.without ?? []).filter((id) => !ctx.stations.some((s) => s.id === id));
  if (unknownIds.length)
    throw notFound(`Stations not found (without=): ${unknownIds.slice(0, 10).join(', ')}`);
  const people = ctx.demandLayer?.kind === 'population' ? ctx.demandLayer : null;
  const options = {
    stations: ctx.stations,
    // Population layers are counted from their cells in memory (population-figures.ts).
    demandLayerId: people ? undefined : ctx.demandLayer?.id,
    outlineSimplifyMetres: q.format === 'geojson' ? Math.max(q.simplify, 1) : 0,
    networkProfile: ctx.rule.kind === 'network' ? ctx.rule.mode : undefined,
  };
  const isWhatIf = Boolean(q.without?.length || q.with?.length);
  let peopleForBaseline: Map<string, AreaPeople> | null = null;
  const sites = await scenarioSites(db, ctx, q);
  const baseSites = isWhatIf ? await scenarioSites(db, ctx) : null;
  // People are counted in the CPU pool while the database measures the areas: their inputs are
  // read first (mostly cached), so those small queries do not wait behind the overlay.
  const peopleInputs = people
    ? await loadPeopleInputs(
        db,
        people,
        ctx.scope,
        await scopeCodes(db, ctx.scope),
        ctx.stations,
        [sites, ...(baseSites ? [baseSites] : [])].map((s) => ({
          sites: s,
          slot: slotAt(people, ctx.at).index,
        })),
      )
    : null;
  // Settled at once so a failing table does not leave the other promise's rejection unhandled.
  const [table, counted] = await Promise.allSettled([
    coverageByArea(db, ctx.scope, sites, options),
    peopleInputs ? countPeople(peopleInputs) : null,
  ]);
  if (table.status === 'rejected') throw table.reason;
  if (counted.status === 'rejected') throw counted.reason;
  const rows = checkedRows(table.value, ctx);
  if (counted.value) {
    addPeople(rows, counted.value[0]!);
    peopleForBaseline = counted.value[1] ?? null;
  }
  const areas = rows.map(areaFigures);
  const report = {
    rule: describeRule(ctx.rule),
    instant: describeInstant(ctx.at),
    level: q.level,
    demand: demandNote(ctx.demandLayer, ctx.at),
    stations_counted: sites.stationIds.length,
    network: networkNote(ctx, sites),
    totals: totalsOf(areas),
    areas,
    what_if: null as null | ReturnType<typeof whatIfDelta>,
  };
  if (isWhatIf) {
    const baseRows = checkedRows(
      await coverageByArea(db, ctx.scope, baseSites!, {
        ...options,
        outlineSimplifyMetres: 0,
      }),
      ctx,
    );
    if (peopleForBaseline) addPeople(baseRows, peopleForBaseline);
    report.what_if = whatIfDelta(baseRows.map(areaFigures), areas, q);
  }
  return report;
}

/** Fills each row's demand with the people in the area and within reach. */
function addPeople(rows: AreaCoverageRow[], people: Map<string, AreaPeople>) {
  for (const row of rows) {
    const p = people.get(row.code);
    row.demand_total = p?.total ?? 0;
    row.demand_covered = p?.covered ?? 0;
  }
}

export async function gapsCollection(
  db: AppDatabase,
  q: GapsQuery,
  now = new Date(),
  roadNetworks?: RoadNetworkSource,
  resolved?: CoverageContext,
) {
  const ctx = resolved ?? (await resolveContext(db, q, now, roadNetworks));
  const sites = await scenarioSites(db, ctx, q);
  const rows = await coverageGaps(db, ctx.scope, sites, q.simplify);
  const rule = describeRule(ctx.rule);
  const instant = describeInstant(ctx.at);
  // With population: the people left outside reach in each gap's area.
  const people = ctx.demandLayer?.kind === 'population' ? ctx.demandLayer : null;
  const [peopleOf] = people
    ? await peopleByArea(db, people, ctx.scope, rows.map((r) => r.code), ctx.stations, [
        { sites, slot: slotAt(people, ctx.at).index },
      ])
    : [null];
  return {
    type: 'FeatureCollection' as const,
    rule,
    instant,
    level: q.level,
    features: rows.map((r) => ({
      type: 'Feature' as const,
      id: r.code,
      geometry: r.geometry,
      properties: {
        code: r.code,
        name: r.name,
        district_code: r.district_code,
        area_km2: round(r.area_km2, 4),
        gap_km2: round(r.gap_km2, 4),
        gap_pct: pct(r.gap_km2, r.area_km2),
        ...(peopleOf
          ? {
              people: Math.round(peopleOf.get(r.code)?.total ?? 0),
              people_uncovered: Math.round(
                (peopleOf.get(r.code)?.total ?? 0) - (peopleOf.get(r.code)?.covered ?? 0),
              ),
            }
          : {}),
        rule: rule.rule,
        at: instant.at,
      },
    })),
    ...(people ? { demand: demandNote(people, ctx.at) } : {}),
  };
}
