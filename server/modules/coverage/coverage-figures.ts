/** Per-area figures as the API reports them: rounded, with shares, totals and what-if deltas. */
import type { AreaCoverageRow } from './coverage.repository.js';

export const round = (value: number, digits: number) => Number(value.toFixed(digits));
export const pct = (part: number, whole: number) =>
  whole > 0 ? round((100 * part) / whole, 2) : null;

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
  /** Network rule only. */
  street_km_reached?: number;
  street_km_total?: number;
  geometry?: unknown;
}

export function areaFigures(row: AreaCoverageRow): AreaFigures {
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
      row.demand_total === null || row.demand_covered === null
        ? null
        : pct(row.demand_covered, row.demand_total),
    ...(row.street_km_total !== undefined
      ? {
          street_km_reached: round(row.street_km_reached ?? 0, 3),
          street_km_total: round(row.street_km_total, 3),
        }
      : {}),
    ...(row.geometry !== undefined ? { geometry: row.geometry } : {}),
  };
}

export function totalsOf(areas: AreaFigures[]) {
  const sum = (pick: (a: AreaFigures) => number | null) =>
    areas.reduce((s, a) => s + (pick(a) ?? 0), 0);
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
    ...(areas.some((a) => a.street_km_total !== undefined)
      ? {
          street_km_reached: round(
            sum((a) => a.street_km_reached ?? 0),
            3,
          ),
          street_km_total: round(
            sum((a) => a.street_km_total ?? 0),
            3,
          ),
        }
      : {}),
  };
}

export function whatIfDelta(
  baseline: AreaFigures[],
  scenario: AreaFigures[],
  q: { without?: number[]; with?: Array<[number, number]> },
) {
  const before = totalsOf(baseline);
  const after = totalsOf(scenario);
  const byCode = new Map(baseline.map((a) => [a.code, a]));
  const diff = (a: number | null, b: number | null) =>
    a === null || b === null ? null : round(a - b, 4);
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
