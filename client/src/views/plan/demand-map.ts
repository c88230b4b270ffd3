/**
 * A demand layer on the planner's map: the server sums its people (or weights) into squares of a
 * grid chosen from the zoom (GET /api/demand-layers/{id}/squares); here they become GeoJSON
 * squares coloured by density, drawn by the same adapter call on MapLibre and Leaflet.
 */
import type { FeatureCollection } from 'geojson';
import { apiGet } from '../../lib/api/http.js';
import type { Bbox, ColorStops, MapAdapter } from '../../lib/map/types.js';

export interface DemandSquaresAnswer {
  layer: {
    id: number;
    name: string;
    kind: 'points' | 'population';
    weight_label: string | null;
    citation: string | null;
    cell_m: number | null;
  };
  slot: { day_type: string | null; hour: number | null; exact: boolean } | null;
  step_deg: number;
  bbox: Bbox;
  /** [west, south, people or weight, cells in it]. */
  squares: Array<[number, number, number, number]>;
  total: number;
  max: number;
  coarsened: boolean;
  estimate: boolean;
}

/** People per km², in classes a planner reads the same in any city (Beijing's centre: 20,000+). */
export const DENSITY_STOPS: Array<[number, string]> = [
  [0, '#fff5eb'],
  [500, '#fdd0a2'],
  [2000, '#fdae6b'],
  [5000, '#fd8d3c'],
  [10000, '#e6550d'],
  [20000, '#a63603'],
];
/** Points layers have no density of people: their squares are coloured by share of the largest. */
export const SHARE_STOPS: Array<[number, string]> = [
  [0, '#fff5eb'],
  [0.05, '#fdd0a2'],
  [0.15, '#fdae6b'],
  [0.3, '#fd8d3c'],
  [0.5, '#e6550d'],
  [0.75, '#a63603'],
];

/** The zoom the server counts in (256-px tiles): MapLibre's zoom counts 512-px ones. */
export const tileZoom = (map: MapAdapter) => Math.round(map.getZoom() + (map.engine === 'maplibre' ? 1 : 0));

export function fetchDemandSquares(
  layerId: number,
  map: MapAdapter,
  at: string,
  lang: string,
  signal?: AbortSignal,
): Promise<DemandSquaresAnswer> {
  const [w, s, e, n] = map.getBounds();
  // Clamp to the world and to the server's cap (a very wide view is asked for its centre).
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  const cx = (w + e) / 2;
  const cy = (s + n) / 2;
  const half = 19.9;
  const bbox = [
    clamp(Math.max(w, cx - half), -180, 179.99),
    clamp(Math.max(s, cy - half), -90, 89.99),
    clamp(Math.min(e, cx + half), -179.99, 180),
    clamp(Math.min(n, cy + half), -89.99, 90),
  ].map((v) => v.toFixed(5));
  const q = new URLSearchParams({ bbox: bbox.join(','), zoom: String(tileZoom(map)), at, lang });
  return apiGet<DemandSquaresAnswer>(`/api/demand-layers/${layerId}/squares?${q}`, { signal });
}

/**
 * Squares as polygons with `density` or `share` (of the largest square). Density is people per
 * km² of the layer's own cells in the square (people / (cells × cell area)): a raster that does
 * not line up with the grid puts 1 cell in one square and 2 in the next, and dividing by the
 * square's area would draw that as stripes of double density.
 */
export function squaresToGeoJson(answer: DemandSquaresAnswer): { data: FeatureCollection; colorBy: ColorStops } {
  const step = answer.step_deg;
  const population = answer.layer.kind === 'population';
  return {
    colorBy: population
      ? { property: 'density', stops: DENSITY_STOPS }
      : { property: 'share', stops: SHARE_STOPS },
    data: {
      type: 'FeatureCollection',
      features: answer.squares.map(([w, s, value, cells]) => {
        const cellM = answer.layer.cell_m;
        const km2 = cellM
          ? (cells * cellM * cellM) / 1e6
          : (step * 111.32) ** 2 * Math.cos(((s + step / 2) * Math.PI) / 180);
        return {
          type: 'Feature',
          properties: population
            ? { density: Math.round(value / km2), people: value }
            : { share: answer.max > 0 ? value / answer.max : 0, weight: value },
          geometry: {
            type: 'Polygon',
            coordinates: [[[w, s], [w + step, s], [w + step, s + step], [w, s + step], [w, s]]],
          },
        };
      }),
    },
  };
}
