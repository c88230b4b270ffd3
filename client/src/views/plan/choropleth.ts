/** Colours, joins and small geometry helpers of the planner map. */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { dayInfo, localDate, localHour } from '../../lib/deployment.svelte.js';
import type { Bbox, ColorStops } from '../../lib/map/types.js';
import type { AreaRow } from './plan-api.js';

/** Red (poorly covered) to blue (well covered); thresholds in covered %. */
export const COVERAGE_STOPS: Array<[number, string]> = [
  [0, '#b2182b'],
  [10, '#ef8a62'],
  [30, '#fddbc7'],
  [50, '#d1e5f0'],
  [70, '#67a9cf'],
  [90, '#2166ac'],
];

export const COVERAGE_COLORS: ColorStops = {
  property: 'covered_pct',
  stops: COVERAGE_STOPS,
  fallback: '#cccccc',
};

/** Outlines with the current figures copied onto each feature's properties. */
export function joinFigures(outlines: FeatureCollection, rows: AreaRow[]): FeatureCollection {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  return {
    type: 'FeatureCollection',
    features: outlines.features
      .filter((f) => byCode.has(String(f.properties?.code)))
      .map((f) => ({
        ...f,
        properties: { ...f.properties, ...byCode.get(String(f.properties?.code)) },
      })),
  };
}

export function bboxOf(feature: Feature | { geometry: Geometry }): Bbox | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      minX = Math.min(minX, c[0]);
      maxX = Math.max(maxX, c[0]);
      minY = Math.min(minY, c[1] as number);
      maxY = Math.max(maxY, c[1] as number);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  const g = feature.geometry as { coordinates?: unknown } | null;
  if (!g?.coordinates) return null;
  visit(g.coordinates);
  return Number.isFinite(minX) ? [minX, minY, maxX, maxY] : null;
}

export type DayKind = 'workday' | 'weekend' | 'holiday';

/** The deployment's date today, YYYY-MM-DD. */
export function deploymentToday(now = new Date()): string {
  return localDate(now);
}

/** The deployment's hour now, 0-23. */
export function deploymentHour(now = new Date()): number {
  return localHour(now);
}

/** Weekday of a calendar date (0 = Sunday), whatever the zone. */
function weekdayOf(date: string): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay();
}

export function dayKindOf(date: string): DayKind {
  const info = dayInfo(date);
  if (info?.holiday) return 'holiday';
  if (info?.makeupWorkday) return 'workday';
  const weekday = weekdayOf(date);
  return weekday === 0 || weekday === 6 ? 'weekend' : 'workday';
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * A workday, a weekend day and a holiday to compare side by side: the chosen date stands for its
 * own kind, the others are the next such days after it (holidays searched a year ahead).
 */
export function comparisonDates(chosen: string): Record<DayKind, string | null> {
  const result: Record<DayKind, string | null> = { workday: null, weekend: null, holiday: null };
  result[dayKindOf(chosen)] = chosen;
  for (let i = 1; i <= 400 && Object.values(result).includes(null); i++) {
    const date = addDays(chosen, i);
    const kind = dayKindOf(date);
    if (!result[kind]) result[kind] = date;
  }
  return result;
}
