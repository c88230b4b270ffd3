/** Typed calls to the coverage API; each caller passes an AbortSignal so stale requests stop. */
import type { FeatureCollection } from 'geojson';
import type { AreaFigures } from '../../../../server/modules/coverage/coverage-figures.js';
import { apiGet } from '../../lib/api/http.js';

/** An area level's name, as loaded (Beijing: district, subdistrict; Andorra: parish). */
export type Level = string;

/** A loaded level with its labels (`/api/meta` region.levels). */
export interface LevelOption {
  name: string;
  depth: number;
  label: string;
  label_en: string | null;
  count: number;
}

/** The levels the planner can count by, and the one to start with (from the loaded areas). */
export async function fetchLevels(): Promise<{ levels: LevelOption[]; defaultLevel: string | null; regionName: string | null }> {
  const meta = await apiGet<{ region?: { name?: string | null; levels?: LevelOption[]; default_level?: string | null } }>('/api/meta');
  const levels = meta.region?.levels ?? [];
  const defaultLevel = meta.region?.default_level ?? null;
  const start = levels.find((l) => l.name === defaultLevel)?.depth ?? 0;
  // The default level and those below it: a single top area (the city) is not a table.
  return { levels: levels.filter((l) => l.depth >= start && l.count > 0), defaultLevel, regionName: meta.region?.name ?? null };
}

/** The OGC collection of a level's areas (Beijing's keep their older plural ids). */
const LEGACY_COLLECTIONS: Record<string, string> = { district: 'districts', subdistrict: 'subdistricts' };
const collectionOf = (level: Level) => LEGACY_COLLECTIONS[level] ?? level;

/** One area's figures exactly as the server computes them (type-only import: no server code ships). */
export type AreaRow = AreaFigures;

export interface DayInfo {
  date: string;
  day_kind: 'holiday' | 'makeup_workday' | 'weekend' | 'workday';
  holiday: { name: string | null; name_en: string | null } | null;
}

export interface CoverageReport {
  rule: { rule: string; label_zh: string; label_en: string; distance_kind: string };
  instant: DayInfo & { at: string; local: string };
  demand: {
    layer: { id: number; name: string } | null;
    proxy: string | null;
    /** Population layers: the slot used for the instant and the source to cite. */
    population?: {
      slot: { day_type: string | null; hour: number | null };
      exact: boolean;
      note_zh: string | null;
      note_en: string | null;
      citation: string | null;
    };
  };
  totals: {
    area_km2: number;
    covered_km2: number;
    covered_pct: number | null;
    stations_total: number;
    stations_open: number;
    demand_total: number | null;
    demand_covered: number | null;
    demand_covered_pct: number | null;
    /** Network rules only. */
    street_km_reached?: number;
    street_km_total?: number;
  };
  areas: AreaRow[];
  what_if: null | {
    delta: {
      covered_km2: number;
      covered_pct_points: number | null;
      /** With a demand layer: people (or weights) newly covered, and the share's change. */
      demand_covered: number | null;
      demand_covered_pct_points: number | null;
    };
    /** The areas whose figures change, with their deltas. */
    areas: Array<{ code: string; name: string; delta_covered_km2: number; delta_demand_covered: number | null }>;
  };
}

export interface CoverageParams {
  level: Level;
  rule: string;
  at: string;
  district?: string;
  area?: string;
  demand?: number;
  with?: Array<[number, number]>;
  /** What-if: stations counted as closed. */
  without?: number[];
}

export function coverageQuery(p: CoverageParams, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ level: p.level, rule: p.rule, at: p.at, ...extra });
  if (p.district) q.set('district', p.district);
  if (p.area) q.set('area', p.area);
  if (p.demand) q.set('demand', String(p.demand));
  if (p.with?.length) q.set('with', p.with.map(([lng, lat]) => `${lng},${lat}`).join(';'));
  if (p.without?.length) q.set('without', p.without.join(','));
  return q.toString();
}

export const fetchCoverage = (p: CoverageParams, signal?: AbortSignal) =>
  apiGet<CoverageReport>(`/api/coverage?${coverageQuery(p)}`, { signal });

