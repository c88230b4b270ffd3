/**
 * The stations layer in step with the view: after each (debounced) move, the map asks
 * /api/map/stations for its box at its zoom and draws what comes back — counted clusters when
 * zoomed out, stations when zoomed in. A phone downloads what it shows, never the whole table.
 */
import type { FeatureCollection } from 'geojson';
import { apiGet } from '../../lib/api/http.js';
import type { Bbox, LayerStyle, MapAdapter } from '../../lib/map/types.js';
import type { WorkerMapLayers } from './map-layers.js';

export interface StationMapAnswer extends FeatureCollection {
  zoom: number;
  /** Stations in the view, clusters counted in full. */
  stations_in_view: number;
}

/** A margin around the view, so a small pan needs no new request to fill the edges. */
function paddedBox([minLng, minLat, maxLng, maxLat]: Bbox): Bbox {
  const dx = (maxLng - minLng) * 0.25;
  const dy = (maxLat - minLat) * 0.25;
  return [
    Math.max(-180, minLng - dx),
    Math.max(-90, minLat - dy),
    Math.min(180, maxLng + dx),
    Math.min(90, maxLat + dy),
  ];
}

export function fetchStationMap(box: Bbox, zoom: number): Promise<StationMapAnswer> {
  const bbox = paddedBox(box)
    .map((v) => v.toFixed(5))
    .join(',');
  return apiGet<StationMapAnswer>(`/api/map/stations?bbox=${bbox}&zoom=${Math.floor(zoom)}`);
}

const MOVE_DEBOUNCE_MS = 250;

/** The saved stations inside `box` as map points, or null when none are saved. */
async function savedStationsIn([minLng, minLat, maxLng, maxLat]: Bbox): Promise<FeatureCollection | null> {
  const { readOfflineSet } = await import('./offline/offline-set.js');
  const set = await readOfflineSet();
  if (!set) return null;
  return {
    type: 'FeatureCollection',
    features: set.stations
      .filter((s) => s.lng >= minLng && s.lng <= maxLng && s.lat >= minLat && s.lat <= maxLat)
      .map((s) => ({
        type: 'Feature',
        id: s.id,
        geometry: { type: 'Point', coordinates: [s.lng, s.lat] },
        properties: { id: s.id, name: s.name, name_en: s.name_en, kind: s.kind },
      })),
  };
}

export interface StationsFollower {
  refresh(): void;
  stop(): void;
}

export function followStations(
  map: MapAdapter,
  layers: { set: WorkerMapLayers['set'] },
  style: LayerStyle,
  onchange: (state: { inView: number }) => void = () => {},
): StationsFollower {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let serial = 0;
  const load = async () => {
    const mine = ++serial;
    try {
      // Server zooms count 512-px tiles, as MapLibre does; Leaflet's count 256-px tiles.
      const zoom = map.engine === 'leaflet' ? map.getZoom() - 1 : map.getZoom();
      const answer = await fetchStationMap(map.getBounds(), Math.max(0, zoom));
      if (mine !== serial) return; // a later move asked again: its answer wins
      layers.set('stations', answer, style);
      onchange({ inView: answer.stations_in_view });
    } catch (error) {
      // The server answered with a refusal: the stations stay as last drawn (the list says why).
      if ((error as { status?: number }).status) return;
      // No network: the stations saved for offline answers (views/worker/offline), those in the
      // view, grouped on the phone. Loaded only now, so the online page does not carry that code.
      const saved = await savedStationsIn(map.getBounds());
      if (!saved || mine !== serial) return;
      layers.set('stations', saved, { ...style, cluster: true });
      onchange({ inView: saved.features.length });
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
