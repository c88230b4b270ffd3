/**
 * Coverage per district or sub-district at an instant: which stations count (open then), what
 * share of each area lies within the rule's reach, the largest gap, and — with a demand layer —
 * the share of weighted demand covered. Pure function of the database and the parameters.
 */
import type { AppDatabase } from '../../db/client.js';
import { HttpError, notFound } from '../../http/errors.js';
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
import { describeInstant, openStationIds } from './open-stations.js';

export interface CoverageContext {
  rule: CoverageRule;
  at: Date;
  scope: AreaScope;
  demandLayer: DemandLayerRecord | null;
  stations: StationScheduleRow[];
  openIds: number[];
}

/** Rejects what cannot be computed, with a message that says what to do instead. */
export async function resolveContext(
  db: AppDatabase,
  q: { rule: CoverageRule; at?: Date; level: AreaScope['level']; district?: string; area?: string; demand?: number },
  now: Date,
): Promise<CoverageContext> {
  if (q.rule.kind === 'network') {
    throw new HttpError(
      422,
      `Network coverage (${q.rule.mode}:${q.rule.minutes}) is not available yet; use a service radius such as radius:500`,
    );
  }
  const scope: AreaScope = { level: q.level, district: q.district, area: q.area };
  if ((q.district || q.area) && (await countAreas(db, scope)) === 0) {
    throw notFound(
      `No ${q.level === 'district' ? 'district' : 'sub-district'} matches ${q.area ? `area ${q.area}` : ''}${q.district ? ` district ${q.district}` : ''}`.trim(),
    );
  }
  let demandLayer: DemandLayerRecord | null = null;
  if (q.demand !== undefined) {
    demandLayer = await findDemandLayer(db, q.demand);
    if (!demandLayer) throw notFound(`Demand layer not found: ${q.demand}`);
  }
  const at = q.at ?? now;
  const stations = await listStationSchedules(db);
  return { rule: q.rule, at, scope, demandLayer, stations, openIds: openStationIds(stations, at) };
}

