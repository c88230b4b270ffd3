/**
 * Our own roads under the stations (from /api/roads) once zoomed in far enough: one map layer per
 * width class, since a layer style has one width. Drawn only where a road network is loaded.
 */
import type { Feature, FeatureCollection } from 'geojson';
import { apiGet } from '../../lib/api/http.js';
import type { Bbox, LayerStyle, MapAdapter } from '../../lib/map/types.js';
import type { WorkerMapLayers } from './map-layers.js';

/** Below this zoom the roads are not drawn (too many, and the box would exceed the server's cap). */
export const ROADS_MIN_ZOOM = 13;
/** The server refuses boxes larger than this (degrees, each side). */
const MAX_BOX_DEG = 0.1;

export const ROAD_CLASSES = [
  {
    layer: 'roads-path',
    highways: ['footway', 'path', 'pedestrian', 'steps', 'cycleway', 'track', 'bridleway'],
    style: { type: 'line', color: '#b9a98f', width: 1.2, dash: [2, 1.5] },
  },
  {
    layer: 'roads-minor',
    highways: ['residential', 'unclassified', 'living_street', 'service', 'road'],
    style: { type: 'line', color: '#9a9a9a', width: 2.5, label: { property: 'name', minZoom: 15, size: 11 } },
  },
  {
    layer: 'roads-major',
    highways: [
      'motorway',
      'trunk',
      'primary',
      'secondary',
      'tertiary',
      'motorway_link',
      'trunk_link',
      'primary_link',
      'secondary_link',
      'tertiary_link',
    ],
    style: {
      type: 'line',
      color: '#d08a3c',
      width: 4.5,
      label: { property: 'name', minZoom: 14, size: 12, color: '#5a3a12' },
    },
  },
] as const satisfies ReadonlyArray<{
  layer: string;
  highways: readonly string[];
  style: LayerStyle;
}>;

export type RoadLayerId = (typeof ROAD_CLASSES)[number]['layer'];
export const ROAD_LAYER_IDS: RoadLayerId[] = ROAD_CLASSES.map((c) => c.layer);

/** Which width layer a highway value goes to; anything unlisted is drawn as a minor road. */
export function roadLayerOf(highway: string): RoadLayerId {
  for (const roadClass of ROAD_CLASSES) {
    if ((roadClass.highways as readonly string[]).includes(highway)) return roadClass.layer;
  }
  return 'roads-minor';
}

export function splitByRoadClass(roads: FeatureCollection): Record<RoadLayerId, FeatureCollection> {
  const split = Object.fromEntries(
    ROAD_LAYER_IDS.map((id) => [id, { type: 'FeatureCollection', features: [] as Feature[] }]),
  ) as Record<RoadLayerId, FeatureCollection>;
  for (const feature of roads.features) {
    split[roadLayerOf(String(feature.properties?.highway ?? ''))].features.push(feature);
  }
  return split;
}

/** The view's box shrunk around its centre to the server's cap (the edges of a wide phone view). */
export function cappedBox([minLng, minLat, maxLng, maxLat]: Bbox): Bbox {
  const half = MAX_BOX_DEG / 2 - 1e-5; // margin for the 5-decimal rounding in fetchRoads
  const cx = (minLng + maxLng) / 2;
  const cy = (minLat + maxLat) / 2;
  return [
    Math.max(minLng, cx - half),
    Math.max(minLat, cy - half),
    Math.min(maxLng, cx + half),
    Math.min(maxLat, cy + half),
  ];
}

export interface RoadsAnswer extends FeatureCollection {
  network: { name: string } | null;
  truncated: boolean;
}

export function fetchRoads(box: Bbox): Promise<RoadsAnswer> {
  const bbox = box.map((v) => v.toFixed(5)).join(',');
  return apiGet<RoadsAnswer>(`/api/roads?bbox=${bbox}&limit=3000`);
}

/** How long the map must rest before the roads are asked for (a pan fires many move ends). */
const MOVE_DEBOUNCE_MS = 300;

export interface RoadsFollower {
  /** Ask now for the current view (e.g. once the map is ready). */
  refresh(): void;
  stop(): void;
}

/**
 * Keeps the roads layers in step with the view: asked again after each (debounced) move end at
 * zoom ≥ 13, removed below it. Once the server says no network is loaded it stops asking.
 */
export function followRoads(
  map: MapAdapter,
  layers: { set: WorkerMapLayers['set']; remove: WorkerMapLayers['remove'] },
  onchange: (state: { shown: number; truncated: boolean }) => void = () => {},
): RoadsFollower {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let serial = 0;
  let noNetwork = false;

  const clear = () => {
    for (const id of ROAD_LAYER_IDS) layers.remove(id);
    onchange({ shown: 0, truncated: false });
  };

  const load = async () => {
    if (noNetwork) return;
    const mine = ++serial;
    if (map.getZoom() < ROADS_MIN_ZOOM) {
      clear();
      return;
    }
    try {
      const roads = await fetchRoads(cappedBox(map.getBounds()));
      if (mine !== serial) return;
      if (!roads.network) {
        noNetwork = true;
        clear();
        return;
      }
      const split = splitByRoadClass(roads);
      for (const roadClass of ROAD_CLASSES)
        layers.set(roadClass.layer, split[roadClass.layer], roadClass.style);
      onchange({ shown: roads.features.length, truncated: roads.truncated });
    } catch {
      /* roads are a backdrop: a failed request leaves the last ones drawn */
    }
  };

  const off = map.onMoveEnd(() => {
    clearTimeout(timer);
    timer = setTimeout(load, MOVE_DEBOUNCE_MS);
  });
  return {
    refresh: () => void load(),
    stop: () => {
      clearTimeout(timer);
      serial++;
      off();
    },
  };
}