export const fetchGaps = (p: CoverageParams, signal?: AbortSignal) =>
  apiGet<FeatureCollection>(`/api/coverage/gaps?${coverageQuery(p, { simplify: '40' })}`, {
    signal,
  });

/** Area outlines once per level (simplified for drawing); figures are joined by code. */
export const fetchOutlines = (level: Level, signal?: AbortSignal) =>
  apiGet<FeatureCollection>(
    `/api/collections/${encodeURIComponent(collectionOf(level))}/items?limit=1000&simplify=${level === 'district' ? 80 : 40}`,
    { signal },
  );

export const fetchAreaStations = (level: Level, code: string, signal?: AbortSignal) =>
  apiGet<FeatureCollection>(
    `/api/collections/stations/items?limit=1000&area=${encodeURIComponent(code)}`,
    { signal },
  );

export interface TimelineHour {
  hour: number;
  covered_pct: number | null;
  stations_open: number;
  /** With a population layer: people in scope and within reach at this hour (modelled). */
  demand_total?: number;
  demand_covered?: number;
  demand_covered_pct?: number | null;
}
export interface Timeline {
  day: DayInfo & { weekday_zh: string; weekday_en: string };
  demand: { id: number; name: string; kind: string; citation?: string | null } | null;
  hours: TimelineHour[];
}

export const fetchTimeline = (
  date: string,
  rule: string,
  area: string | undefined,
  demand: number | undefined,
  signal?: AbortSignal,
  /** What-if: sites counted at every hour, stations at none. */
  what: { with?: Array<[number, number]> | null; without?: number[] } = {},
) =>
  apiGet<Timeline>(
    `/api/coverage/timeline?${new URLSearchParams({
      date,
      rule,
      ...(area ? { area } : {}),
      ...(demand ? { demand: String(demand) } : {}),
      ...(what.with?.length ? { with: what.with.map(([lng, lat]) => `${lng},${lat}`).join(';') } : {}),
      ...(what.without?.length ? { without: what.without.join(',') } : {}),
    })}`,
    { signal },
  );

export interface SuggestedSite {
  rank: number;
  lng: number;
  lat: number;
  area_code: string;
  gain: number;
  gain_pct_points: number | null;
  covered_after_pct: number | null;
}
export interface Suggestion {
  demand: {
    basis: 'layer' | 'population' | 'grid_area_proxy' | 'street_length_proxy';
    unit: string;
    cell_m?: number;
    /** Network rules explain how demand was put on the streets. */
    note_zh?: string;
    note_en?: string;
  };
  distance_kind?: 'straight_line' | 'network';
  covered_before_pct: number | null;
  covered_after_pct: number | null;
  sites: SuggestedSite[];
}

export const fetchSuggestion = (
  p: { k: number; rule: string; at: string; level: Level; area?: string; demand?: number },
  signal?: AbortSignal,
) => {
  const q = new URLSearchParams({ k: String(p.k), rule: p.rule, at: p.at, level: p.level });
  if (p.area) q.set('area', p.area);
  if (p.demand) q.set('demand', String(p.demand));
  // Under a travel-time rule, candidate sites are street junctions a worker can actually reach.
  if (/^(walk|bike|drive):/.test(p.rule)) q.set('candidates', 'network');
  return apiGet<Suggestion>(`/api/coverage/suggest?${q}`, { signal });
};

export interface DemandLayer {
  id: number;
  name: string;
  point_count: number;
  /** points (uploaded) or population (a raster: people per cell, by hour and day type). */
  kind?: 'points' | 'population';
  total_weight?: number;
  /** True while the server is still loading it (first start); it cannot be chosen yet. */
  loading?: boolean;
  /** Why an uploaded raster failed to load ("English | 中文"); such a layer is never counted. */
  load_error?: string | null;
  citation?: string | null;
}

/**
 * The layer a planner sees first: the loaded population layer with the most people, so the page
 * shows people rather than km² when the deployment has one.
 */
export function defaultDemandLayer(layers: DemandLayer[]): DemandLayer | undefined {
  return layers
    .filter((l) => l.kind === 'population' && !l.loading)
    .sort((a, b) => (b.total_weight ?? 0) - (a.total_weight ?? 0))[0];
}
export const fetchDemandLayers = () => apiGet<{ layers: DemandLayer[] }>('/api/demand-layers');