export function radiusOf(rule: CoverageRule): number {
  if (rule.kind !== 'radius') throw new Error('only radius rules reach SQL coverage');
  return rule.metres;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
const pct = (part: number, whole: number) => (whole > 0 ? round((100 * part) / whole, 2) : null);

export interface AreaFigures {
  code: string;
  name: string;
  district_code: string;
  area_km2: number;
  covered_km2: number;
  covered_pct: number | null;
  stations_total: number;
  stations_open: number;
  stations_per_km2: number;
  open_stations_per_km2: number;
  largest_gap_km2: number;
  largest_gap_point: [number, number] | null;
  demand_total: number | null;
  demand_covered: number | null;
  demand_covered_pct: number | null;
  geometry?: unknown;
}

function areaFigures(row: AreaCoverageRow): AreaFigures {
  return {
    code: row.code,
    name: row.name,
    district_code: row.district_code,
    area_km2: round(row.area_km2, 4),
    covered_km2: round(row.covered_km2, 4),
    covered_pct: pct(row.covered_km2, row.area_km2),
    stations_total: row.stations_total,
    stations_open: row.stations_open,
    stations_per_km2: row.area_km2 > 0 ? round(row.stations_total / row.area_km2, 4) : 0,
    open_stations_per_km2: row.area_km2 > 0 ? round(row.stations_open / row.area_km2, 4) : 0,
    largest_gap_km2: round(row.largest_gap_km2, 4),
    largest_gap_point: row.largest_gap_point?.map(Number) as [number, number] | null,
    demand_total: row.demand_total,
    demand_covered: row.demand_covered,
    demand_covered_pct:
      row.demand_total === null || row.demand_covered === null ? null : pct(row.demand_covered, row.demand_total),
    ...(row.geometry !== undefined ? { geometry: row.geometry } : {}),
  };
}

export function totalsOf(areas: AreaFigures[]) {
  const sum = (pick: (a: AreaFigures) => number | null) => areas.reduce((s, a) => s + (pick(a) ?? 0), 0);
  const area = sum((a) => a.area_km2);
  const covered = sum((a) => a.covered_km2);
  const hasDemand = areas.some((a) => a.demand_total !== null);
  const demandTotal = sum((a) => a.demand_total);
  const demandCovered = sum((a) => a.demand_covered);
  return {
    areas: areas.length,
    area_km2: round(area, 3),
    covered_km2: round(covered, 3),
    covered_pct: pct(covered, area),
    stations_total: sum((a) => a.stations_total),
    stations_open: sum((a) => a.stations_open),
    demand_total: hasDemand ? round(demandTotal, 3) : null,
    demand_covered: hasDemand ? round(demandCovered, 3) : null,
    demand_covered_pct: hasDemand ? pct(demandCovered, demandTotal) : null,
  };
}

function demandNote(layer: DemandLayerRecord | null) {
  if (layer) {
    return { layer: { id: layer.id, name: layer.name, weight_label: layer.weight_label }, proxy: null };
  }
  return {
    layer: null,
    proxy: 'area' as const,
    note_en: 'No demand layer chosen: covered area is the proxy for demand.',
    note_zh: '未选择需求图层：以覆盖面积作为需求的代理指标。',
  };
}

/** The sites that count in a scenario: open stations minus removals, plus added sites. */
export function scenarioSites(
  ctx: CoverageContext,
  what: { without?: number[]; with?: Array<[number, number]> } = {},
): CoverageSites {
  const removed = new Set(what.without ?? []);
  return {
    stationIds: ctx.openIds.filter((id) => !removed.has(id)),
    extraSites: what.with ?? [],
    radiusM: radiusOf(ctx.rule),
  };
}

export async function coverageReport(db: AppDatabase, q: CoverageQuery, now = new Date()) {
  const ctx = await resolveContext(db, q, now);
  const unknownIds = (q.without ?? []).filter((id) => !ctx.stations.some((s) => s.id === id));
  if (unknownIds.length) throw notFound(`Stations not found (without=): ${unknownIds.slice(0, 10).join(', ')}`);
  const options = {
    demandLayerId: ctx.demandLayer?.id,
    outlineSimplifyMetres: q.format === 'geojson' ? Math.max(q.simplify, 1) : 0,
  };
  const isWhatIf = Boolean(q.without?.length || q.with?.length);
  const rows = await coverageByArea(db, ctx.scope, scenarioSites(ctx, q), options);
  const areas = rows.map(areaFigures);
  const report = {
    rule: describeRule(ctx.rule),
    instant: describeInstant(ctx.at),
    level: q.level,
    demand: demandNote(ctx.demandLayer),
    stations_counted: ctx.openIds.length,
    totals: totalsOf(areas),
    areas,
    what_if: null as null | ReturnType<typeof whatIfDelta>,
  };
  if (isWhatIf) {
    const baseRows = await coverageByArea(db, ctx.scope, scenarioSites(ctx), { demandLayerId: ctx.demandLayer?.id });
    report.what_if = whatIfDelta(baseRows.map(areaFigures), areas, q);
  }
  return report;
}

function whatIfDelta(
  baseline: AreaFigures[],
  scenario: AreaFigures[],
  q: { without?: number[]; with?: Array<[number, number]> },
) {
  const before = totalsOf(baseline);
  const after = totalsOf(scenario);
  const byCode = new Map(baseline.map((a) => [a.code, a]));
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : round(a - b, 4));
  return {
    removed_station_ids: q.without ?? [],
    added_sites: q.with ?? [],
    baseline: before,
    delta: {
      covered_km2: round(after.covered_km2 - before.covered_km2, 4),
      covered_pct_points: diff(after.covered_pct, before.covered_pct),
      demand_covered: diff(after.demand_covered, before.demand_covered),
      demand_covered_pct_points: diff(after.demand_covered_pct, before.demand_covered_pct),
    },
    areas: scenario
      .map((a) => {
        const b = byCode.get(a.code)!;
        return {
          code: a.code,
          name: a.name,
          baseline_covered_km2: b.covered_km2,
          covered_km2: a.covered_km2,
          delta_covered_km2: round(a.covered_km2 - b.covered_km2, 4),
          delta_covered_pct_points: diff(a.covered_pct, b.covered_pct),
          delta_demand_covered: diff(a.demand_covered, b.demand_covered),
        };
      })
      .filter((a) => a.delta_covered_km2 !== 0 || (a.delta_demand_covered ?? 0) !== 0),
  };
}

export async function gapsCollection(db: AppDatabase, q: GapsQuery, now = new Date()) {
  const ctx = await resolveContext(db, q, now);
  const rows = await coverageGaps(db, ctx.scope, scenarioSites(ctx, q), q.simplify);
  const rule = describeRule(ctx.rule);
  const instant = describeInstant(ctx.at);
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
        rule: rule.rule,
        at: instant.at,
      },
    })),
  };
}
