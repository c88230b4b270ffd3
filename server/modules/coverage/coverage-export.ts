/** CSV and GeoJSON exports of a coverage table; both carry the rule and the instant with them. */
import type { coverageReport } from './coverage.service.js';
import { escapeFormula } from '../bulk/csv-format.js';

type Report = Awaited<ReturnType<typeof coverageReport>>;

const CSV_COLUMNS = [
  'code',
  'name',
  'district_code',
  'area_km2',
  'covered_km2',
  'covered_pct',
  'stations_total',
  'stations_open',
  'stations_per_km2',
  'open_stations_per_km2',
  'largest_gap_km2',
  'largest_gap_lng',
  'largest_gap_lat',
  'demand_total',
  'demand_covered',
  'demand_covered_pct',
] as const;

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  // Numbers stay numbers (a negative delta must not become text); area names and other text that
  // a spreadsheet would run as a formula get the same OWASP escape as the station export.
  const text = typeof value === 'number' ? String(value) : escapeFormula(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One row per area; the rule, distance kind, instant and demand basis are columns on every row so
 * a row copied elsewhere still says what it measured. UTF-8 with BOM so Excel shows 中文 names.
 */
export function coverageCsv(report: Report): string {
  const context = {
    rule: report.rule.rule,
    distance_kind: report.rule.distance_kind,
    at: report.instant.at,
    local_time: report.instant.local,
    day_kind: report.instant.day_kind,
    demand_basis: report.demand.layer
      ? `layer:${report.demand.layer.id}:${report.demand.layer.name}`
      : 'area (proxy)',
  };
  const header = [...CSV_COLUMNS, ...Object.keys(context)];
  const lines = report.areas.map((a) => {
    const values: Record<string, unknown> = {
      ...a,
      largest_gap_lng: a.largest_gap_point?.[0],
      largest_gap_lat: a.largest_gap_point?.[1],
    };
    return [...CSV_COLUMNS.map((c) => values[c]), ...Object.values(context)]
      .map(csvField)
      .join(',');
  });
  return `\uFEFF${header.join(',')}\r\n${lines.join('\r\n')}\r\n`;
}

/** Area outlines (simplified) with the figures as properties: a ready choropleth. */
export function coverageGeoJson(report: Report) {
  return {
    type: 'FeatureCollection' as const,
    rule: report.rule,
    instant: report.instant,
    level: report.level,
    demand: report.demand,
    totals: report.totals,
    features: report.areas.map(({ geometry, ...properties }) => ({
      type: 'Feature' as const,
      id: properties.code,
      geometry,
      properties: { ...properties, rule: report.rule.rule, at: report.instant.at },
    })),
  };
}
